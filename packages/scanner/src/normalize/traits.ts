import { MIN_TOKEN_LENGTH, TOKEN_CLASS } from './decode.js';

/*
 * What the keyword pass learns about a lower-cased ASCII text on the way, so that the steps after
 * it need not read the text again: the runs that may be encoded payloads, and whether leetspeak
 * or spaced-out letters can occur at all. A tiny automaton over four character classes answers
 * the last two; `deleet` and `despace` skip their own search when it says no.
 */

/** A letter, a leet character and a letter: the trigger of `deleet` (`[a-z][013457@$|][a-z]`). */
export const LEET_POSSIBLE = 1;
/** A separator, a letter, one to three separators, a letter, a separator: needed by `despace`. */
export const SPACED_POSSIBLE = 2;

const OTHER = 0;
const LETTER = 1;
const LEET = 2;
const SEPARATOR = 3;
/** Bit of `CharacterPass.classes` for members of the encoded-token alphabet. */
export const TOKEN_MEMBER = 4;

function classOf(char: string): number {
  if (/[a-z]/.test(char)) return LETTER;
  if (/[013457@$|]/.test(char)) return LEET;
  if (/[ .\-_*~+,]/.test(char)) return SEPARATOR;
  return OTHER;
}

// Leetspeak trigger: 0 start, 1 letter, 2 letter + leet, 3 found.
function leetStep(state: number, charClass: number): number {
  if (state === 3) return 3;
  if (charClass === LETTER) return state === 2 ? 3 : 1;
  if (charClass === LEET) return state === 1 ? 2 : 0;
  return 0;
}

// Spaced letters: 0 start, 1 separator, 2 separator + letter, 3-5 then one to three separators,
// 6 then a letter, 7 found (that letter is followed by a separator).
function spacedStep(state: number, charClass: number): number {
  if (state === 7) return 7;
  if (charClass === SEPARATOR) return [1, 1, 3, 4, 5, 1, 7][state]!;
  if (charClass === LETTER) return [0, 2, 0, 6, 6, 6, 0][state]!;
  return 0;
}

/** Tables for `KeywordMatcher.scanWithRuns`; the automaton's state is `leet * 8 + spaced`. */
export interface CharacterPass {
  /** Per ASCII code: its class (bits 0-1) and TOKEN_MEMBER. */
  readonly classes: Uint8Array;
  /** Next state for `(state << 2) | class`. */
  readonly transitions: Uint8Array;
  /** LEET_POSSIBLE | SPACED_POSSIBLE bits a state proves. */
  readonly accepts: Uint8Array;
  readonly minRunLength: number;
}

export const CHARACTER_PASS: CharacterPass = (() => {
  const classes = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    classes[code] =
      classOf(String.fromCharCode(code)) | (TOKEN_CLASS[code] === 1 ? TOKEN_MEMBER : 0);
  }
  const transitions = new Uint8Array(32 * 4);
  const accepts = new Uint8Array(32);
  for (let leet = 0; leet < 4; leet++) {
    for (let spaced = 0; spaced < 8; spaced++) {
      const state = leet * 8 + spaced;
      accepts[state] = (leet === 3 ? LEET_POSSIBLE : 0) | (spaced === 7 ? SPACED_POSSIBLE : 0);
      for (let charClass = 0; charClass < 4; charClass++) {
        transitions[(state << 2) | charClass] =
          leetStep(leet, charClass) * 8 + spacedStep(spaced, charClass);
      }
    }
  }
  return { classes, transitions, accepts, minRunLength: MIN_TOKEN_LENGTH };
})();
