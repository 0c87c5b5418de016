/**
 * A small, forgiving shell lexer for the shell rules: it normalises the encodings payload lists
 * use, finds command separators (outside quotes where that matters) and reads the command word
 * that follows, undoing the quote-splitting tricks (`w'h'o'am'i`, `c\at`, `who$@ami`).
 * Everything here is linear in the length of the command.
 */
import {
  decodeHtmlEntities,
  hasPercentEscape,
  percentDecodeRepeatedly,
} from './tool-args-decode.js';

export interface NormalisedCommand {
  text: string;
  /** `text` is the original value, so offsets can be reported exactly. */
  exact: boolean;
  /** The value was URL-encoded, HTML-escaped or used `\n`-style escapes for separators. */
  encoded: boolean;
}

/** Literal escape notation for line breaks (`\n`, `\r\n`), as payload lists write it. */
const ESCAPED_NEWLINE = /(?:\\[nr]){1,8}/g;
/** Characters around an escaped newline that make it a separator, not part of `C:\new`. */
const NEWLINE_NEIGHBOUR = /[\s'"`;|&]/;

function unescapeNewlines(text: string): string {
  return text.replace(ESCAPED_NEWLINE, (run: string, offset: number) => {
    const before = text[offset - 1];
    const after = text[offset + run.length];
    const separates =
      before === undefined ||
      after === undefined ||
      NEWLINE_NEIGHBOUR.test(before) ||
      NEWLINE_NEIGHBOUR.test(after);
    return separates ? run.replace(/\\r|\\n/g, '\n') : run;
  });
}
/** ANSI escape sequences written literally or raw; they hide what a terminal shows. */
const ANSI_SEQUENCE = /(?:\\033|\\x1b|\\e|\\u001b|\x1b)\[[0-9;]{0,12}[A-Za-z]/gi;
const IFS_SPACE = /\$\{IFS\}|\$IFS(?:\$\d)?/g;

/**
 * Undoes URL-encoding, HTML entities, escaped newlines, ANSI sequences and `${IFS}` spaces.
 *
 * @example normaliseCommand('%0Acat%20/etc/passwd').text // '\ncat /etc/passwd'
 */
export function normaliseCommand(value: string): NormalisedCommand {
  let text = value;
  let encoded = false;
  if (hasPercentEscape(text)) {
    text = percentDecodeRepeatedly(text, 2);
    encoded = true;
  }
  if (text.indexOf('&') >= 0 && /&(?:#\d|#x[0-9a-f]|lt;|gt;|quot;|amp;|apos;)/i.test(text)) {
    text = decodeHtmlEntities(text);
    encoded = true;
  }
  const withoutAnsi = text.replace(ANSI_SEQUENCE, '');
  if (withoutAnsi !== text) {
    text = withoutAnsi;
    encoded = true;
  }
  const withNewlines = unescapeNewlines(text);
  if (withNewlines !== text) {
    text = withNewlines;
    encoded = true;
  }
  text = text.replace(IFS_SPACE, ' ');
  return { text, exact: text === value, encoded };
}

export interface CommandWord {
  /** The program name: quotes, backslashes and `$@` removed, directory and `.exe` stripped. */
  name: string;
  /** The word as written. */
  raw: string;
  start: number;
  end: number;
  /** The rest of the simple command, up to the next separator. */
  args: string;
}

const WORD_END = new Set([' ', '\t', '\n', '\r', ';', '|', '&', '<', '>', '(', ')', '`']);
const SEGMENT_END = new Set([';', '|', '&', '\n', '\r', '`']);

/** Reads the command word that starts at `index` (after blanks and opening parens or braces). */
export function commandWordAt(text: string, index: number): CommandWord | null {
  let cursor = index;
  // Bounded so that a run of blank lines cannot make every separator rescan it.
  while (cursor < text.length && cursor - index < 64 && /[\s({]/.test(text[cursor] ?? '')) {
    cursor += 1;
  }
  const start = cursor;
  let raw = '';
  let quote: string | null = null;
  while (cursor < text.length && cursor - start < 200) {
    const char = text[cursor] ?? '';
    if (quote !== null) {
      if (char === quote) quote = null;
      raw += char;
      cursor += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      // A quote glued to letters splits a word; a quote that opens the word quotes a path.
      quote = char;
      raw += char;
      cursor += 1;
      continue;
    }
    if (WORD_END.has(char)) break;
    if (char === '$' && text[cursor + 1] === '(') break;
    raw += char;
    cursor += 1;
  }
  if (raw.length === 0) return null;
  // A Windows path keeps its backslashes as separators; elsewhere a backslash only escapes.
  const windowsPath = /^["']?(?:[a-z]:)?\\/i.test(raw) || /^["']?%\w+%\\/.test(raw);
  let name = raw.replace(windowsPath ? /\$[@*]|\$\{\}|["']/g : /\$[@*]|\$\{\}|["'\\]/g, '');
  const slash = Math.max(name.lastIndexOf('/'), windowsPath ? name.lastIndexOf('\\') : -1);
  if (slash >= 0) name = name.slice(slash + 1);
  name = name.toLowerCase().replace(/\.exe$/, '');
  let argsEnd = cursor;
  while (argsEnd < text.length && argsEnd - cursor < 400 && !SEGMENT_END.has(text[argsEnd] ?? '')) {
    argsEnd += 1;
  }
  return { name, raw, start, end: cursor, args: text.slice(cursor, argsEnd).trim() };
}

export type SeparatorKind = ';' | '&' | '&&' | '|' | '||' | 'newline';

export interface Separator {
  kind: SeparatorKind;
  start: number;
  end: number;
}

const BACKSLASH = 92;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SEMICOLON = 59;
const PIPE = 124;
const AMPERSAND = 38;
const GREATER = 62;
const LESS = 60;

/**
 * Finds command separators outside single and double quotes. `&` in redirections (`2>&1`, `&>`)
 * is not a separator.
 */
export function findSeparators(text: string): Separator[] {
  const found: Separator[] = [];
  // Char codes, not one-character strings: beyond Latin-1 each of those is a new string, and an
  // argument can be a megabyte of them (bench:speed, tag characters). 0 means "not in a quote".
  let quote = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (quote !== 0) {
      if (code === BACKSLASH && quote === DOUBLE_QUOTE) index += 1;
      else if (code === quote) quote = 0;
      continue;
    }
    if (code === BACKSLASH) {
      index += 1;
      continue;
    }
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      quote = code;
      continue;
    }
    if (code === NEWLINE || code === CARRIAGE_RETURN) {
      found.push({ kind: 'newline', start: index, end: index + 1 });
      continue;
    }
    if (code === SEMICOLON) {
      found.push({ kind: ';', start: index, end: index + 1 });
      continue;
    }
    if (code === PIPE || code === AMPERSAND) {
      // Out of range, charCodeAt gives NaN, which equals nothing (as `undefined` did).
      const previous = text.charCodeAt(index - 1);
      const next = text.charCodeAt(index + 1);
      if (code === AMPERSAND && (previous === GREATER || previous === LESS || next === GREATER))
        continue;
      if (code === PIPE && previous === GREATER) continue;
      if (next === code) {
        found.push({ kind: code === PIPE ? '||' : '&&', start: index, end: index + 2 });
        index += 1;
      } else {
        found.push({ kind: code === PIPE ? '|' : '&', start: index, end: index + 1 });
      }
    }
  }
  return found;
}

export interface Substitution {
  start: number;
  end: number;
  inner: string;
}

/** Finds top-level `$(...)` and backtick substitutions; nested ones are left in `inner`. */
export function findSubstitutions(text: string): Substitution[] {
  const found: Substitution[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '$' && text[index + 1] === '(' && text[index + 2] !== '(') {
      let depth = 1;
      let cursor = index + 2;
      while (cursor < text.length && depth > 0 && cursor - index < 2000) {
        if (text[cursor] === '(') depth += 1;
        else if (text[cursor] === ')') depth -= 1;
        cursor += 1;
      }
      found.push({ start: index, end: cursor, inner: text.slice(index + 2, cursor - 1) });
      // Nested substitutions stay inside `inner`; skipping them keeps the scan linear.
      index = cursor;
      continue;
    }
    if (char === '`') {
      const close = text.indexOf('`', index + 1);
      if (close < 0) break;
      found.push({ start: index, end: close + 1, inner: text.slice(index + 1, close) });
      index = close + 1;
      continue;
    }
    index += 1;
  }
  return found;
}

/** Index where the simple command that continues at `from` ends (next `; | & newline`). */
export function segmentEnd(text: string, from: number, limit = 400): number {
  let index = from;
  while (index < text.length && index - from < limit) {
    const char = text[index];
    if (char === ';' || char === '|' || char === '&' || char === '\n' || char === '\r') break;
    index += 1;
  }
  return index;
}

export interface CommandSpec {
  /** Finds the command name; must carry the `g` flag. */
  command: RegExp;
  /** Tested against the rest of that simple command. */
  args: RegExp;
}

/**
 * Finds the first command matching `spec.command` whose arguments (up to the next separator)
 * match `spec.args`. Keeping the two regexes apart keeps each one free of unbounded gaps.
 */
export function findCommand(
  text: string,
  spec: CommandSpec,
): { start: number; end: number } | null {
  spec.command.lastIndex = 0;
  let match = spec.command.exec(text);
  let tries = 0;
  while (match !== null && tries < 64) {
    tries += 1;
    const argsStart = match.index + match[0].length;
    const end = segmentEnd(text, argsStart);
    if (spec.args.test(text.slice(argsStart, end))) return { start: match.index, end };
    if (match[0].length === 0) spec.command.lastIndex += 1;
    match = spec.command.exec(text);
  }
  return null;
}
