import type { ScanKind } from '../types.js';

/** Longest text the model reads at once; longer texts are read in overlapping windows. */
export const WINDOW_LENGTH = 2048;
/** Step between windows: consecutive windows share a quarter, so no sentence is only ever cut. */
export const WINDOW_STEP = 1536;

/**
 * The [start, end) windows the model reads a text in. Every window is scored on its own and the
 * strongest counts, so an attack weighs the same wherever it sits in a long document.
 * @example textWindows('a'.repeat(5000)) // [[0, 2048], [1536, 3584], [3072, 5000]]
 */
export function textWindows(length: number): Array<[number, number]> {
  if (length <= WINDOW_LENGTH) return [[0, length]];
  const windows: Array<[number, number]> = [];
  for (let start = 0; ; start += WINDOW_STEP) {
    const end = Math.min(start + WINDOW_LENGTH, length);
    // The last window is pulled back to full length rather than left as a short tail.
    const from = end === length ? Math.max(0, length - WINDOW_LENGTH) : start;
    windows.push([from, end]);
    if (end === length) break;
  }
  return windows;
}

/** Data (tool results, documents) is also read in short windows of this length… */
export const SHORT_WINDOW_LENGTH = 512;
/** …that overlap by a quarter… */
export const SHORT_WINDOW_STEP = 384;
/** …where a full window scores at least this attack probability (most clean data scores less). */
export const SHORT_WINDOW_GATE = 0.3;

/**
 * The short windows layer 2 also reads a full window of data in (offsets within it): none for
 * prompts or for a window no longer than a short one. An order planted in a long page or e-mail is
 * then also read nearly alone, not only pooled with the page around it, which dilutes it (each
 * feature of a window weighs 1/√n). Read only where the full window already scores at least
 * `SHORT_WINDOW_GATE`, so clean data mostly pays nothing for them. Prompts are read in full
 * windows only: their attacks are the whole text, and short windows raised false positives on
 * role-play prompts. Length, step, gate and surfaces were chosen on leave-source-out folds of the
 * train files (docs/l2.md); training reads full windows.
 * @example shortWindows(1000, 'tool_result') // [[0, 512], [384, 896], [488, 1000]]
 */
export function shortWindows(length: number, kind: ScanKind): Array<[number, number]> {
  if (kind === 'input' || length <= SHORT_WINDOW_LENGTH) return [];
  const windows: Array<[number, number]> = [];
  for (let start = 0; ; start += SHORT_WINDOW_STEP) {
    const end = Math.min(start + SHORT_WINDOW_LENGTH, length);
    windows.push([end - SHORT_WINDOW_LENGTH, end]);
    if (end === length) break;
  }
  return windows;
}

/**
 * Reads a text the way layer 2 does: `read` scores each window [start, end) and returns its attack
 * score; every full window is read, and a full window of data that scores at least
 * `SHORT_WINDOW_GATE` is read again in its short windows. The scanner, the training script's
 * out-of-fold scores and the speed bench all read through this.
 */
export function readWindows(
  length: number,
  kind: ScanKind,
  read: (start: number, end: number) => number,
): void {
  for (const [start, end] of textWindows(length)) {
    if (read(start, end) < SHORT_WINDOW_GATE) continue;
    for (const [from, to] of shortWindows(end - start, kind)) read(start + from, start + to);
  }
}

/** Where a sentence or line ends: the text after it starts the next one. */
const SENTENCE_END = /(?<=[.!?。！？])\s+|\n+/gu;
/** Sentences shorter than this are never dropped: `}` or "Yes." repeat for good reasons. */
const MIN_REPEAT_LENGTH = 24;

/**
 * The text the model reads for one window: each sentence or line of some length once. The model
 * already counts each feature once (distinctRows); dropping the copies also keeps the word pairs
 * across their boundaries and the concept counts from growing with them. Repeats add no meaning.
 * Texts without them come back unchanged (the same string).
 * @example collapseRepeats('Save your work before you go. Save your work before you go.') // 'Save your work before you go. '
 */
export function collapseRepeats(text: string): string {
  const seen = new Set<string>();
  let out = '';
  let from = 0;
  let changed = false;
  SENTENCE_END.lastIndex = 0;
  while (from <= text.length) {
    const match = SENTENCE_END.exec(text);
    const end = match === null ? text.length : match.index;
    const next = match === null ? text.length + 1 : match.index + match[0].length;
    const sentence = text.slice(from, end);
    const key = sentence.trim().toLowerCase();
    if (key.length >= MIN_REPEAT_LENGTH && seen.has(key)) {
      changed = true;
    } else {
      if (key.length >= MIN_REPEAT_LENGTH) seen.add(key);
      out += text.slice(from, Math.min(next, text.length));
    }
    if (match === null) break;
    from = next;
  }
  return changed ? out : text;
}
