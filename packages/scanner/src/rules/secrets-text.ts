/**
 * Text checks shared by the secret rules: entropy, placeholder and identifier detection, base64.
 * Pure functions, no runtime dependencies, safe in browsers and edge runtimes.
 */

/**
 * Shannon entropy of a string in bits per character.
 *
 * @example shannonEntropy('aaaa') // 0
 */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  const length = value.length;
  for (const count of counts.values()) {
    const probability = count / length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/** Share of the most frequent character, 0..1: high for `xxxxxxxx`, `00000000`, `AAAA1111`. */
export function dominantCharacterShare(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  let highest = 0;
  for (const char of value) {
    const count = (counts.get(char) ?? 0) + 1;
    counts.set(char, count);
    if (count > highest) highest = count;
  }
  return highest / value.length;
}

/**
 * Words that mark a value as documentation rather than a live credential. Matched on the
 * lower-cased value; `test` is handled apart because real test-mode keys carry it.
 */
const PLACEHOLDER_WORDS = [
  'example',
  'sample',
  'placeholder',
  'your',
  'changeme',
  'change_me',
  'change-me',
  'dummy',
  'xxxx',
  'redacted',
  'replace',
  'insert',
  'notreal',
  'not_real',
  'not-real',
  'secrethere',
  'secret_here',
  'token_here',
  'key_here',
  'keyhere',
  'tokenhere',
  'password_here',
  'passwordhere',
  'here',
  '****',
  '....',
  '0123456789',
  '1234567890',
  'abcdefgh',
  'qwerty',
  'lorem',
  'foobar',
  'todo',
  'tbd',
  'none',
  'null',
  'undefined',
] as const;

/** Markers of a reference to a value held elsewhere (environment, template, config lookup). */
const REFERENCE_MARKERS = [
  '${',
  '{{',
  '}}',
  '$(',
  '%(',
  '<',
  '>',
  '[',
  ']',
  'process.env',
  'import.meta',
  'environ',
  'getenv',
  'env.',
  'env[',
  'env(',
  'secrets.',
  'vault:',
  'ref+',
  '#{',
] as const;

/**
 * True when a candidate secret is a placeholder, an example or a reference to another value:
 * `your_api_key_here`, `<token>`, `${API_KEY}`, `changeme`, `xxxxxxxx`, `AKIAIOSFODNN7EXAMPLE`.
 *
 * @example isPlaceholderValue('your-api-key') // true
 */
export function isPlaceholderValue(value: string): boolean {
  const lower = value.toLowerCase();
  for (const word of PLACEHOLDER_WORDS) if (lower.includes(word)) return true;
  for (const marker of REFERENCE_MARKERS) if (lower.includes(marker)) return true;
  if (lower.startsWith('$') || lower.startsWith('%') || lower.endsWith('%')) return true;
  // `test`, `testing`, `test123`, `password1`: a word with at most a short suffix.
  if (
    /^(?:test(?:ing)?|pass(?:word)?|secret|token|key|admin|default|demo|fake|mock)[\W_]{0,2}[a-z0-9]{0,4}$/.test(
      lower,
    )
  ) {
    return true;
  }
  // Masked values (`sk-****`, `ghp_...`) and runs of one character.
  if (lower.includes('***') || lower.includes('...') || lower.includes('•••')) return true;
  if (/(.)\1{5,}/.test(lower)) return true;
  const runs = ascendingRuns(lower);
  if (runs >= 2 && (runs * 3) / lower.length >= 0.3) return true;
  return false;
}

/**
 * True when a value reads as a code identifier or prose rather than random bytes:
 * `getAccessToken`, `my_secret_name`, `this.config.token`, `SecretKeyRef`. Identifiers split
 * into pronounceable words; random mixed-case text flips case every other letter.
 */
export function looksLikeIdentifier(value: string): boolean {
  if (/\d/.test(value)) return false;
  const letters = value.replace(/[^A-Za-z]/g, '');
  if (letters.length === 0) return true;
  const words = value.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [];
  let covered = 0;
  for (const word of words) if (word.length >= 3 && /[aeiouy]/i.test(word)) covered += word.length;
  // Case flips between neighbouring letters: about one in two for random text, about two
  // per word for camelCase.
  let flips = 0;
  for (let index = 1; index < value.length; index++) {
    const previous = value[index - 1] ?? '';
    const current = value[index] ?? '';
    if (/[A-Za-z]/.test(previous) && /[A-Za-z]/.test(current)) {
      if ((previous === previous.toUpperCase()) !== (current === current.toUpperCase())) flips++;
    }
  }
  if (flips / letters.length > 0.42) return false;
  return covered / letters.length >= 0.7;
}

/**
 * Counts runs of three consecutive ascending characters (`abc`, `123`, `efg`): keyboard-made
 * example values have several, random tokens almost never do.
 */
export function ascendingRuns(value: string): number {
  const lower = value.toLowerCase();
  let runs = 0;
  for (let index = 0; index + 2 < lower.length; index++) {
    const first = lower.charCodeAt(index);
    if (lower.charCodeAt(index + 1) === first + 1 && lower.charCodeAt(index + 2) === first + 2) {
      runs++;
      index += 2;
    }
  }
  return runs;
}

/** Character classes present in a value, used to require a mix in generic secrets. */
export function characterClasses(value: string): {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
} {
  return {
    lower: /[a-z]/.test(value),
    upper: /[A-Z]/.test(value),
    digit: /[0-9]/.test(value),
    symbol: /[^A-Za-z0-9]/.test(value),
  };
}

/**
 * Minimum entropy a random-looking value of this length should reach. Random base36 text of
 * length n scores close to log2(min(n, 36)); we ask for a margin below that so short random
 * tokens pass and repetitive text does not.
 */
export function entropyThreshold(length: number): number {
  if (length >= 32) return 3.5;
  if (length >= 20) return 3.2;
  if (length >= 12) return 2.9;
  return 2.5;
}

/** True when `value` has the entropy expected of a random token of its length. */
export function hasRandomEntropy(value: string): boolean {
  return shannonEntropy(value) >= entropyThreshold(value.length);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map<string, number>(
  [...BASE64_ALPHABET].map((char, index) => [char, index] as const),
);

/**
 * Decodes standard or URL-safe base64 (padding optional) to a Latin-1 string of bytes;
 * returns undefined on characters outside the alphabet.
 *
 * @example decodeBase64('eyJhbGciOiJIUzI1NiJ9') // '{"alg":"HS256"}'
 */
export function decodeBase64(input: string): string | undefined {
  const clean = input.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  let bits = 0;
  let buffer = 0;
  let output = '';
  for (const char of clean) {
    const value = BASE64_VALUES.get(char);
    if (value === undefined) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return output;
}
