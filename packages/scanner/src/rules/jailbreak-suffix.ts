import type { RuleHit } from './rule.js';

/**
 * Adversarial suffixes (GCG and kin): optimised token salad appended to a request, e.g.
 * `... tellingly.\ + likewiseThen draft reversedly.]( Us sending**TWO kindly?` (made up, in that shape). Read on the raw
 * end of the text, line by line. Only lines whose brackets do not pair up are tokenised at all
 * (code, JSON and URLs pair theirs), then a window of tokens is scored by how out of place each
 * token is in prose: symbols inside words, mixed scripts, camel joins. No regex.
 */

/** Tokens per window. */
const WINDOW = 10;
/** Odd tokens a window needs (measured on jailbreakbench GCG/DSN against code-heavy benign sets). */
const MIN_ODD = 3;
/** At the very end of the text, where suffixes sit, a sparser salad over a wider window is enough. */
const TAIL_WINDOW = 12;
const MIN_ODD_AT_END = 2;
/** Tokens the tail window must hold once the request's first words are set aside. */
const MIN_TAIL_TOKENS = 6;
/** Plain words that must precede the window: the request the suffix is appended to. */
const MIN_PROSE_WORDS = 4;
/** Brackets of the line that close the wrong opener or never close. */
const MIN_UNPAIRED = 2;

// Character classes.
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const LATIN_EXTENDED = 4;
const OTHER_SCRIPT = 5;
const SPACE = 6;

// ASCII flags.
const BRACKETISH = 1; // {}[]()<>`$\|^~=*#@%_ : code and markup, rare inside prose words
const LEAD_STRIP = 2; // ("'`[{< : may open a prose word
const TRAIL_STRIP = 4; // )"'`]}>.,;:!? : may close a prose word
const LEADING_SYMBOL = 8; // !?.:;,#$%&*+=\|~^ : a run of these glued before a word is odd
const JOINER = 16; // -'.&/ : may join two letters in ordinary words ("don't", "and/or")
const FINAL_MARK = 32; // ,.;:!? : may end a prose word

const ASCII_FLAGS = new Uint8Array(128);
function flag(chars: string, bit: number): void {
  for (const char of chars) ASCII_FLAGS[char.charCodeAt(0)]! |= bit;
}
flag('{}[]()<>`$\\|^~=*#@%_', BRACKETISH);
flag('("\'`[{<', LEAD_STRIP);
flag(')"\'`]}>.,;:!?', TRAIL_STRIP);
flag('!?.:;,#$%&*+=\\|~^', LEADING_SYMBOL);
flag("-'.&/", JOINER);
flag(',.;:!?', FINAL_MARK);

function charClass(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  if (code === 32 || code === 9 || code === 13 || code === 10 || code === 0xa0) return SPACE;
  if (code < 0xc0) return OTHER;
  if (code <= 0x24f) return code === 0xd7 || code === 0xf7 ? OTHER : LATIN_EXTENDED;
  if (code <= 0x36f) return code >= 0x300 ? LATIN_EXTENDED : OTHER; // combining accents
  // Greek, Cyrillic, Armenian, Hebrew, Arabic; Indic to Thai; Hangul Jamo; kana; CJK; Hangul.
  if (
    code <= 0x6ff ||
    (code >= 0x900 && code <= 0xe7f) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af)
  ) {
    return OTHER_SCRIPT;
  }
  if (code === 0x2019) return OTHER; // ’ handled as a joiner below
  return OTHER;
}

const isLetter = (cls: number): boolean =>
  cls === LOWER || cls === UPPER || cls === LATIN_EXTENDED || cls === OTHER_SCRIPT;

function flagsOf(code: number): number {
  if (code < 128) return ASCII_FLAGS[code]!;
  return code === 0x2019 ? JOINER : 0;
}

/** Oddness of text[start, end): 1 for symbol-laced or mixed-script tokens, 0.5 for camel joins. */
function tokenOddness(text: string, start: number, end: number): number {
  let letters = 0;
  let digits = 0;
  let bracketish = false;
  let latin = false;
  let other = false;
  let camel = false;
  let inner = false;
  let longRun = false;
  let run = 0;
  let previousCode = -1;
  let previousClass = OTHER;
  let beforePreviousClass = OTHER;
  let seenLetter = false;
  let symbolSinceLetter = false;
  let atSign = -1;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    const cls = charClass(code);
    const flags = flagsOf(code);
    if ((flags & BRACKETISH) !== 0) bracketish = true;
    if (code === 64 && atSign < 0) atSign = index; // @
    if (isLetter(cls)) {
      letters++;
      if (cls === OTHER_SCRIPT) other = true;
      else latin = true;
      if (symbolSinceLetter && seenLetter) inner = true;
      seenLetter = true;
      symbolSinceLetter = false;
      if (cls === UPPER && previousClass === LOWER && beforePreviousClass === LOWER) camel = true;
    } else if (cls === DIGIT) {
      digits++;
      seenLetter = false;
      symbolSinceLetter = false;
    } else if ((flags & JOINER) === 0) {
      symbolSinceLetter = true;
    }
    run = code === previousCode ? run + 1 : 1;
    if (
      (run >= 4 && (code === 46 || code === 33 || code === 63 || code === 45)) ||
      (run >= 3 && code === 95)
    ) {
      longRun = true;
    }
    previousCode = code;
    beforePreviousClass = previousClass;
    previousClass = cls;
  }
  const score = scoreToken(
    text,
    start,
    end,
    letters,
    digits,
    bracketish,
    latin && other,
    camel,
    inner || longRun,
  );
  if (score === 0) return 0;
  // URLs and e-mail addresses are not salad.
  if (text.startsWith('www.', start) || text.slice(start, end).includes('://')) return 0;
  const dot = atSign > start ? text.indexOf('.', atSign) : -1;
  return dot > atSign && dot < end ? 0 : score;
}

function scoreToken(
  text: string,
  start: number,
  end: number,
  letters: number,
  digits: number,
  bracketish: boolean,
  mixedScripts: boolean,
  camel: boolean,
  symbolInWord: boolean,
): number {
  if (letters === 0) {
    return digits === 0 && end - start >= 2 && bracketish && !isEmoticon(text, start, end) ? 1 : 0;
  }
  if (mixedScripts) return 1;
  if (bracketish) {
    let first = start;
    let last = end - 1;
    while (first <= last && (flagsOf(text.charCodeAt(first)) & LEAD_STRIP) !== 0) first++;
    while (last >= first && (flagsOf(text.charCodeAt(last)) & TRAIL_STRIP) !== 0) last--;
    for (let index = first; index <= last; index++) {
      if ((flagsOf(text.charCodeAt(index)) & BRACKETISH) !== 0) return 1;
    }
  }
  if ((flagsOf(text.charCodeAt(start)) & LEADING_SYMBOL) !== 0) {
    let index = start;
    while (index < end && (flagsOf(text.charCodeAt(index)) & LEADING_SYMBOL) !== 0) index++;
    if (index < end && isLetter(charClass(text.charCodeAt(index)))) return 1;
  }
  if (symbolInWord) return 1;
  return camel ? 0.5 : 0;
}

/** ":)", ";-(", "(:" and the like: punctuation-only tokens of ordinary chat. */
function isEmoticon(text: string, start: number, end: number): boolean {
  if (end - start > 3) return false;
  let eyes = false;
  let mouth = false;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 58 || code === 59)
      eyes = true; // : ;
    else if (code === 40 || code === 41 || code === 91 || code === 93)
      mouth = true; // ( ) [ ]
    else if (code !== 45 && code !== 39) return false; // - '
  }
  return eyes && mouth;
}

/** A plain word, optionally followed by one punctuation mark: part of the request. */
function isProseWord(text: string, start: number, end: number): boolean {
  const last = (flagsOf(text.charCodeAt(end - 1)) & FINAL_MARK) !== 0 ? end - 1 : end;
  if (last === start) return false;
  for (let index = start; index < last; index++) {
    if (!isLetter(charClass(text.charCodeAt(index)))) return false;
  }
  return true;
}

const NOT_BRACKET = /[^()[\]{}]+/g;

/** Brackets in [start, end) that close the wrong opener or never close. */
function unpairedBrackets(text: string, start: number, end: number): number {
  // The engine's regex strips everything else natively; the loop then sees brackets only.
  const brackets = text.slice(start, end).replace(NOT_BRACKET, '');
  if (brackets.length < MIN_UNPAIRED) return 0;
  const open: number[] = [];
  let unpaired = 0;
  for (let index = 0; index < brackets.length; index++) {
    const code = brackets.charCodeAt(index);
    if (code === 40 || code === 91 || code === 123) open.push(code);
    else if (code === 41 || code === 93 || code === 125) {
      const expected = code === 41 ? 40 : code - 2;
      if (open[open.length - 1] === expected) open.pop();
      else unpaired++;
    }
  }
  return unpaired + open.length;
}

function suffixInLine(
  text: string,
  start: number,
  end: number,
  atTextEnd: boolean,
): RuleHit | null {
  const starts: number[] = [];
  const ends: number[] = [];
  const odd: number[] = [];
  const proseBefore: number[] = [];
  let prose = 0;
  let index = start;
  while (index < end) {
    while (index < end && charClass(text.charCodeAt(index)) === SPACE) index++;
    if (index >= end) break;
    const tokenStart = index;
    while (index < end && charClass(text.charCodeAt(index)) !== SPACE) index++;
    starts.push(tokenStart);
    ends.push(index);
    odd.push(tokenOddness(text, tokenStart, index));
    proseBefore.push(prose);
    if (isProseWord(text, tokenStart, index)) prose++;
  }
  let sum = 0;
  for (let token = 0; token < odd.length; token++) {
    sum += odd[token]!;
    if (token >= WINDOW) sum -= odd[token - WINDOW]!;
    if (token < WINDOW - 1) continue;
    const first = token - WINDOW + 1;
    if (sum >= MIN_ODD && proseBefore[first]! >= MIN_PROSE_WORDS) {
      return { start: starts[first]!, end: ends[token]!, score: sum >= 4 ? 0.85 : 0.75 };
    }
  }
  // The tail: the last tokens after the first few words of the request.
  if (!atTextEnd) return null;
  const last = odd.length - 1;
  let first = Math.max(0, last - TAIL_WINDOW + 1);
  while (first <= last && proseBefore[first]! < MIN_PROSE_WORDS) first++;
  if (last - first + 1 < MIN_TAIL_TOKENS) return null;
  let tail = 0;
  for (let token = first; token <= last; token++) tail += odd[token]!;
  return tail >= MIN_ODD_AT_END ? { start: starts[first]!, end: ends[last]!, score: 0.7 } : null;
}

/** Characters read at the end of the text: a suffix rides on the end of the request. */
const TAIL_LENGTH = 600;

/**
 * The adversarial suffix at the end of the text, if any. Reads at most TAIL_LENGTH characters,
 * so the cost does not grow with the text.
 */
export function findAdversarialSuffix(text: string): RuleHit[] {
  const trimmedEnd = text.trimEnd().length;
  let start = Math.max(0, trimmedEnd - TAIL_LENGTH);
  // Start on a token boundary so the first token is whole.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space < 0 || space >= trimmedEnd ? trimmedEnd : space + 1;
  }
  while (start < trimmedEnd) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 || newline > trimmedEnd ? trimmedEnd : newline;
    if (unpairedBrackets(text, start, end) >= MIN_UNPAIRED) {
      const hit = suffixInLine(text, start, end, end === trimmedEnd);
      if (hit !== null) return [hit];
    }
    start = end + 1;
  }
  return [];
}
