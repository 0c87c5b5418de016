import { describe, expect, it } from 'vitest';
import { CHARACTER_PASS, LEET_POSSIBLE, SPACED_POSSIBLE } from './traits.js';

/** Runs the automaton alone over lower-case ASCII text. */
function traits(text: string): number {
  let state = 0;
  let flags = 0;
  for (let index = 0; index < text.length; index++) {
    const charClass = CHARACTER_PASS.classes[text.charCodeAt(index)]! & 3;
    state = CHARACTER_PASS.transitions[(state << 2) | charClass]!;
    flags |= CHARACTER_PASS.accepts[state]!;
  }
  return flags;
}

describe('character pass', () => {
  it('sees where leetspeak may be', () => {
    expect(traits('1gn0r3 th1s') & LEET_POSSIBLE).toBe(LEET_POSSIBLE);
    expect(traits('call 555 1234 at 3pm') & LEET_POSSIBLE).toBe(0);
  });

  it('sees where spaced-out letters may be', () => {
    expect(traits('say i g n o r e now') & SPACED_POSSIBLE).toBe(SPACED_POSSIBLE);
    expect(traits('s.y.s.t.e.m') & SPACED_POSSIBLE).toBe(SPACED_POSSIBLE);
    expect(traits('a pinch of salt and a cup') & SPACED_POSSIBLE).toBe(0);
  });

  it('marks the encoded-token alphabet', () => {
    expect(CHARACTER_PASS.classes['Q'.charCodeAt(0)]! & 4).toBe(4);
    expect(CHARACTER_PASS.classes['='.charCodeAt(0)]! & 4).toBe(0);
  });
});
