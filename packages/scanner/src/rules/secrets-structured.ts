import type { DetectorRule, PatternRule, Rule, RuleHit } from './rule.js';
import {
  decodeBase64,
  dominantCharacterShare,
  isPlaceholderValue,
  looksLikeIdentifier,
  shannonEntropy,
} from './secrets-text.js';

/** Passwords that are defaults or documentation, not secrets someone chose. */
const DEFAULT_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'admin',
  'administrator',
  'root',
  'guest',
  'test',
  'testing',
  'user',
  'username',
  'postgres',
  'mysql',
  'redis',
  'rabbitmq',
  'mongo',
  'sa',
  'default',
  'demo',
  'token',
  'apikey',
  'api_key',
  '123456',
  '12345678',
  'qwerty',
  'letmein',
]);

/**
 * True when `password` (with its `user`) looks like one a person or system really set:
 * not empty, not a default, not a placeholder or template, not the user name again.
 */
export function isRealPassword(user: string, password: string): boolean {
  if (password.length < 3) return false;
  const lower = password.toLowerCase();
  if (DEFAULT_PASSWORDS.has(lower)) return false;
  if (lower === user.toLowerCase()) return false;
  if (isPlaceholderValue(password)) return false;
  if (/^[*x.•]+$/i.test(password)) return false;
  if (dominantCharacterShare(password) > 0.6) return false;
  return true;
}

function decodePercent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const PRIVATE_KEY_END = /-----END ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const ARMOR_HEADER = /^(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset):.*$/gm;
const MAXIMUM_KEY_BODY = 20_000;

/** Counts the base64 characters of a PEM or PGP body, rejecting placeholder bodies. */
function keyBodyStrength(body: string): number {
  const withoutHeaders = body.replace(ARMOR_HEADER, '');
  if (/\.\.\.|xxxx|<|\{\{|\$\{/i.test(withoutHeaders)) return 0;
  const base64 = withoutHeaders.replace(/[^A-Za-z0-9+/=]/g, '');
  if (base64.length >= 16 && dominantCharacterShare(base64) > 0.5) return 0;
  return base64.length;
}

/** PEM, OpenSSH and PGP private key blocks, paired BEGIN to END in one pass. */
function detectPrivateKeys(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  const ends: { index: number; end: number; label: string }[] = [];
  const endPattern = new RegExp(PRIVATE_KEY_END.source, 'g');
  for (let match = endPattern.exec(text); match !== null; match = endPattern.exec(text)) {
    ends.push({
      index: match.index,
      end: match.index + match[0].length,
      label: `${match[1]}|${match[2] ?? ''}`,
    });
  }
  const beginPattern = new RegExp(PRIVATE_KEY_BEGIN.source, 'g');
  let endCursor = 0;
  for (let match = beginPattern.exec(text); match !== null; match = beginPattern.exec(text)) {
    const bodyStart = match.index + match[0].length;
    while (endCursor < ends.length && (ends[endCursor]?.index ?? 0) < bodyStart) endCursor++;
    const end = ends[endCursor];
    const label = `${match[1]}|${match[2] ?? ''}`;
    const encrypted = (match[1] ?? '').includes('ENCRYPTED');
    if (end !== undefined && end.label === label && end.index - bodyStart <= MAXIMUM_KEY_BODY) {
      if (keyBodyStrength(text.slice(bodyStart, end.index)) >= 40) {
        hits.push({ start: match.index, end: end.end, score: encrypted ? 0.75 : 0.95 });
      }
      beginPattern.lastIndex = end.end;
      continue;
    }
    // Truncated output: no END marker, but a body of base64 lines follows.
    const body =
      /^(?:[ \t]*\r?\n(?:[A-Za-z-]{1,20}:[^\n]{0,200}\r?\n){0,6})?(?:[ \t]*[A-Za-z0-9+/=]{16,100}(?:\r?\n|$)){2,400}/.exec(
        text.slice(bodyStart, bodyStart + MAXIMUM_KEY_BODY),
      );
    if (body !== null && keyBodyStrength(body[0]) >= 64) {
      hits.push({ start: match.index, end: bodyStart + body[0].trimEnd().length, score: 0.8 });
    }
  }
  return hits;
}

/** JSON Web Token: the header must decode to a JSON object naming its algorithm. */
function validateJwt(match: RegExpExecArray): boolean | number {
  const token = match[0];
  const [header = '', payload = '', signature] = token.split('.');
  const decodedHeader = decodeBase64(header);
  if (
    decodedHeader === undefined ||
    !decodedHeader.startsWith('{') ||
    !decodedHeader.includes('"alg"')
  ) {
    return false;
  }
  const decodedPayload = decodeBase64(payload);
  if (decodedPayload === undefined) return false;
  let parsed = false;
  try {
    JSON.parse(decodedHeader);
    parsed = true;
  } catch {
    // Truncated or hand-edited tokens still carry claims; judged a little less certain.
  }
  if (signature === undefined || signature.length === 0) return 0.6;
  return parsed ? 0.9 : 0.75;
}

const DATABASE_SCHEMES = new Set([
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'oracle',
  'cockroachdb',
  'clickhouse',
  'couchdb',
  'neo4j',
  'neo4j+s',
  'bolt',
  'nats',
  'mqtt',
  'mqtts',
  'kafka',
  'snowflake',
  'db2',
  'memcached',
]);
const URL_SCHEMES = new Set([
  'http',
  'https',
  'ftp',
  'ftps',
  'sftp',
  'smtp',
  'smtps',
  'imap',
  'imaps',
  'pop3',
  'pop3s',
  'ldap',
  'ldaps',
  'git',
  'svn',
  'ws',
  'wss',
]);
/**
 * `://user:password@host`. Matching starts at `://`, which the engine finds fast; the scheme
 * before it is read back from the input by the validator.
 */
const URL_WITH_CREDENTIALS =
  /:\/\/([^\s:@/?#"'`<>]{1,128}):([^\s@/?"'`<>]{1,256})@[A-Za-z0-9._[\]-]{1,253}/;
const SCHEME_BEFORE = /(?:^|[^A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,20})$/;

function urlCredentialsValidator(schemes: ReadonlySet<string>) {
  return (match: RegExpExecArray): boolean | number => {
    const before = match.input.slice(Math.max(0, match.index - 24), match.index);
    const scheme = SCHEME_BEFORE.exec(before)?.[1]?.toLowerCase();
    if (scheme === undefined || !schemes.has(scheme)) return false;
    const user = decodePercent(match[1] ?? '');
    const password = decodePercent(match[2] ?? '');
    if (!isRealPassword(user, password)) return false;
    // `http://host:80@other-host/` is a host and port in the user part, an SSRF trick.
    if (/^\d{1,5}[#\\]*$/.test(password)) return false;
    return shannonEntropy(password) >= 3 ? 0.9 : 0.75;
  };
}

/** Basic credentials: base64 of `user:password`. */
function validateBasicAuth(match: RegExpExecArray): boolean | number {
  const decoded = decodeBase64(match[1] ?? '');
  if (decoded === undefined) return false;
  const colon = decoded.indexOf(':');
  if (colon < 1) return false;
  let printable = 0;
  for (let index = 0; index < decoded.length; index++) {
    const code = decoded.charCodeAt(index);
    if (code >= 32 && code < 127) printable++;
  }
  if (printable / decoded.length < 0.9) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (/[\s"{}]/.test(user)) return false;
  return isRealPassword(user, password) ? 0.9 : false;
}

/** A token after `Bearer` or `Authorization:`, judged like any random credential. */
function validateAuthorizationToken(match: RegExpExecArray): boolean | number {
  const token = match[1] ?? '';
  if (isPlaceholderValue(token) || looksLikeIdentifier(token)) return false;
  if (!/\d/.test(token) || !/[A-Za-z]/.test(token)) return false;
  if (token.length >= 16 && dominantCharacterShare(token) > 0.4) return false;
  return shannonEntropy(token) >= 3.2 ? 0.85 : false;
}

function validateCommandLineUser(match: RegExpExecArray): boolean | number {
  const user = match[1] ?? '';
  const password = match[2] ?? '';
  if (password.length === 0) {
    // `curl -u sk_live_…:` passes an API key as the user name.
    return user.length >= 10 &&
      shannonEntropy(user) >= 3.2 &&
      /\d/.test(user) &&
      !isPlaceholderValue(user)
      ? 0.8
      : false;
  }
  if (/^[$%{]/.test(user)) return false;
  return isRealPassword(user, password) ? 0.85 : false;
}

/**
 * Discord bot tokens carry the bot's numeric user id, base64-encoded, as their first part,
 * which rules out look-alike dotted strings.
 */
function detectDiscordBotTokens(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  const pattern =
    /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const userId = decodeBase64(match[0].slice(0, match[0].indexOf('.')));
    if (userId !== undefined && /^\d{17,20}$/.test(userId)) {
      hits.push({ start: match.index, end: match.index + match[0].length, score: 0.9 });
    }
  }
  return hits;
}

const privateKeyRule: DetectorRule = {
  id: 'secret.private-key',
  category: 'secret',
  severity: 'critical',
  rationale: 'A private key (PEM, OpenSSH, PGP) impersonates its owner: servers, signatures, TLS.',
  target: 'raw',
  type: 'detector',
  keywords: ['private key'],
  detect: detectPrivateKeys,
};

const discordBotTokenRule: DetectorRule = {
  id: 'secret.discord-bot-token',
  category: 'secret',
  severity: 'high',
  rationale: 'A Discord bot token logs in as the bot: reads every server it is in and posts as it.',
  target: 'raw',
  type: 'detector',
  keywords: ['discord', 'bot'],
  detect: detectDiscordBotTokens,
};

const structuredPatternRules: readonly PatternRule[] = [
  {
    id: 'secret.jwt',
    category: 'secret',
    severity: 'high',
    rationale:
      'A JSON Web Token is a bearer credential: whoever holds it is the subject until it expires.',
    target: 'raw',
    type: 'pattern',
    keywords: ['eyj'],
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{2,10000}(?:\.[A-Za-z0-9_-]{0,2000})?/,
    window: 12_000,
    validate: validateJwt,
  },
  {
    id: 'secret.database-connection-string',
    category: 'secret',
    severity: 'critical',
    rationale: 'A database URL with an embedded password gives direct access to the data.',
    target: 'raw',
    type: 'pattern',
    keywords: ['://'],
    pattern: URL_WITH_CREDENTIALS,
    validate: urlCredentialsValidator(DATABASE_SCHEMES),
  },
  {
    id: 'secret.url-credentials',
    category: 'secret',
    severity: 'high',
    rationale:
      'A URL carrying user:password sends working credentials to anyone who sees the link.',
    target: 'raw',
    type: 'pattern',
    keywords: ['://'],
    pattern: URL_WITH_CREDENTIALS,
    validate: urlCredentialsValidator(URL_SCHEMES),
  },
  {
    id: 'secret.authorization-header',
    category: 'secret',
    severity: 'high',
    rationale:
      'A bearer or API token in an Authorization header is a working credential for that API.',
    target: 'raw',
    type: 'pattern',
    keywords: ['bearer', 'authorization'],
    pattern:
      /(?:\bbearer[ \t]{1,3}|\bauthorization["']?[ \t]{0,3}[:=][ \t]{0,3}["']?(?:(?:token|api-token|apikey|api-key)[ \t]{1,3})?)([A-Za-z0-9._~+/-]{16,4000}={0,3})/i,
    window: 4096,
    validate: validateAuthorizationToken,
  },
  {
    id: 'secret.basic-auth-credentials',
    category: 'secret',
    severity: 'high',
    rationale:
      'HTTP Basic credentials are only base64-encoded: the user name and password in clear.',
    target: 'raw',
    type: 'pattern',
    keywords: ['basic'],
    pattern: /\bbasic[ \t]{1,3}([A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=])/i,
    window: 1024,
    validate: validateBasicAuth,
  },
  {
    id: 'secret.command-line-credentials',
    category: 'secret',
    severity: 'high',
    rationale:
      'A user:password passed to curl or a similar tool on the command line is a live login.',
    target: 'raw',
    type: 'pattern',
    keywords: ['-u', '--user', '--proxy-user'],
    pattern:
      /(?<!\S)(?:-[uU]|--user|--proxy-user)(?:[ \t]{1,3}|=)["']?([^\s:"'`]{1,64}):["']?([^\s"'`]{0,128})/,
    validate: validateCommandLineUser,
  },
  {
    id: 'secret.bundler-credentials',
    category: 'secret',
    severity: 'high',
    rationale: 'Bundler stores private gem-server logins as BUNDLE_<HOST>=user:password.',
    target: 'raw',
    type: 'pattern',
    keywords: ['bundle_'],
    pattern:
      /(?<![A-Za-z0-9_])BUNDLE_[A-Z0-9_]{3,80}["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([A-Za-z0-9._~-]{1,64}):([A-Za-z0-9._~!$%*+-]{3,128})/,
    validate: (match) =>
      match[0].slice(0, match[0].search(/["' \t:=]/)).includes('__') &&
      isRealPassword(match[1] ?? '', match[2] ?? '')
        ? 0.85
        : false,
  },
  {
    id: 'secret.gcp-service-account',
    category: 'secret',
    severity: 'high',
    rationale:
      'A Google service-account key file: its embedded private key authenticates as the account.',
    target: 'raw',
    type: 'pattern',
    keywords: ['service_account', 'private_key_id'],
    pattern:
      /"type"[ \t]{0,3}:[ \t]{0,3}"service_account"|"private_key_id"[ \t]{0,3}:[ \t]{0,3}"[a-f0-9]{40}"/,
    score: 0.7,
  },
  {
    id: 'secret.putty-private-key',
    category: 'secret',
    severity: 'critical',
    rationale: 'A PuTTY private key file logs in to every server that trusts its public half.',
    target: 'raw',
    type: 'pattern',
    keywords: ['putty-user-key-file-'],
    pattern: /PuTTY-User-Key-File-[23]:[ \t]{0,3}[A-Za-z0-9-]{3,40}/,
    score: 0.8,
  },
];

/** Secrets recognised by structure: key blocks, tokens, credentials inside URLs and headers. */
export const structuredSecretRules: readonly Rule[] = [
  privateKeyRule,
  discordBotTokenRule,
  ...structuredPatternRules,
];
