import { CONFUSABLES } from './confusables.js';
import { isInvisible } from './invisible.js';

/**
 * A transformed copy of the scanned text with a way back: `starts[i]`/`ends[i]` are the original
 * offsets of the code unit(s) that produced view character `i`. `null` means the view is aligned
 * one-to-one with the original.
 */
export interface TextView {
  text: string;
  starts: Int32Array | null;
  ends: Int32Array | null;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** Letters whose accents are dropped: Latin and Greek (`ή` reads as `η`, as people often type it). */
const ACCENTED_START = /^[A-Za-z\u0370-\u03ff]/;
/**
 * Latin letters with a stroke, which do not decompose: read as the plain letter. Not Vietnamese
 * `đ`: folded to `d`, the Vietnamese override verbs join the Latin verb tree in a shape recheck
 * finds polynomial, so those phrases spell `[dđ]` instead.
 */
const STROKE_LETTERS: ReadonlyMap<number, string> = new Map([
  [0x0141, 'l'],
  [0x0142, 'l'],
  [0x00d8, 'o'],
  [0x00f8, 'o'],
  [0x0126, 'h'],
  [0x0127, 'h'],
]);
const COMBINING_MARK = /^\p{M}$/u;
const MARKS = /\p{M}/gu;

const foldCache = new Map<number, string>();
const markCache = new Map<number, boolean>();
const FOLD_CACHE_LIMIT = 1 << 16;

/** Folds one non-ASCII code point: NFKC, diacritics off Latin letters, lower case, confusables. */
function foldCodePoint(codePoint: number): string {
  const cached = foldCache.get(codePoint);
  if (cached !== undefined) return cached;
  const char = String.fromCodePoint(codePoint);
  let folded: string;
  if (isInvisible(codePoint)) {
    folded = '';
  } else if (STROKE_LETTERS.has(codePoint)) {
    folded = STROKE_LETTERS.get(codePoint)!;
  } else {
    const decomposed = char.normalize('NFKD');
    folded = ACCENTED_START.test(decomposed)
      ? decomposed.replace(MARKS, '')
      : char.normalize('NFKC');
    folded = folded.toLowerCase();
    let mapped = '';
    for (const unit of folded) mapped += CONFUSABLES.get(unit.codePointAt(0)!) ?? unit;
    folded = mapped;
  }
  if (foldCache.size < FOLD_CACHE_LIMIT) foldCache.set(codePoint, folded);
  return folded;
}

function isCombiningMark(codePoint: number): boolean {
  let mark = markCache.get(codePoint);
  if (mark === undefined) {
    mark = COMBINING_MARK.test(String.fromCodePoint(codePoint));
    if (markCache.size < FOLD_CACHE_LIMIT) markCache.set(codePoint, mark);
  }
  return mark;
}

/** Collects a view's text and offset maps as it grows. */
export class ViewBuilder {
  private parts: string[] = [];
  private size = 0;
  private starts: Int32Array;
  private ends: Int32Array;

  constructor(capacity: number) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.ends = new Int32Array(Math.max(16, capacity));
  }

  private reserve(extra: number): void {
    const needed = this.size + extra;
    if (needed > this.starts.length) {
      const size = Math.max(needed, this.starts.length * 2);
      const starts = new Int32Array(size);
      const ends = new Int32Array(size);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
  }

  /** Appends `piece`, every character of which came from original range [start, end). */
  push(piece: string, start: number, end: number): void {
    this.reserve(piece.length);
    for (let index = 0; index < piece.length; index++) {
      this.starts[this.size + index] = start;
      this.ends[this.size + index] = end;
    }
    this.size += piece.length;
    this.parts.push(piece);
  }

  /** Appends `piece`, whose character `i` came from original range [starts[i], ends[i]). */
  pushMapped(piece: string, starts: ArrayLike<number>, ends: ArrayLike<number>): void {
    this.reserve(piece.length);
    for (let index = 0; index < piece.length; index++) {
      this.starts[this.size + index] = starts[index]!;
      this.ends[this.size + index] = ends[index]!;
    }
    this.size += piece.length;
    this.parts.push(piece);
  }

  /**
   * Appends `piece`, a copy of `source` view characters from `offset` on, keeping their maps
   * (a null map means the source is aligned with the original). One call per run, not per char.
   */
  pushRun(piece: string, offset: number, starts: Int32Array | null, ends: Int32Array | null): void {
    if (piece.length === 0) return;
    this.reserve(piece.length);
    if (starts === null || ends === null) {
      for (let index = 0; index < piece.length; index++) {
        this.starts[this.size + index] = offset + index;
        this.ends[this.size + index] = offset + index + 1;
      }
    } else {
      this.starts.set(starts.subarray(offset, offset + piece.length), this.size);
      this.ends.set(ends.subarray(offset, offset + piece.length), this.size);
    }
    this.size += piece.length;
    this.parts.push(piece);
  }

  /** Characters appended so far. */
  get length(): number {
    return this.size;
  }

  lastChar(): string {
    const last = this.parts[this.parts.length - 1];
    return last === undefined ? '' : last.charAt(last.length - 1);
  }

  build(): TextView {
    return {
      text: this.parts.join(''),
      starts: this.starts.subarray(0, this.size),
      ends: this.ends.subarray(0, this.size),
    };
  }
}

/** Folds of BMP code points, filled as they are met: an array lookup beats a Map's per character. */
let bmpFolds: Array<string | undefined> | null = null;
/** Per BMP code point: 0 not yet known, 1 not a combining mark, 2 a combining mark. */
const bmpMarks = new Uint8Array(0x10000);

const NON_ASCII = /[^\x00-\x7f]/g;
/** Characters of short pieces gathered before they become one string of the view. */
const CHUNK = 8192;

/**
 * The folded view rules of target `folded` match: NFKC, invisible and bidi characters removed,
 * confusables folded to Latin, diacritics removed from Latin letters, lower case.
 * Long ASCII runs are copied as strings; everything else is gathered by character code into
 * chunks: a flood of short pieces (a zero-width character after every letter) cost a string
 * per piece (bench:speed).
 * @example foldText('Ｉgnоre').text // 'ignore' (fullwidth I, Cyrillic о)
 */
export function foldText(text: string): TextView {
  if (ASCII_ONLY.test(text)) return { text: text.toLowerCase(), starts: null, ends: null };
  const length = text.length;
  let capacity = length + 16;
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let size = 0;
  const parts: string[] = [];
  const chunk = new Uint16Array(CHUNK);
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    parts.push(String.fromCharCode.apply(null, chunk.subarray(0, pending) as unknown as number[]));
    pending = 0;
  };
  /** The last character of the view so far (0 for none). */
  let last = 0;
  bmpFolds ??= new Array<string | undefined>(0x10000);
  const folds = bmpFolds;
  // Beyond the BMP, the last fold is kept: runs of one such character (tag characters) are common.
  let lastAstral = -1;
  let lastAstralFold = '';
  let index = 0;
  while (index < length) {
    let code = text.charCodeAt(index);
    if (code < 128) {
      // ASCII runs are copied in one go; only the characters beyond ASCII are folded one by one.
      // A short run is measured here; past 16 characters the regex engine finds its end faster.
      let runEnd = index + 1;
      while (runEnd < length && runEnd - index < 16 && text.charCodeAt(runEnd) < 128) runEnd++;
      if (runEnd - index === 16) {
        NON_ASCII.lastIndex = runEnd;
        runEnd = NON_ASCII.exec(text)?.index ?? length;
      }
      const runLength = runEnd - index;
      if (size + runLength > capacity) {
        capacity = Math.max(capacity * 2, size + runLength);
        starts = grow(starts, capacity);
        ends = grow(ends, capacity);
      }
      for (let offset = 0; offset < runLength; offset++) {
        starts[size + offset] = index + offset;
        ends[size + offset] = index + offset + 1;
      }
      size += runLength;
      if (runLength >= 16) {
        flush();
        const piece = text.slice(index, runEnd).toLowerCase();
        parts.push(piece);
        last = piece.charCodeAt(runLength - 1);
        index = runEnd;
        continue;
      }
      for (; index < runEnd; index++) {
        code = text.charCodeAt(index);
        if (code >= 65 && code <= 90) code += 32;
        if (pending === CHUNK) flush();
        chunk[pending++] = code;
      }
      last = code;
      continue;
    }
    const codePoint = text.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    // A combining accent written separately after a Latin letter is dropped like a precomposed one.
    if (last >= 97 && last <= 122) {
      let mark: boolean;
      if (width === 1) {
        let known = bmpMarks[codePoint]!;
        if (known === 0) {
          known = isCombiningMark(codePoint) ? 2 : 1;
          bmpMarks[codePoint] = known;
        }
        mark = known === 2;
      } else {
        mark = isCombiningMark(codePoint);
      }
      if (mark) {
        index += width;
        continue;
      }
    }
    let folded: string;
    if (width === 1) {
      const known = folds[codePoint];
      if (known === undefined) {
        folded = foldCodePoint(codePoint);
        folds[codePoint] = folded;
      } else {
        folded = known;
      }
    } else if (codePoint === lastAstral) {
      folded = lastAstralFold;
    } else {
      folded = foldCodePoint(codePoint);
      lastAstral = codePoint;
      lastAstralFold = folded;
    }
    const pieceLength = folded.length;
    if (pieceLength > 0) {
      if (size + pieceLength > capacity) {
        capacity = Math.max(capacity * 2, size + pieceLength);
        starts = grow(starts, capacity);
        ends = grow(ends, capacity);
      }
      for (let offset = 0; offset < pieceLength; offset++) {
        if (pending === CHUNK) flush();
        chunk[pending++] = folded.charCodeAt(offset);
        starts[size] = index;
        ends[size] = index + width;
        size++;
      }
      last = folded.charCodeAt(pieceLength - 1);
    }
    index += width;
  }
  flush();
  return {
    text: parts.join(''),
    starts: starts.subarray(0, size),
    ends: ends.subarray(0, size),
  };
}

function grow<T extends Uint16Array | Int32Array>(array: T, capacity: number): T {
  const larger = new (array.constructor as new (length: number) => T)(capacity);
  larger.set(array);
  return larger;
}

/**
 * Folds a rule's pattern source or keyword so it matches folded text: non-ASCII characters are
 * folded like scanned text; ASCII (including regex syntax such as `\S`) is left alone.
 */
export function foldRuleSource(source: string): string {
  let out = '';
  for (const char of source) {
    const codePoint = char.codePointAt(0)!;
    out += codePoint < 0x80 ? char : foldCodePoint(codePoint);
  }
  return out;
}

/** Maps a view range back to a range of the original text. */
export function mapSpan(
  view: TextView,
  start: number,
  end: number,
): { start: number; end: number } {
  if (view.starts === null || view.ends === null) return { start, end };
  const last = Math.max(start, end - 1);
  return {
    start: view.starts[Math.min(start, view.starts.length - 1)] ?? 0,
    end: view.ends[Math.min(last, view.ends.length - 1)] ?? 0,
  };
}
