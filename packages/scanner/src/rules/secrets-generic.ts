import type { DetectorRule, RuleContext, RuleHit } from './rule.js';
import {
  characterClasses,
  entropyThreshold,
  isPlaceholderValue,
  looksLikeIdentifier,
  shannonEntropy,
} from './secrets-text.js';

/** A `name <operator> value` pair found in text: config files, code, headers, CLI flags, XML. */
export interface Assignment {
  key: string;
  value: string;
  valueStart: number;
  valueEnd: number;
}

/** Words whose presence in a name makes us look at what is assigned to it. */
const ANCHOR = /key|token|secret|pass|pwd|auth|cred/gi;

/**
 * After the name: an optional closing quote or bracket, an optional type annotation
 * (`var token string =`, `token: str =`), then the operator of one of the common syntaxes
 * (`=`, `:`, `:=`, `::=`, `=>`, `.=`, `?=`, `,` in `setProperty("K", "v")`, `>` in `<k>v</k>`).
 */
const OPERATOR =
  /["'`]?\]?[ \t]{0,4}(?:(?::[ \t]{0,2})?[A-Za-z_][\w.]{0,24}(?:\[\])?[ \t]{1,4}(?==))?(?:=>|->|:::=|::=|:=|\.=|\+=|\?=|={1,3}|:|,|>)[ \t]{0,4}(?:\r?\n[ \t]{0,40})?/y;

const MAXIMUM_KEY_LENGTH = 80;
const MAXIMUM_VALUE_LENGTH = 512;

function isKeyCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 45 || // -
    code === 46 // .
  );
}

/** Characters that end an unquoted value. */
function endsUnquotedValue(char: string): boolean {
  return ' \t\r\n"\'`,;()<>{}[]\\&'.includes(char);
}

function readValue(
  text: string,
  position: number,
): { value: string; start: number; end: number } | undefined {
  let start = position;
  if (text[start] === '@') start++; // C# verbatim strings: @"..."
  const first = text[start];
  if (first === undefined) return undefined;
  if (first === '"' || first === "'" || first === '`') {
    const close = text.indexOf(first, start + 1);
    if (close === -1 || close - start > MAXIMUM_VALUE_LENGTH) return undefined;
    const value = text.slice(start + 1, close);
    if (/\s/.test(value)) return undefined;
    return { value, start: start + 1, end: close };
  }
  let end = start;
  while (end < text.length && end - start < MAXIMUM_VALUE_LENGTH) {
    const char = text[end];
    if (char === undefined || endsUnquotedValue(char)) break;
    end++;
  }
  if (end === start) return undefined;
  return { value: text.slice(start, end), start, end };
}

/** `.netrc`: `machine host login user password secret`, on one line or over several. */
const NETRC_LOGIN = /\b(?:login|machine)[ \t]+\S+[ \t]*$/;

function lineBefore(text: string, position: number): string {
  return text.slice(Math.max(0, position - 120), position).replace(/\r?\n[ \t]*/g, ' ');
}

let cachedText: string | undefined;
let cachedAssignments: readonly Assignment[] = [];

/**
 * Finds assignments whose name contains a credential word, in time linear in the text.
 * Several rules read the same text one after another, so the last result is kept.
 *
 * @example findAssignments('API_KEY="a1b2"')[0]?.value // 'a1b2'
 */
export function findAssignments(text: string): readonly Assignment[] {
  if (text === cachedText) return cachedAssignments;
  const assignments: Assignment[] = [];
  const anchor = new RegExp(ANCHOR.source, 'gi');
  const operator = new RegExp(OPERATOR.source, 'y');
  let match: RegExpExecArray | null = anchor.exec(text);
  while (match !== null) {
    let keyStart = match.index;
    while (
      keyStart > 0 &&
      match.index - keyStart < MAXIMUM_KEY_LENGTH &&
      isKeyCharacter(text.charCodeAt(keyStart - 1))
    ) {
      keyStart--;
    }
    let keyEnd = match.index + match[0].length;
    while (
      keyEnd < text.length &&
      keyEnd - match.index < MAXIMUM_KEY_LENGTH &&
      isKeyCharacter(text.charCodeAt(keyEnd))
    ) {
      keyEnd++;
    }
    anchor.lastIndex = keyEnd;
    const key = text.slice(keyStart, keyEnd);
    operator.lastIndex = keyEnd;
    const operatorMatch = operator.exec(text);
    let valuePosition: number | undefined;
    if (operatorMatch !== null) {
      valuePosition = keyEnd + operatorMatch[0].length;
      // `setProperty("KEY", "value")`: after a comma only a quoted value is an assignment.
      if (operatorMatch[0].trimEnd().endsWith(',') && !/["'`]/.test(text[valuePosition] ?? '')) {
        valuePosition = undefined;
      }
    } else if (
      /^[ \t]{1,3}[^\s-]/.test(text.slice(keyEnd, keyEnd + 4)) &&
      (key.startsWith('--') ||
        (/^passw(?:or)?d$/i.test(key) && NETRC_LOGIN.test(lineBefore(text, keyStart))))
    ) {
      // Command-line flags (`--api-key abc123`) and .netrc entries (`login bot password abc123`).
      valuePosition = keyEnd;
      while (text[valuePosition] === ' ' || text[valuePosition] === '\t') valuePosition++;
    }
    if (valuePosition !== undefined) {
      const read = readValue(text, valuePosition);
      if (read !== undefined) {
        assignments.push({ key, value: read.value, valueStart: read.start, valueEnd: read.end });
        // A value is not also a name: resume after it, which keeps the scan linear.
        anchor.lastIndex = Math.max(keyEnd, read.end);
      }
    }
    match = anchor.exec(text);
  }
  cachedText = text;
  cachedAssignments = assignments;
  return assignments;
}

/** Splits `sendgridAPITokenValue`, `AWS_SECRET_KEY`, `x-api-key` into lower-case words. */
export function splitName(name: string): string[] {
  const words: string[] = [];
  for (const part of name.split(/[^A-Za-z0-9]+/)) {
    if (part.length === 0) continue;
    const spaced = part
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
    for (const word of spaced.split(' ')) if (word.length > 0) words.push(word.toLowerCase());
  }
  return words;
}

/** Words that are secret on their own, whatever comes before them (`githubtoken`, `dbpassword`). */
const STRONG_WORD = /(?:token|secret|password|passwd|passphrase|apikey|credential|creds|pwd)s?$/;
/** Short words that are secret only alone or after a known qualifier (not `monkey`, `bypass`). */
const QUALIFIED_WORD =
  /^(?:api|app|access|secret|private|client|master|signing|sign|encryption|enc|license|licence|service|account|admin|bot|user|refresh|session|oauth|bearer|personal|deploy|webhook|integration|consumer|shared|root|db|hmac|jwt|ssh|security|server|storage|auth|x)?(?:key|keys|pass|auth)$/;
/** Words that make the whole name something other than a credential. */
const EXCLUDED_ANYWHERE = new Set([
  'public',
  'pub',
  'publishable',
  'max',
  'min',
  'num',
  'limit',
  'usage',
  'budget',
  'total',
  'placeholder',
  'example',
  'sample',
  'dummy',
  'hash',
  'hashed',
  'checksum',
  'digest',
  'fingerprint',
  'thumbprint',
  'sha',
  'sha1',
  'sha256',
  'md5',
  'integrity',
  'cache',
  'sort',
  'primary',
  'foreign',
  'partition',
  'idempotency',
  'tokenizer',
  'author',
  'authority',
  // Pagination and sync cursors are random-looking but grant nothing.
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'cursor',
  'pagination',
  'paging',
  'sync',
  'resume',
]);
/** Last words that name metadata about a credential rather than the credential itself. */
const METADATA_WORD = new Set([
  'id',
  'ids',
  'url',
  'uri',
  'urls',
  'endpoint',
  'host',
  'path',
  'file',
  'filename',
  'name',
  'names',
  'type',
  'kind',
  'length',
  'len',
  'size',
  'count',
  'prefix',
  'suffix',
  'header',
  'field',
  'format',
  'version',
  'expiry',
  'expires',
  'expiration',
  'exp',
  'ttl',
  'timeout',
  'enabled',
  'enable',
  'required',
  'mode',
  'env',
  'var',
  'variable',
  'hint',
  'label',
  'regex',
  'pattern',
  'policy',
  'index',
  'ref',
  'location',
  'dir',
  'store',
  'provider',
  'source',
  'arn',
  'alias',
  'rotation',
  'strength',
  'scope',
  'scopes',
  'method',
  'algorithm',
  'alg',
  'issuer',
  'audience',
  'lifetime',
  'interval',
  'duration',
  'usage',
  'description',
  'secrets',
]);

/**
 * Classifies a variable, field or header name: `password` for passwords and passphrases,
 * `token` for keys, tokens and secrets, undefined when it does not name a credential.
 *
 * @example credentialKind('DB_PASSWORD') // 'password'
 */
export function credentialKind(name: string): 'password' | 'token' | undefined {
  const known = kindCache.get(name);
  if (known !== undefined) return known === 'none' ? undefined : known;
  const kind = classifyName(name);
  if (kindCache.size >= 1024) kindCache.clear();
  kindCache.set(name, kind ?? 'none');
  return kind;
}

/** Names repeat across a document and across scans; classifying one costs a few regexes. */
const kindCache = new Map<string, 'password' | 'token' | 'none'>();

function classifyName(name: string): 'password' | 'token' | undefined {
  const words = splitName(name);
  if (words.length === 0) return undefined;
  let kind: 'password' | 'token' | undefined;
  for (const word of words) {
    if (EXCLUDED_ANYWHERE.has(word)) return undefined;
    if (STRONG_WORD.test(word) || QUALIFIED_WORD.test(word)) {
      if (/pass|pwd/.test(word)) kind = 'password';
      else kind ??= 'token';
    }
  }
  if (kind === undefined) return undefined;
  const last = words[words.length - 1];
  if (last !== undefined && METADATA_WORD.has(last)) return undefined;
  return kind;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_A_SECRET =
  /^(?:true|false|yes|no|on|off|null|nil|none|undefined|required|optional|bearer|basic|string|str|int|bool|boolean)$/i;
const FILE_NAME =
  /\.(?:json|ya?ml|toml|ini|pem|key|crt|cer|der|p12|pfx|jks|txt|env|js|ts|py|rb|sh|conf|cfg)$/i;

/**
 * Scores a value assigned to a credential name: 0 for placeholders, references, paths, words
 * and numbers; 0.6–0.9 for values with the entropy and character mix of real secrets.
 *
 * @example scoreCredentialValue('k8Jd0aP2mQ9zX4vL7wR1', 'token') // > 0
 */
export function scoreCredentialValue(value: string, kind: 'password' | 'token'): number {
  const minimumLength = kind === 'password' ? 6 : 8;
  if (value.length < minimumLength || value.length > MAXIMUM_VALUE_LENGTH) return 0;
  if (/\s/.test(value) || NOT_A_SECRET.test(value)) return 0;
  if (isPlaceholderValue(value)) return 0;
  if (value.includes('://') || /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return 0;
  if (FILE_NAME.test(value)) return 0;
  if (/^[\d.,:_+-]+$/.test(value)) return 0; // numbers, versions, times, ports
  if (looksLikeIdentifier(value)) return 0;
  if (UUID.test(value)) return 0.6;
  const classes = characterClasses(value);
  const entropy = shannonEntropy(value);
  if (kind === 'password') {
    const classCount = [classes.lower, classes.upper, classes.digit, classes.symbol].filter(
      Boolean,
    ).length;
    if (classCount < 2 || entropy < 2.3) return 0;
    return entropy >= 3 ? 0.8 : 0.65;
  }
  if (entropy < entropyThreshold(value.length)) return 0;
  const letters = classes.lower || classes.upper;
  const mixed =
    (classes.digit && letters) || (classes.lower && classes.upper && value.length >= 20);
  if (!mixed) return 0;
  return value.length >= 20 && entropy >= 3.5 ? 0.85 : 0.7;
}

function genericDetector(wanted: 'password' | 'token') {
  return (text: string): RuleHit[] => {
    const hits: RuleHit[] = [];
    for (const assignment of findAssignments(text)) {
      if (credentialKind(assignment.key) !== wanted) continue;
      const score = scoreCredentialValue(assignment.value, wanted);
      if (score > 0) hits.push({ start: assignment.valueStart, end: assignment.valueEnd, score });
    }
    return hits;
  };
}

/** A tool argument named like a credential (`api_key`, `password`) whose whole value is one. */
function detectCredentialArgument(text: string, context: RuleContext): RuleHit[] {
  if (context.argument === undefined) return [];
  const kind = credentialKind(context.argument);
  if (kind === undefined) return [];
  const trimmed = text.trim();
  const score = scoreCredentialValue(trimmed, kind);
  if (score === 0) return [];
  const start = text.indexOf(trimmed);
  return [{ start, end: start + trimmed.length, score }];
}

/** A provider whose keys have no prefix, recognised by the name they are assigned to. */
interface ContextualFormat {
  id: string;
  rationale: string;
  severity: DetectorRule['severity'];
  keywords: readonly string[];
  /** Tested on the name lower-cased with separators removed, e.g. `awssecretaccesskey`. */
  name: RegExp;
  value: RegExp;
  minimumEntropy: number;
}

function contextualRule(format: ContextualFormat): DetectorRule {
  return {
    id: format.id,
    category: 'secret',
    severity: format.severity,
    rationale: format.rationale,
    target: 'raw',
    type: 'detector',
    keywords: format.keywords,
    detect: (text) => {
      const hits: RuleHit[] = [];
      for (const assignment of findAssignments(text)) {
        const name = assignment.key.toLowerCase().replace(/[^a-z0-9]/g, '');
        if (!format.name.test(name) || !format.value.test(assignment.value)) continue;
        if (isPlaceholderValue(assignment.value)) continue;
        if (shannonEntropy(assignment.value) < format.minimumEntropy) continue;
        hits.push({ start: assignment.valueStart, end: assignment.valueEnd, score: 0.9 });
      }
      return hits;
    },
  };
}

/** Assignments to credential-named variables, judged by entropy, plus provider keys known by name. */
export const genericSecretRules: readonly DetectorRule[] = [
  {
    id: 'secret.generic-high-entropy',
    category: 'secret',
    severity: 'high',
    rationale:
      'A random-looking value assigned to a key, token or secret name is most likely a live credential.',
    target: 'raw',
    type: 'detector',
    keywords: ['key', 'token', 'secret', 'auth', 'cred'],
    detect: genericDetector('token'),
  },
  {
    id: 'secret.generic-password',
    category: 'secret',
    severity: 'high',
    rationale:
      'A literal password in configuration, code or a command gives access to whatever it protects.',
    target: 'raw',
    type: 'detector',
    keywords: ['pass', 'pwd'],
    detect: genericDetector('password'),
  },
  {
    id: 'secret.credential-argument',
    category: 'secret',
    severity: 'high',
    rationale:
      'A tool argument named api_key, token or password that carries a real-looking value.',
    target: 'raw',
    type: 'detector',
    kinds: ['tool_args'],
    detect: detectCredentialArgument,
  },
  contextualRule({
    id: 'secret.aws-secret-access-key',
    rationale: 'An AWS secret access key signs API requests as its IAM user or role.',
    severity: 'critical',
    keywords: ['aws', 'secret_access', 'secretaccess', 'secret-access'],
    name: /secretaccesskey|aws\w*secret|aws\w*sk$/,
    value: /^[A-Za-z0-9/+]{40}$/,
    minimumEntropy: 4,
  }),
  contextualRule({
    id: 'secret.datadog-api-key',
    rationale:
      'A Datadog API or application key sends or reads the organisation’s monitoring data.',
    severity: 'high',
    keywords: ['datadog', 'dd_api', 'dd_app', 'dd-api', 'dd-app', 'ddapi', 'ddapp'],
    name: /datadog|^dd(?:api|app)/,
    value: /^(?:[a-z0-9]{32}|[a-z0-9]{40})$/,
    minimumEntropy: 3.3,
  }),
  contextualRule({
    id: 'secret.heroku-legacy-api-key',
    rationale: 'A Heroku API key (UUID form) deploys and reads config vars of the owner’s apps.',
    severity: 'high',
    keywords: ['heroku'],
    name: /heroku/,
    value: UUID,
    minimumEntropy: 3,
  }),
  contextualRule({
    id: 'secret.twilio-auth-token',
    rationale: 'A Twilio auth token signs API calls that send messages billed to the account.',
    severity: 'high',
    keywords: ['twilio'],
    name: /twilio/,
    value: /^[a-f0-9]{32}$/,
    minimumEntropy: 3.3,
  }),
];
