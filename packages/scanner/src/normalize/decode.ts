import { isTagCharacter } from './invisible.js';

/** A payload found encoded inside the text, decoded so it can be scanned like the rest. */
export interface DecodedSegment {
  encoding: 'base64' | 'hex' | 'url' | 'html-entities' | 'unicode-tags';
  /** Where the encoded payload sits in the text it was found in. */
  start: number;
  end: number;
  decoded: string;
}

/** Hex written with escapes or separators (`\x69\x67`, `0x69 0x67`, `69:67:6e`): found by regex. */
const COLON_HEX = /[0-9a-fA-F]{2}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}:/;
const SEPARATED_HEX =
  /(?:(?:\\x|0x)[0-9a-fA-F]{2}[ :,]?){8,}|(?<![0-9a-fA-F])[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){7,}/g;
const PERCENT = /[^\s%]{0,64}(?:%[0-9a-fA-F]{2}[^\s%]{0,64}){3,}/g;
const ENTITIES =
  /[^\s&]{0,64}(?:&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});[^\s&]{0,64}){2,}/g;

const MAX_SEGMENTS = 64;
const MAX_SEGMENT_LENGTH = 64 * 1024;

interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
type DecoderConstructor = new (label: string, options: { fatal: boolean }) => Utf8Decoder;

// Typed locally: the scanner compiles without DOM or Node typings, and every target runtime has it.
const TextDecoderConstructor = (globalThis as { TextDecoder?: DecoderConstructor }).TextDecoder;
let utf8: Utf8Decoder | undefined;

function decodeUtf8(bytes: Uint8Array): string | null {
  if (TextDecoderConstructor === undefined) {
    // No decoder: accept plain ASCII only.
    return bytes.every((byte) => byte < 0x80) ? String.fromCharCode(...bytes) : null;
  }
  utf8 ??= new TextDecoderConstructor('utf-8', { fatal: true });
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** True when decoded bytes read as text a model could follow, not binary noise. */
function looksLikeText(decoded: string): boolean {
  if (decoded.length < 4) return false;
  let printable = 0;
  let letters = 0;
  for (const char of decoded) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127 && code < 0xfffd)) {
      printable++;
    }
    if (/\p{L}/u.test(char)) letters++;
  }
  const length = [...decoded].length;
  return printable / length >= 0.95 && letters / length >= 0.5;
}

const BASE64_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let index = 0; index < alphabet.length; index++) table[alphabet.charCodeAt(index)] = index;
  table[43] = 62; // +
  table[45] = 62; // - (URL-safe)
  table[47] = 63; // /
  table[95] = 63; // _ (URL-safe)
  return table;
})();

function decodeBase64(value: string): Uint8Array | null {
  const clean = value.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (let index = 0; index < clean.length; index++) {
    const digit = BASE64_VALUES[clean.charCodeAt(index)] ?? -1;
    if (digit < 0) return null;
    buffer = (buffer << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes.subarray(0, out);
}

function decodeHex(value: string): Uint8Array | null {
  const digits = value.replace(/\\x|0x|[ :,%]/g, '');
  if (digits.length % 2 !== 0) return null;
  const bytes = new Uint8Array(digits.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

function decodePercent(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // Not valid UTF-8 after decoding: fall back to byte-per-character, still readable for ASCII.
    return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  colon: ':',
  sol: '/',
  lpar: '(',
  rpar: ')',
  period: '.',
  comma: ',',
  tab: '\t',
  newline: '\n',
};

function decodeEntities(value: string): string {
  return value.replace(
    /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g,
    (entity, body: string) => {
      if (body.startsWith('#')) {
        const hex = body[1] === 'x' || body[1] === 'X';
        const codePoint = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
        return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
      }
      return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
    },
  );
}

/** 1 for the base64 alphabet (standard and URL-safe), which includes the hex digits. */
export const TOKEN_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    if (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(code))) table[code] = 1;
  }
  return table;
})();
// 12 characters carry 9 bytes: enough for a short order such as "say pwned".
export const MIN_TOKEN_LENGTH = 12;

/**
 * Finds runs of 12+ base64-alphabet characters (plus up to two `=`) in one pass: a hand-written
 * loop, because a regex retried at every letter of ordinary prose costs three to four times more
 * (bench:speed).
 */
function findTokenRuns(text: string): number[] {
  const found: number[] = [];
  const length = text.length;
  let run = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 128 && TOKEN_CLASS[code] === 1) {
      run++;
      continue;
    }
    if (run >= MIN_TOKEN_LENGTH) found.push(index - run, index);
    run = 0;
  }
  if (run >= MIN_TOKEN_LENGTH) found.push(length - run, length);
  return found;
}

/** Decodes runs of Unicode tag characters into the ASCII they spell. */
function findTagRuns(text: string, segments: DecodedSegment[]): void {
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    if (!isTagCharacter(codePoint)) {
      index += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const start = index;
    let decoded = '';
    while (index < text.length) {
      const inner = text.codePointAt(index)!;
      if (!isTagCharacter(inner)) break;
      const ascii = inner - 0xe0000;
      if (ascii >= 0x20 && ascii < 0x7f) decoded += String.fromCharCode(ascii);
      index += 2;
    }
    if (decoded.length > 0) segments.push({ encoding: 'unicode-tags', start, end: index, decoded });
  }
}

const MAY_HAVE_TAGS = /[\udb40]/;

/**
 * Finds encoded payloads (base64, hex, percent-encoding, HTML entities, Unicode tags) and decodes
 * the ones that turn out to be readable text. Bounded: at most 64 segments of 64 KiB each.
 * `tokenRuns` are the runs of TOKEN_CLASS characters of at least MIN_TOKEN_LENGTH, flat
 * [start, end...], when the caller found them already (the keyword pass does).
 * @example findEncodedSegments('aWdub3JlIGFsbCBydWxlcw==')[0]?.decoded // 'ignore all rules'
 */
export function findEncodedSegments(text: string, tokenRuns?: readonly number[]): DecodedSegment[] {
  const segments: DecodedSegment[] = [];
  if (MAY_HAVE_TAGS.test(text)) findTagRuns(text, segments);
  const add = (
    encoding: DecodedSegment['encoding'],
    start: number,
    raw: string,
    decoded: string | null,
  ) => {
    if (segments.length >= MAX_SEGMENTS || decoded === null || decoded === raw) return;
    if (!looksLikeText(decoded)) return;
    segments.push({ encoding, start, end: start + raw.length, decoded });
  };
  const collect = (
    pattern: RegExp,
    decode: (raw: string) => string | null,
    encoding: DecodedSegment['encoding'],
  ) => {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (segments.length >= MAX_SEGMENTS) return;
      const raw = match[0];
      if (raw.length > MAX_SEGMENT_LENGTH) continue;
      add(encoding, match.index, raw, decode(raw));
    }
  };
  const runs = tokenRuns ?? findTokenRuns(text);
  for (let pair = 0; pair < runs.length; pair += 2) {
    const start = runs[pair]!;
    const runEnd = runs[pair + 1]!;
    let end = runEnd;
    while (end < text.length && end - runEnd < 2 && text.charCodeAt(end) === 61) end++; // '=' padding
    if (segments.length >= MAX_SEGMENTS) break;
    if (end - start > MAX_SEGMENT_LENGTH) continue;
    const raw = text.slice(start, end);
    if (/^[0-9a-fA-F]+$/.test(raw)) {
      const bytes = decodeHex(raw);
      add('hex', start, raw, bytes === null ? null : decodeUtf8(bytes));
    } else if (!/^[a-z]+$/i.test(raw)) {
      // Plain words are not base64 payloads worth decoding.
      const bytes = decodeBase64(raw);
      add('base64', start, raw, bytes === null ? null : decodeUtf8(bytes));
    }
  }
  // Escaped hex needs its marker; colon-separated hex needs a colon between two hex digits.
  if (text.includes('\\x') || text.includes('0x') || COLON_HEX.test(text)) {
    collect(
      SEPARATED_HEX,
      (raw) => {
        const bytes = decodeHex(raw);
        return bytes === null ? null : decodeUtf8(bytes);
      },
      'hex',
    );
  }
  if (text.includes('%')) collect(PERCENT, decodePercent, 'url');
  if (text.includes('&')) collect(ENTITIES, decodeEntities, 'html-entities');
  return segments;
}
