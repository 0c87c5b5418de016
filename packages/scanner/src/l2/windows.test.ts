import { describe, expect, it } from 'vitest';
import type { ScanKind } from '../types.js';
import {
  collapseRepeats,
  readWindows,
  SHORT_WINDOW_GATE,
  SHORT_WINDOW_LENGTH,
  SHORT_WINDOW_STEP,
  shortWindows,
  textWindows,
  WINDOW_LENGTH,
  WINDOW_STEP,
} from './windows.js';

describe('textWindows', () => {
  it('reads a short text in one window', () => {
    expect(textWindows(0)).toEqual([[0, 0]]);
    expect(textWindows(WINDOW_LENGTH)).toEqual([[0, WINDOW_LENGTH]]);
  });

  it('covers a long text with full-length overlapping windows and no short tail', () => {
    const length = 10_000;
    const windows = textWindows(length);
    expect(windows[0]).toEqual([0, WINDOW_LENGTH]);
    expect(windows.at(-1)).toEqual([length - WINDOW_LENGTH, length]);
    for (const [start, end] of windows) expect(end - start).toBe(WINDOW_LENGTH);
    for (let index = 1; index < windows.length; index++) {
      // Consecutive windows overlap, so no stretch of text is only ever seen cut in half.
      expect(windows[index]![0]).toBeLessThan(windows[index - 1]![1]);
      expect(windows[index]![0] - windows[index - 1]![0]).toBeLessThanOrEqual(WINDOW_STEP);
    }
  });

  it('puts any 512-character passage wholly inside some window', () => {
    const length = 7_777;
    const windows = textWindows(length);
    for (let start = 0; start + 512 <= length; start += 97) {
      expect(windows.some(([from, to]) => from <= start && start + 512 <= to)).toBe(true);
    }
  });
});

describe('shortWindows', () => {
  it('reads no prompt and no short data in short windows', () => {
    expect(shortWindows(5000, 'input')).toEqual([]);
    expect(shortWindows(SHORT_WINDOW_LENGTH, 'tool_result')).toEqual([]);
  });

  it('covers longer data with short overlapping windows, the last one pulled back', () => {
    expect(shortWindows(1000, 'document')).toEqual([
      [0, 512],
      [384, 896],
      [488, 1000],
    ]);
    const length = 9_001;
    const windows = shortWindows(length, 'tool_result');
    for (const [start, end] of windows) expect(end - start).toBe(SHORT_WINDOW_LENGTH);
    expect(windows[0]![0]).toBe(0);
    expect(windows.at(-1)![1]).toBe(length);
    for (let index = 1; index < windows.length; index++) {
      expect(windows[index]![0] - windows[index - 1]![0]).toBeLessThanOrEqual(SHORT_WINDOW_STEP);
    }
  });
});

describe('readWindows', () => {
  const windowsRead = (length: number, kind: ScanKind, score: number) => {
    const read: Array<[number, number]> = [];
    readWindows(length, kind, (start, end) => {
      read.push([start, end]);
      return score;
    });
    return read;
  };

  it('reads the short windows of data only where a full window scores at the gate', () => {
    expect(windowsRead(1000, 'tool_result', SHORT_WINDOW_GATE - 0.01)).toEqual([[0, 1000]]);
    expect(windowsRead(1000, 'tool_result', SHORT_WINDOW_GATE)).toEqual([
      [0, 1000],
      ...shortWindows(1000, 'tool_result'),
    ]);
    expect(windowsRead(1000, 'input', 1)).toEqual([[0, 1000]]);
  });

  it('places the short windows inside the full window they refine', () => {
    const length = 5000;
    const [, second] = textWindows(length);
    const read = windowsRead(length, 'document', 1);
    const inSecond = shortWindows(second![1] - second![0], 'document').map(
      ([from, to]): [number, number] => [second![0] + from, second![0] + to],
    );
    for (const window of inSecond) expect(read).toContainEqual(window);
  });
});

describe('collapseRepeats', () => {
  it('keeps one copy of each repeated sentence or line, in place', () => {
    const sentence = 'This page uses cookies to improve your browsing experience.';
    expect(collapseRepeats(Array(14).fill(sentence).join(' '))).toBe(`${sentence} `);
    expect(collapseRepeats(`Intro line here, nothing else.\n${sentence}\n${sentence}\nBye.`)).toBe(
      `Intro line here, nothing else.\n${sentence}\nBye.`,
    );
    // Case and surrounding spaces do not make a copy new.
    expect(collapseRepeats(`${sentence}  ${sentence.toUpperCase()}`)).toBe(`${sentence}  `);
  });

  it('returns a text without repeats unchanged, and keeps short repeated lines', () => {
    const code = 'if (a) {\n  run();\n}\nif (b) {\n  run();\n}\n```\nYes. Yes. Yes.';
    expect(collapseRepeats(code)).toBe(code);
    const prose = 'One sentence here. Another one there! A third?';
    expect(collapseRepeats(prose)).toBe(prose);
  });
});
