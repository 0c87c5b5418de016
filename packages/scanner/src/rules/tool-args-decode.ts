/**
 * Decoders shared by the tool-argument rules (shell, path, SSRF, SQL) and the output rules
 * (exfiltration, XSS). Attack payloads hide their structure behind URL-encoding, overlong UTF-8,
 * HTML entities and escape notation; each function here undoes one layer, runs in linear time and
 * never throws on malformed input (malformed sequences are kept as they are).
 */

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function hexByteAt(text: string, index: number): number {
  const high = hexValue(text.charCodeAt(index));
  const low = hexValue(text.charCodeAt(index + 1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/**
 * Decodes a run of bytes as UTF-8, accepting overlong forms (`C0 AE` is `.`) the way old
 * servers did, so that `%c0%ae%c0%ae%c0%af` reads as `../`. A lead byte whose continuation is
 * missing is dropped; a stray byte is kept as the Latin-1 character of the same value.
 */
function decodeBytesLenient(bytes: readonly number[]): string {
  let out = '';
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    let length = 0;
    if (lead >= 0xc0 && lead <= 0xdf) length = 1;
    else if (lead >= 0xe0 && lead <= 0xef) length = 2;
    else if (lead >= 0xf0 && lead <= 0xf7) length = 3;
    else if (lead >= 0xf8 && lead <= 0xfb) length = 4;
    else if (lead >= 0xfc && lead <= 0xfd) length = 5;
    if (length === 0) {
      out += String.fromCharCode(lead);
      index += 1;
      continue;
    }
    const next = bytes[index + 1];
    if ((lead === 0xc0 || lead === 0xc1) && next !== undefined) {
      // C0 and C1 only ever start overlong forms; IIS-era decoders ignored the continuation
      // byte's marker bits (`%c0%ee`, `%c1%1c`), so do the same.
      out += String.fromCharCode(((lead & 0x01) << 6) | (next & 0x3f));
      index += 2;
      continue;
    }
    let codePoint = lead & (0x3f >> length);
    let consumed = 0;
    while (consumed < length) {
      const next = bytes[index + 1 + consumed];
      if (next === undefined || (next & 0xc0) !== 0x80) break;
      codePoint = codePoint * 64 + (next & 0x3f);
      consumed += 1;
    }
    if (consumed < length) {
      // An IIS-era trick: `%c0` followed by a plain byte. The lead byte carries nothing.
      index += 1 + consumed;
      continue;
    }
    out += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\ufffd';
    index += 1 + length;
  }
  return out;
}

/**
 * One round of percent-decoding: `%XX` runs are decoded as (lenient) UTF-8 and `%uXXXX` as a
 * UTF-16 unit. Invalid escapes such as `%c0%9v` or a lone `%` are left in place.
 *
 * @example percentDecode('%2e%2e%2fetc') // '../etc'
 */
export function percentDecode(text: string): string {
  if (text.indexOf('%') < 0) return text;
  let out = '';
  let index = 0;
  const bytes: number[] = [];
  while (index < text.length) {
    const char = text[index];
    if (char === '%') {
      const byte = hexByteAt(text, index + 1);
      if (byte >= 0) {
        bytes.push(byte);
        index += 3;
        continue;
      }
      const marker = text[index + 1];
      if (marker === 'u' || marker === 'U') {
        const high = hexByteAt(text, index + 2);
        const low = hexByteAt(text, index + 4);
        if (high >= 0 && low >= 0) {
          if (bytes.length > 0) out += decodeBytesLenient(bytes.splice(0));
          out += String.fromCharCode(high * 256 + low);
          index += 6;
          continue;
        }
      }
    }
    if (bytes.length > 0) out += decodeBytesLenient(bytes.splice(0));
    out += char;
    index += 1;
  }
  if (bytes.length > 0) out += decodeBytesLenient(bytes);
  return out;
}

/**
 * Percent-decodes until nothing changes (at most `rounds` times), which undoes double and
 * triple encoding (`%252e` → `%2e` → `.`) and nibble tricks (`%%32%65` → `%2e` → `.`).
 */
export function percentDecodeRepeatedly(text: string, rounds = 4): string {
  let current = text;
  for (let round = 0; round < rounds; round += 1) {
    const next = percentDecode(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  tab: '\t',
  newline: '\n',
  colon: ':',
  semi: ';',
  lpar: '(',
  rpar: ')',
  sol: '/',
  bsol: '\\',
  period: '.',
  comma: ',',
  excl: '!',
  equals: '=',
  num: '#',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  lcub: '{',
  rcub: '}',
  grave: '`',
  plus: '+',
  quest: '?',
  percnt: '%',
  dollar: '$',
  ast: '*',
  vert: '|',
  hyphen: '-',
  dash: '-',
};

/**
 * Decodes HTML character references: numeric (`&#60;`, `&#x3c;`, with or without the `;`, any
 * number of leading zeros) and the named ones attackers use. Unknown names are kept.
 *
 * @example decodeHtmlEntities('&lt;img src=x&gt;') // '<img src=x>'
 */
export function decodeHtmlEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char !== '&') {
      out += char;
      index += 1;
      continue;
    }
    if (text[index + 1] === '#') {
      let cursor = index + 2;
      const isHex = text[cursor] === 'x' || text[cursor] === 'X';
      if (isHex) cursor += 1;
      const digitsStart = cursor;
      let value = 0;
      // Bounded so a long digit run cannot overflow; leading zeros are common padding.
      while (cursor < text.length && cursor - digitsStart < 12) {
        const digit = isHex
          ? hexValue(text.charCodeAt(cursor))
          : text.charCodeAt(cursor) >= 48 && text.charCodeAt(cursor) <= 57
            ? text.charCodeAt(cursor) - 48
            : -1;
        if (digit < 0) break;
        value = value * (isHex ? 16 : 10) + digit;
        cursor += 1;
      }
      if (cursor > digitsStart && value <= 0x10ffff) {
        out += String.fromCodePoint(value);
        index = text[cursor] === ';' ? cursor + 1 : cursor;
        continue;
      }
    } else {
      let cursor = index + 1;
      while (cursor < text.length && cursor - index <= 10 && /[A-Za-z]/.test(text[cursor] ?? '')) {
        cursor += 1;
      }
      const name = text.slice(index + 1, cursor).toLowerCase();
      const replacement = NAMED_ENTITIES[name];
      if (replacement !== undefined && name.length > 0) {
        out += replacement;
        index = text[cursor] === ';' ? cursor + 1 : cursor;
        continue;
      }
    }
    out += char;
    index += 1;
  }
  return out;
}

const LETTER_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/**
 * Decodes escape notation that payload lists and JavaScript strings use: `\xNN`, `\uNNNN`,
 * `\u{N..}`, `\0`, and the letter escapes `\n`, `\r`, `\t`, `\f`, `\v`. Other backslashes are kept.
 *
 * @example decodeBackslashEscapes('\\x3cscript') // '<script'
 */
export function decodeBackslashEscapes(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char !== '\\') {
      out += char;
      index += 1;
      continue;
    }
    const next = text[index + 1];
    if (next === 'x' || next === 'X') {
      const byte = hexByteAt(text, index + 2);
      if (byte >= 0) {
        out += String.fromCharCode(byte);
        index += 4;
        continue;
      }
    } else if (next === 'u') {
      if (text[index + 2] === '{') {
        const close = text.indexOf('}', index + 3);
        if (close > index + 3 && close - index <= 10) {
          const value = Number.parseInt(text.slice(index + 3, close), 16);
          if (Number.isFinite(value) && value <= 0x10ffff) {
            out += String.fromCodePoint(value);
            index = close + 1;
            continue;
          }
        }
      } else {
        const high = hexByteAt(text, index + 2);
        const low = hexByteAt(text, index + 4);
        if (high >= 0 && low >= 0) {
          out += String.fromCharCode(high * 256 + low);
          index += 6;
          continue;
        }
      }
    } else if (next !== undefined && next in LETTER_ESCAPES) {
      out += LETTER_ESCAPES[next] ?? '';
      index += 2;
      continue;
    }
    out += char;
    index += 1;
  }
  return out;
}

/** True when the text contains at least one valid `%XX` escape. */
export function hasPercentEscape(text: string): boolean {
  let index = text.indexOf('%');
  while (index >= 0) {
    if (hexByteAt(text, index + 1) >= 0) return true;
    index = text.indexOf('%', index + 1);
  }
  return false;
}
