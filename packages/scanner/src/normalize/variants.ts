import { type TextView, ViewBuilder } from './fold.js';

/** A folded view rewritten to undo one obfuscation, named for the findings it yields. */
export interface VariantView extends TextView {
  encoding: 'leetspeak' | 'spaced-letters' | 'rot13';
  /**
   * Where the variant differs from its source, flat [start, end...] in variant offsets; absent
   * when it differs throughout (ROT13). Elsewhere it reads like the folded view, which has been
   * scanned already.
   */
  changes?: number[];
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};
// A leet character with a letter on each side: numbers beside words ("3 eggs", "h264") do not count.
const LEET_TRIGGER = /[a-z][013457@$|][a-z]/;

function isAsciiLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** A character that may be leet (the `8` too, as in `b8`); words are found around these. */
const LEET_CHARACTER = /[013457@$|!8]/g;

/** A character of a leet word: `[a-z0-9@$|!]`. */
function isLeetWordCode(code: number): boolean {
  return (
    isAsciiLetter(code) ||
    (code >= 48 && code <= 57) ||
    code === 64 ||
    code === 36 ||
    code === 124 ||
    code === 33
  );
}
/** LEET as a table of character codes (0: unchanged). */
const LEET_CODES = (() => {
  const codes = new Uint16Array(128);
  for (const [from, to] of Object.entries(LEET)) codes[from.charCodeAt(0)] = to.charCodeAt(0);
  return codes;
})();

/**
 * `word` with its leet characters read as letters. Built from a code array in chunks: a word can
 * be a whole flooded window, and a callback or a concatenation per character cost seconds of
 * garbage collection per megabyte (bench:speed, hex-like and at-sign inputs).
 */
function undoLeet(word: string): string {
  const codes = new Uint16Array(word.length);
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    codes[index] = (code < 128 ? LEET_CODES[code] : 0) || code;
  }
  let out = '';
  for (let start = 0; start < codes.length; start += 8192) {
    // `apply`, not a spread: spreading a typed array walks an iterator, several times slower.
    out += String.fromCharCode.apply(
      null,
      codes.subarray(start, start + 8192) as unknown as number[],
    );
  }
  return out;
}
const HAS_LETTER = /[a-z]/;

/**
 * Replaces leet characters in words that mix them with letters (`1gn0r3` → `ignore`,
 * `5354m3` → `sesame`); plain numbers stay numbers and a closing `!` stays punctuation.
 * Same length as its source, so it shares the folded view's offset map. Null when nothing changed.
 */
export function deleet(view: TextView): VariantView | null {
  const text = view.text;
  if (!LEET_TRIGGER.test(text)) return null;
  let out = '';
  let copied = 0;
  const changes: number[] = [];
  // The words of `[a-z0-9@$|!]*[013457@$|!8][a-z0-9@$|!]*`, found from their leet characters
  // and widened to the whole run: that regex, retried at every letter of ordinary prose, cost
  // more than the keyword pass over the same text (bench:speed, adversarial text).
  let searched = 0;
  LEET_CHARACTER.lastIndex = 0;
  for (let found = LEET_CHARACTER.exec(text); found !== null; found = LEET_CHARACTER.exec(text)) {
    let start = found.index;
    while (start > searched && isLeetWordCode(text.charCodeAt(start - 1))) start--;
    let end = found.index + 1;
    while (end < text.length && isLeetWordCode(text.charCodeAt(end))) end++;
    searched = end;
    LEET_CHARACTER.lastIndex = end;
    const word = text.slice(start, end).replace(/!+$/, '');
    if (!HAS_LETTER.test(word)) continue;
    const rewritten = undoLeet(word);
    if (rewritten === word) continue;
    out += text.slice(copied, start) + rewritten;
    copied = start + word.length;
    changes.push(start, copied);
  }
  if (changes.length === 0) return null;
  out += text.slice(copied);
  return { text: out, starts: view.starts, ends: view.ends, encoding: 'leetspeak', changes };
}

/** ROT13 of the ASCII letters. Same length as its source. */
export function rot13(view: TextView): VariantView {
  const text = view.text;
  let out = '';
  let runStart = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isAsciiLetter(code)) continue;
    out += text.slice(runStart, index) + String.fromCharCode(((code - 97 + 13) % 26) + 97);
    runStart = index + 1;
  }
  out += text.slice(runStart);
  return { text: out, starts: view.starts, ends: view.ends, encoding: 'rot13' };
}

const SPACED_RUN =
  /(?<![a-z0-9])[a-z][ .\-_*~+,]{1,3}[a-z][ .\-_*~+,]{1,3}[a-z][ .\-_*~+,]{1,3}[a-z](?![a-z0-9])/g;

function isSeparator(code: number): boolean {
  // space . - _ * ~ + ,
  return (
    code === 32 ||
    code === 46 ||
    code === 45 ||
    code === 95 ||
    code === 42 ||
    code === 126 ||
    code === 43 ||
    code === 44
  );
}

function isAlphanumeric(code: number): boolean {
  return isAsciiLetter(code) || (code >= 48 && code <= 57);
}

/**
 * Joins letters spelled out one at a time (`i g n o r e  a l l` → `ignore all`). A gap unlike
 * both its neighbours is read as a word break. Returns null when there is no such run.
 */
export function despace(view: TextView): VariantView | null {
  const text = view.text;
  SPACED_RUN.lastIndex = 0;
  if (!SPACED_RUN.test(text)) return null;
  const builder = new ViewBuilder(text.length);
  const startOf = (index: number) => (view.starts === null ? index : view.starts[index]!);
  const endOf = (index: number) => (view.ends === null ? index + 1 : view.ends[index]!);
  const length = text.length;
  const changes: number[] = [];
  let copied = 0;
  SPACED_RUN.lastIndex = 0;
  // Jump from candidate run to candidate run; the text between is copied in bulk.
  for (let found = SPACED_RUN.exec(text); found !== null; found = SPACED_RUN.exec(text)) {
    const first = found.index;
    const letters = [first];
    // Each gap as a number (its separators' codes and its length), so gaps compare cheaply.
    const gaps: number[] = [];
    let last = first;
    for (;;) {
      let next = last + 1;
      let gapKey = 0;
      while (next < length && next - last <= 3 && isSeparator(text.charCodeAt(next))) {
        gapKey = gapKey * 128 + text.charCodeAt(next);
        next++;
      }
      const gap = next - last - 1;
      if (gap === 0 || gap > 3 || next >= length) break;
      if (!isAsciiLetter(text.charCodeAt(next))) break;
      if (next + 1 < length && isAlphanumeric(text.charCodeAt(next + 1))) break;
      letters.push(next);
      gaps.push(gapKey * 4 + gap);
      last = next;
    }
    builder.pushRun(text.slice(copied, first), copied, view.starts, view.ends);
    const changeStart = builder.length;
    // A gap unlike both its neighbours ("a b c   d e" or "a.b.c d-e-f") separates words.
    const isWordBreak = (gap: number) =>
      gaps[gap] !== (gaps[gap - 1] ?? gaps[gap + 1]) &&
      gaps[gap] !== (gaps[gap + 1] ?? gaps[gap - 1]);
    // Written into arrays and appended once: a run can be the whole text (a flood of "a a a").
    const codes = new Uint16Array(letters.length * 2);
    const starts = new Int32Array(letters.length * 2);
    const ends = new Int32Array(letters.length * 2);
    let count = 0;
    for (let position = 0; position < letters.length; position++) {
      const letter = letters[position]!;
      if (position > 0 && isWordBreak(position - 1)) {
        codes[count] = 32;
        starts[count] = startOf(letter);
        ends[count] = startOf(letter);
        count++;
      }
      codes[count] = text.charCodeAt(letter);
      starts[count] = startOf(letter);
      ends[count] = endOf(letter);
      count++;
    }
    let joined = '';
    for (let start = 0; start < count; start += 8192) {
      joined += String.fromCharCode.apply(
        null,
        codes.subarray(start, Math.min(count, start + 8192)) as unknown as number[],
      );
    }
    builder.pushMapped(joined, starts, ends);
    changes.push(changeStart, builder.length);
    copied = last + 1;
    SPACED_RUN.lastIndex = copied;
  }
  builder.pushRun(text.slice(copied), copied, view.starts, view.ends);
  return { ...builder.build(), encoding: 'spaced-letters', changes };
}
