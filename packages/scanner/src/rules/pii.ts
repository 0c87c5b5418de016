import {
  IBAN_LENGTHS,
  isIban,
  isIpv6,
  isPaymentCardNumber,
  isValidSsn,
  parseIpv4,
  passesLuhn,
} from './pii-validators.js';
import type { DetectorRule, Rule, RuleHit } from './rule.js';

/* Personal data is found by detectors: each candidate is checked (checksums, ranges, context)
 * before it is reported, which regular expressions alone cannot do. Every detector makes one
 * left-to-right pass with linear-time expressions. */

/** A run of digits joined by short separators: where a phone, card or id number can be. */
interface DigitCluster {
  start: number;
  end: number;
  digits: number;
  dots: number;
}

let clusteredText: string | undefined;
let clusters: readonly DigitCluster[] = [];
let clusteredDigits = 0;

/** Four or more digits joined by up to three of ` .-()/+` between each. */
const DIGIT_CLUSTER = /\d(?:[ .\-()/+]{0,3}\d){3,}/g;

/**
 * One pass that finds every run of four or more digits joined by short separators. The number
 * detectors then run their expressions only around these runs, so prose without long numbers
 * costs one scan for all of them.
 */
function digitClusters(text: string): readonly DigitCluster[] {
  if (text === clusteredText) return clusters;
  const found: DigitCluster[] = [];
  let total = 0;
  DIGIT_CLUSTER.lastIndex = 0;
  for (let match = DIGIT_CLUSTER.exec(text); match !== null; match = DIGIT_CLUSTER.exec(text)) {
    const run = match[0];
    let digits = 0;
    let dots = 0;
    for (let index = 0; index < run.length; index++) {
      const code = run.charCodeAt(index);
      if (code >= 48 && code <= 57) digits++;
      else if (code === 46) dots++;
    }
    total += digits;
    found.push({ start: match.index, end: match.index + run.length, digits, dots });
  }
  clusteredText = text;
  clusters = found;
  clusteredDigits = total;
  return found;
}

/**
 * Runs a global expression on the text around each digit cluster of at least `minimumDigits`
 * digits, yielding matches with offsets in the whole text. Slices carry a margin so that a
 * leading `+` or `(` and the look-arounds see real neighbours; a match is kept only by the
 * cluster it starts at, and dropped if it touches the slice end (where it may be cut short).
 */
function matchAroundClusters(
  text: string,
  pattern: RegExp,
  minimumDigits: number,
  marginAfter: number,
  minimumDots = 0,
): { index: number; match: RegExpExecArray }[] {
  const results: { index: number; match: RegExpExecArray }[] = [];
  const seen = new Set<number>();
  // Every pattern given here is a module-level global expression; reset before each slice.
  const local = pattern;
  for (const cluster of digitClusters(text)) {
    if (cluster.digits < minimumDigits || cluster.dots < minimumDots) continue;
    const sliceStart = Math.max(0, cluster.start - 6);
    const sliceEnd = Math.min(text.length, cluster.end + marginAfter);
    const slice = text.slice(sliceStart, sliceEnd);
    local.lastIndex = 0;
    for (let match = local.exec(slice); match !== null; match = local.exec(slice)) {
      const index = sliceStart + match.index;
      // Only matches that begin at this cluster (or at a `+` / `(` just before it) are its own.
      if (index < cluster.start - 3 || index >= cluster.end) continue;
      if (match.index === 0 && sliceStart > 0) continue;
      if (match.index + match[0].length > slice.length - 2 && sliceEnd < text.length) continue;
      if (seen.has(index)) continue;
      seen.add(index);
      results.push({ index, match });
    }
  }
  return results;
}

/** Digits in runs of four or more (counted during clustering). */
function digitCount(text: string): number {
  digitClusters(text);
  return clusteredDigits;
}

function isEmailLocalCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 46 || // .
    code === 95 || // _
    code === 37 || // %
    code === 43 || // +
    code === 45 // -
  );
}

function isEmailDomainCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 46 ||
    code === 45
  );
}
/** Top-level "domains" that are really file extensions: `logo@2x.png`, `pkg@1.2.3.tgz`. */
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'ico',
  'bmp',
  'css',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'json',
  'map',
  'md',
  'txt',
  'html',
  'htm',
  'xml',
  'yaml',
  'yml',
  'tgz',
  'zip',
  'gz',
  'whl',
  'jar',
  'lock',
  'py',
  'rb',
  'go',
  'rs',
  'java',
  'php',
  'sh',
  'pdf',
]);
/** Domains reserved for documentation (RFC 2606, RFC 6761): not anybody's address. */
const RESERVED_DOMAIN =
  /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local)$/i;

function detectEmails(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at < lastEnd) continue;
    let start = at;
    while (start > lastEnd && at - start < 64 && isEmailLocalCharacter(text.charCodeAt(start - 1)))
      start--;
    let end = at + 1;
    let dot = false;
    while (end < text.length && end - at <= 253 && isEmailDomainCharacter(text.charCodeAt(end))) {
      if (text.charCodeAt(end) === 46) dot = true;
      end++;
    }
    // No dot, no domain: decided before any string is cut (a flood of `a@a@` stays cheap).
    if (!dot || start === at) continue;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (local.length === 0 || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
      continue;
    // `git@host:repo` remotes and `user:password@host` URLs are not e-mail addresses.
    const before = text[start - 1];
    const mailto =
      before === ':' && text.slice(Math.max(0, start - 7), start).toLowerCase() === 'mailto:';
    if ((before === ':' && !mailto) || before === '/' || text[end] === ':') continue;
    const labels = domain.split('.');
    if (labels.length < 2 || labels.some((label) => label.length === 0 || label.length > 63))
      continue;
    if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) continue;
    const topLevel = labels[labels.length - 1] ?? '';
    if (!/^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/.test(topLevel)) continue;
    if (FILE_EXTENSIONS.has(topLevel.toLowerCase())) continue;
    hits.push({ start, end, score: RESERVED_DOMAIN.test(domain) ? 0.3 : 0.9 });
    lastEnd = end;
  }
  return hits;
}

/** Digits with optional single spaces or dashes between them, 12 to 19 digits. */
const CARD_CANDIDATE = /(?<![A-Za-z0-9.,_-])\d(?:[ -]?\d){11,18}(?![\d])/g;
/** Words that say a number is a card, letting an unlisted issuer range through on checksum alone. */
const CARD_CONTEXT =
  /(?:card|\bcc\b|credit|debit|visa|master ?card|amex|american express|discover|maestro|jcb|unionpay|diners|pan\b)/i;

function cardGroupsAreRegular(candidate: string): boolean {
  const separators = candidate.replace(/\d/g, '');
  if (separators.length === 0) return true;
  if (new Set(separators).size !== 1) return false;
  const groups = candidate.split(separators[0] ?? ' ').map((group) => group.length);
  const shape = groups.join('-');
  // 4-6-5 (American Express), 4-6-4 (Diners), or fours with a shorter last group.
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  const last = groups[groups.length - 1] ?? 0;
  return (
    groups.length >= 3 && groups.slice(0, -1).every((size) => size === 4) && last >= 1 && last <= 4
  );
}

function detectPaymentCards(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { index, match } of matchAroundClusters(text, CARD_CANDIDATE, 12, 2)) {
    let candidate = match[0];
    // A trailing separator and digit belong to the next number, not this one.
    candidate = candidate.replace(/[ -]+$/, '');
    const digits = candidate.replace(/\D/g, '');
    if (!cardGroupsAreRegular(candidate) || /^(\d)\1+$/.test(digits)) continue;
    let score = 0;
    if (isPaymentCardNumber(digits)) score = 0.9;
    else if (digits.length >= 13 && passesLuhn(digits)) {
      const context = CARD_CONTEXT.test(text.slice(Math.max(0, index - 40), index));
      if (context) score = 0.75;
    }
    if (score > 0) hits.push({ start: index, end: index + candidate.length, score });
  }
  return hits;
}

const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,32}/g;

function detectIbans(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  // The shortest IBAN (Norway) has 13 digits after its country code.
  if (digitCount(text) < 8) return hits;
  const pattern = IBAN_CANDIDATE;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const candidate = match[0];
    const length = IBAN_LENGTHS[candidate.slice(0, 2)];
    if (length === undefined) continue;
    // Take exactly the country's length of characters; what follows must not continue it.
    let compact = '';
    let end = 0;
    while (end < candidate.length && compact.length < length) {
      const char = candidate[end] ?? '';
      if (char !== ' ' && char !== '-') compact += char;
      end++;
    }
    const next = text[match.index + end];
    if (compact.length !== length || (next !== undefined && /[A-Za-z0-9]/.test(next))) continue;
    if (!isIban(compact)) continue;
    hits.push({ start: match.index, end: match.index + end, score: 0.95 });
    pattern.lastIndex = match.index + end;
  }
  return hits;
}

const SSN_SEPARATED = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|ssns|social security|soc\.? sec\.?|ss#|ss no|taxpayer|tin)\b/i;
const SSN_PLAIN = /(?<![\d-])(\d{3})(\d{2})(\d{4})(?![\d-])/g;

function detectSsns(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { index, match } of matchAroundClusters(text, SSN_SEPARATED, 9, 2)) {
    if (!isValidSsn(match[1] ?? '', match[3] ?? '', match[4] ?? '')) continue;
    const context = SSN_CONTEXT.test(text.slice(Math.max(0, index - 40), index));
    // Space-separated digits are as often something else; dashes are the SSN's own format.
    if (match[2] === ' ' && !context) continue;
    hits.push({ start: index, end: index + match[0].length, score: context ? 0.95 : 0.8 });
  }
  // Nine digits in a row count only after an SSN label.
  for (const { index, match } of matchAroundClusters(text, SSN_PLAIN, 9, 2)) {
    if (!SSN_CONTEXT.test(text.slice(Math.max(0, index - 40), index))) continue;
    if (!isValidSsn(match[1] ?? '', match[2] ?? '', match[3] ?? '')) continue;
    hits.push({ start: index, end: index + 9, score: 0.85 });
  }
  return hits;
}

/** Words shortly before a number that say it is a phone number ("call me on", "Mobile:"). */
const PHONE_CONTEXT_BEFORE =
  /(?:phone|\btel\b|telephone|mobile|\bcell\b|cellular|\bfax\b|\bcall|\bsms\b|whatsapp|\bdial|hotline|helpline|landline|answering|messag|text me|ring me|reach me|contact)/i;
/** Labels right before a number: `Office: 555 0100`, `Desk - 555 0100`. */
const PHONE_LABEL_BEFORE =
  /\b(?:office|desk|home|work|direct|main|switchboard|mob|ph)\.?[ \t]{0,2}[:#-][ \t]{0,2}\r?\n?[ \t]{0,4}$/i;
/** Labels right after a number: `555 0100 (office)`, `555 0100-Fax`. */
const PHONE_CONTEXT_AFTER =
  /^[ \t,;:()\\-]{0,3}(?:office|fax|mobile|cell|home|work|tel|phone|landline)\b/i;
const PHONE_GROUP = String.raw`(?:\(\d{1,5}\)\d{0,12}|\d{1,15})`;
const PHONE_CANDIDATE = new RegExp(
  String.raw`(?<![\w+@#/.:$=%-])(?:\+[ ]?)?${PHONE_GROUP}(?:(?:[ ]?[.-][ ]?|[ ]{1,2})${PHONE_GROUP}){0,7}(?:[ ]{0,2}(?:x|ext\.?|#)[ ]{0,2}\d{1,6})?(?![\w@]|\.\d)`,
  'g',
);
const NORTH_AMERICAN =
  /^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]\d{4}$/;
const EXTENSION = /[ ]{0,2}(?:x|ext\.?|#)[ ]{0,2}\d{1,6}$/;

function isDateOrTime(candidate: string): boolean {
  return (
    /^(?:1[6-9]|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}/.test(candidate) ||
    /^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$/.test(candidate) ||
    /^\d{4}[-–]\d{4}$/.test(candidate)
  );
}

/**
 * Phone numbers: international (+…) and North American formats stand alone; other digit
 * groupings count only next to words such as "phone", "mobile", "fax" or "call me on".
 */
function detectPhones(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { index, match } of matchAroundClusters(text, PHONE_CANDIDATE, 7, 14)) {
    const candidate = match[0].trimEnd();
    const number = candidate.replace(EXTENSION, '');
    const digits = number.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    if (isDateOrTime(number) || /^(\d)\1+$/.test(digits)) continue;
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(number)) continue; // IPv4, not a phone
    const start = index;
    const end = start + candidate.length;
    const before = text.slice(Math.max(0, start - 40), start);
    const after = text.slice(end, end + 16);
    const context =
      PHONE_CONTEXT_BEFORE.test(before) ||
      PHONE_LABEL_BEFORE.test(before) ||
      PHONE_CONTEXT_AFTER.test(after);
    const hasSeparators = /\D/.test(number.replace(/^\+/, ''));
    let score = 0;
    if (/^\+\(?[1-9]/.test(number) && digits.length >= 8) score = 0.85;
    else if (NORTH_AMERICAN.test(number)) score = 0.75;
    else if (/^00[1-9]/.test(number) && hasSeparators && digits.length >= 10) score = 0.7;
    if (context) score = Math.max(score, 0.8);
    if (score === 0) continue;
    hits.push({ start, end, score });
  }
  return hits;
}

const IPV4_CANDIDATE = /(?<![\w.-])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)/g;
/** Version strings (`version 1.2.3.4`, `v1.2.3.4`, `pkg@1.2.3.4`) are not addresses. */
const VERSION_BEFORE = /(?:version|ver\.?|release|build|v|@|rev)\s?[:=]?\s?$/i;

function ipv4Score(octets: readonly number[]): number {
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  // Unspecified, loopback, multicast, broadcast and netmask-like values identify nobody.
  if (a === 0 || a === 127 || a >= 224) return 0;
  // Private, link-local, shared and documentation ranges identify nobody outside one network;
  // network and broadcast addresses (`1.0.0.0`, `4.2.1.255`) are more often version numbers.
  const isLocal =
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113);
  return isLocal || d === 0 || d === 255 ? 0.3 : 0.8;
}

function isHexOrColon(code: number): boolean {
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isWordCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

function detectIpAddresses(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { index, match } of matchAroundClusters(text, IPV4_CANDIDATE, 4, 2, 3)) {
    const octets = parseIpv4(match[0]);
    if (octets === undefined) continue;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, index - 10), index))) continue;
    const score = ipv4Score(octets);
    if (score > 0) hits.push({ start: index, end: index + match[0].length, score });
  }
  // IPv6: expand around each colon over hex digits and colons; most colons end at once.
  let from = text.indexOf(':');
  while (from !== -1) {
    let start = from;
    while (start > 0 && from - start < 40 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let end = from + 1;
    while (end < text.length && end - start < 45 && isHexOrColon(text.charCodeAt(end))) end++;
    from = text.indexOf(':', end);
    if (
      end - start < 6 ||
      isWordCharacter(text.charCodeAt(start - 1)) ||
      isWordCharacter(text.charCodeAt(end))
    ) {
      continue;
    }
    if (text.charCodeAt(start - 1) === 46 || text.charCodeAt(end) === 46) continue; // `.` on either side
    const candidate = text.slice(start, end);
    if (!isIpv6(candidate)) continue;
    const groups = candidate.split(':').filter((group) => group.length > 0);
    // `a::b` and clock-like `12:30:45` are too short to be sure of; require substance.
    if (groups.length < 3 || !groups.some((group) => group.length >= 3 || /[a-f]/i.test(group)))
      continue;
    const lower = candidate.toLowerCase();
    const score =
      lower.startsWith('fe80:') || lower.startsWith('fc') || lower.startsWith('fd') ? 0.3 : 0.7;
    hits.push({ start, end, score });
  }
  return hits;
}

function piiDetector(
  id: string,
  severity: DetectorRule['severity'],
  rationale: string,
  detect: (text: string) => RuleHit[],
  keywords?: readonly string[],
): DetectorRule {
  const rule: DetectorRule = {
    id,
    category: 'pii',
    severity,
    rationale,
    target: 'raw',
    type: 'detector',
    detect,
  };
  if (keywords !== undefined) rule.keywords = keywords;
  return rule;
}

/** Structured personal data: contact details, payment and bank numbers, national ids, addresses. */
export const piiRules: readonly Rule[] = [
  piiDetector(
    'pii.email',
    'medium',
    'An e-mail address identifies a person and is the key to their accounts.',
    detectEmails,
    ['@'],
  ),
  piiDetector(
    'pii.phone',
    'medium',
    'A phone number identifies and reaches a person; it is also a common account-recovery factor.',
    detectPhones,
  ),
  piiDetector(
    'pii.payment-card',
    'medium',
    'A payment card number (issuer prefix and Luhn checksum valid) is cardholder data under PCI DSS.',
    detectPaymentCards,
  ),
  piiDetector(
    'pii.iban',
    'medium',
    'An IBAN (country length and mod-97 checksum valid) identifies a person’s bank account.',
    detectIbans,
  ),
  piiDetector(
    'pii.us-ssn',
    'medium',
    'A US social security number is the key to identity theft and cannot be changed.',
    detectSsns,
  ),
  piiDetector(
    'pii.ip-address',
    'low',
    'A public IP address can locate and identify the person or device behind it.',
    detectIpAddresses,
  ),
];
