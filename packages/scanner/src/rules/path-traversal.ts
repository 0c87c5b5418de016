import type { DetectorRule, Rule, RuleHit } from './rule.js';
import { percentDecodeRepeatedly } from './tool-args-decode.js';

/*
 * Path-argument rules. A single `../` is how documentation links to a sibling folder, so a
 * traversal is only reported when something else is wrong with it: it had to be encoded
 * (%2e%2e, %252e, %c0%ae, %uff0e, 0x2e), it is padded with separators no real path needs
 * (`..//`, `/./`, `\/`, `....`), it carries a null byte, it climbs further than any repository
 * link does, or it lands on a system file. Plain escapes are recorded at low severity.
 */

/** Characters that some parser along the way turns into `.`, `/` or `\`. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2215': '/', // division slash
  '\u2044': '/', // fraction slash
  '\u29f8': '/', // big solidus
  '\uefc8': '/', // IIS best-fit mapping
  '\uf025': '/', // IIS best-fit mapping
  '\u2216': '\\', // set minus
  '\u29f5': '\\', // reverse solidus operator
  '\u29f9': '\\', // big reverse solidus
};
const LOOKALIKE_PATTERN = /[\u2215\u2044\u29f8\uefc8\uf025\u2216\u29f5\u29f9]/g;
const HEX_LITERAL = /0x(2e|2f|5c)/gi;

export interface PathAnalysis {
  /** The decoded path, `\` turned into `/`, lower-cased. */
  normalised: string;
  /** The same, cut at the first null byte, as a C library would open it. */
  truncated: string;
  /** `..` segments in the decoded path. */
  traversals: number;
  /** `..` segments visible without decoding. */
  plainTraversals: number;
  /** How many levels above its starting folder the path climbs. */
  escapeDepth: number;
  /** Decoding was needed to reveal dots or separators. */
  encoded: boolean;
  /** Separators or dot segments no real path needs (`..//`, `/./`, `....`, `\/`, `..;/`). */
  padded: boolean;
  nullByte: boolean;
  /** The path has no real target: it ends in a separator, `..` or a `{FILE}` placeholder. */
  targetless: boolean;
  absolute: boolean;
}

function countTraversals(path: string): number {
  let count = 0;
  for (const segment of path.split(/[/\\]/)) {
    if (/^\.{2,}(?:;.{0,40})?$/.test(segment.trim())) count += 1;
  }
  return count;
}

/**
 * Decodes a path argument every way a server might and measures its traversal.
 *
 * @example analysePath('%2e%2e%2fetc%2fpasswd').encoded // true
 */
export function analysePath(value: string): PathAnalysis {
  const raw = value.replace(/^file:\/\//i, '');
  let decoded = percentDecodeRepeatedly(raw, 4);
  decoded = decoded.replace(HEX_LITERAL, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  decoded = decoded
    .normalize('NFKC')
    .replace(LOOKALIKE_PATTERN, (char) => LOOKALIKES[char] ?? char);
  const nullByte = decoded.indexOf('\0') >= 0 || /\\(?:x00|0(?![0-7]))|\\u0000/i.test(raw);
  // Dots split by a null byte (`.%00.`) still read as `..` to the C library below.
  const withoutNull = decoded.replace(/\0/g, '');
  const plainTraversals = countTraversals(raw);
  const traversals = countTraversals(withoutNull);
  const slashed = withoutNull.replace(/\\/g, '/').toLowerCase();
  const encoded =
    traversals > plainTraversals ||
    (traversals > 0 && (decoded !== raw || /0x(?:2e|2f|5c)/i.test(raw)));
  const padded =
    traversals > 0 &&
    (/\/\\|\\\//.test(withoutNull) ||
      /\.\.\/\/|\/\/\.\.|(?:^|\/)\.{3,64}(?:\/|$)|\.\.;|\/\.\/\.\//.test(
        withoutNull.replace(/\\/g, '/'),
      ));
  let level = 0;
  let lowest = 0;
  const segments = slashed.split('/');
  for (const segment of segments) {
    const trimmed = segment.trim();
    if (trimmed === '' || trimmed === '.') continue;
    if (/^\.{2,}(?:;.{0,40})?$/.test(trimmed)) {
      level -= 1;
      lowest = Math.min(lowest, level);
    } else {
      level += 1;
    }
  }
  const last = segments.filter((segment) => segment.trim() !== '').pop() ?? '';
  const targetless = last === '' || /^\.+$/.test(last) || /^\{\w{1,20}\}$/.test(last);
  const absolute = /^(?:\/|~|[a-z]:|\/\/)/.test(slashed);
  return {
    normalised: slashed,
    truncated: decoded.split('\0')[0]?.replace(/\\/g, '/').toLowerCase() ?? '',
    traversals,
    plainTraversals,
    escapeDepth: lowest === 0 ? 0 : -lowest,
    encoded,
    padded,
    nullByte,
    targetless,
    absolute,
  };
}

/** Credential and account files: reading them is the point of most traversal attacks. */
export const SENSITIVE_FILE =
  /(?:^|\/)etc\/(?:passwd|shadow|gshadow|master\.passwd|sudoers|security\/opasswd)(?:$|[/;?#~]|-$|\.bak$|\.old$)|(?:^|\/)proc\/(?:self|\d{1,7}|thread-self)\/(?:environ|cmdline|maps|mem|fd\/|status|mountinfo|root)|(?:^|\/)\.ssh\/(?:id_[a-z0-9_]{1,20}(?:$|[/;?#~]|\.bak$)|authorized_keys)|(?:^|\/)\.aws\/credentials|(?:^|\/)\.azure\/accesstokens\.json|gcloud\/(?:credentials\.db|application_default_credentials\.json|access_tokens\.db)|(?:^|\/)\.kube\/config(?:$|\/)|(?:^|\/)\.docker\/config\.json|(?:^|\/)\.git-credentials|(?:^|\/)\.netrc$|(?:^|\/)\.pgpass$|(?:^|\/)\.htpasswd|(?:^|\/)(?:\.rhosts|\.shosts|hosts\.equiv)$|(?:^|\/)\.(?:bash|zsh|mysql|psql)_history|(?:^|\/)(?:repair|system32\/config|regback)\/(?:sam|system|security|software|default)(?:$|[^\w])|(?:^|\/)boot\.ini|(?:^|\/)win\.ini|(?:^|\/)(?:panther\/)?unattend(?:ed)?\.xml|(?:^|\/)sysprep\.(?:inf|xml)/;

/** Project secret files: routine to edit, the first thing an exfiltration prompt asks for. */
export const SECRETS_FILE =
  /(?:^|\/)\.env(?:\.(?!example|sample|template|dist|defaults)[\w-]{1,20})?$|(?:^|\/)web\.config$|(?:^|\/)wp-config\.php|(?:^|\/)\.npmrc$|(?:^|\/)\.pypirc$|(?:^|\/)credentials\.json$|(?:^|\/)secrets?\.(?:json|ya?ml|toml)$|\.tfstate$/;

/** Top folders that belong to the operating system or a server install, never to a project. */
const SYSTEM_LOCATION_UNIX =
  /^\/(?:etc|proc|sys|dev|boot|root|var\/(?:log|adm|cron|www|lib\/mysql|spool|mail|run|apache2?|nginx)|usr\/(?:adm|spool)|usr\/local\/(?:etc|apache\d{0,2}|nginx|php|mysql)|opt\/(?:lampp?|xampp))(?:\/|$)/;
const SYSTEM_LOCATION_WINDOWS =
  /^\/?[a-z]:\/?(?:windows|winnt|system32|inetpub|xampp|wamp|apache|nginx|mysql|php|logs?\/|boot\.ini|program files(?: \(x86\))?\/(?:apache|mysql|php|filezilla))/;

/** Server configuration and log file names, sensitive when addressed by absolute path. */
const SERVER_FILE =
  /(?:^|\/)(?:\.htaccess|httpd\.conf|apache2?\.conf|nginx\.conf|php\.ini|my\.cnf|my\.ini|access[._]log|error[._]log|httpd-access\.log|httpd-error\.log|tomcat-users\.xml|inetsrv\/metabase\.xml|filezilla server\.xml|sendmail\.ini)(?:$|[.\w])/;

/** Where a traversal lands when it is aiming at the system rather than a sibling folder. */
const SYSTEM_TARGET =
  /^(?:etc|proc|sys|dev|boot|root|var|usr|bin|sbin|lib|opt|home|windows|winnt|inetpub|xampp|wamp|apache\d?|httpd|nginx|program files|documents and settings|boot\.ini|win\.ini)(?:\/|$)/;

/** A value that reached the depth limit; deeper values are not worth more decoding work. */
const MAX_LENGTH = 4096;

let lastValue: string | null = null;
let lastAnalysis: PathAnalysis | null = null;
function cachedAnalysis(value: string): PathAnalysis {
  if (lastValue !== value || lastAnalysis === null) {
    lastAnalysis = analysePath(value.length > MAX_LENGTH ? value.slice(0, MAX_LENGTH) : value);
    lastValue = value;
  }
  return lastAnalysis;
}

function wholeValue(text: string, score?: number): RuleHit[] {
  return score === undefined
    ? [{ start: 0, end: text.length }]
    : [{ start: 0, end: text.length, score }];
}

/**
 * Deepest climb seen in repository-relative links: 4 levels in the file-paths train split
 * (benign_relative_link). A path that climbs 5 or more is escaping, not cross-linking.
 */
const DEEP_ESCAPE = 5;

/** The path with `.` and `..` applied, as the file system will open it. */
function resolvePath(normalised: string): string {
  const stack: string[] = [];
  for (const segment of normalised.split('/')) {
    const trimmed = segment.trim();
    if (trimmed === '' || trimmed === '.') continue;
    if (/^\.{2,}(?:;.{0,40})?$/.test(trimmed)) stack.pop();
    else stack.push(trimmed);
  }
  const root = /^(?:[a-z]:)/.test(normalised) ? '' : normalised.startsWith('/') ? '/' : '';
  return root + stack.join('/');
}

/** What is left of the path once the `..` and `.` segments are gone. */
function landingPath(normalised: string): string {
  return normalised
    .split('/')
    .filter((segment) => segment.trim() !== '' && !/^\.+(?:;.{0,40})?$/.test(segment.trim()))
    .join('/');
}

/** Percent-escapes for characters that never need escaping in a path: only obfuscation uses them. */
const NEEDLESS_ESCAPE = /%(?:2[def]|3\d|4[1-9a-f]|5[0-9acf]|6[1-9a-f]|7[0-9ae])/i;
/** Overlong UTF-8 leads, IIS %u escapes and hex literals: fingerprints of filter evasion. */
const EVASIVE_ENCODING = /%c[01]|%e0%[89]|%f0%8|%f8%8|%fc%8|%u[0-9a-f]{4}|0x(?:2e|2f|5c)/i;

/** True when the value, or any layer of its percent-encoding, uses evasive escapes. */
function hasEvasiveEncoding(value: string): boolean {
  let layer = value;
  for (let round = 0; round < 3; round += 1) {
    if (NEEDLESS_ESCAPE.test(layer) || EVASIVE_ENCODING.test(layer)) return true;
    const next = layer.replace(/%25/gi, '%');
    if (next === layer) return false;
    layer = next;
  }
  return false;
}

const encodedPath: DetectorRule = {
  id: 'path.encoded-path',
  type: 'detector',
  category: 'path_traversal',
  severity: 'high',
  rationale:
    'The path percent-encodes characters that never need it (dots, slashes, letters) or uses overlong UTF-8, %u or 0x escapes: obfuscation meant to get a path past a filter.',
  score: 0.85,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  keywords: ['%', '0x'],
  detect(text) {
    return hasEvasiveEncoding(text.slice(0, MAX_LENGTH)) ? wholeValue(text) : [];
  },
};

const traversal: DetectorRule = {
  id: 'path.traversal',
  type: 'detector',
  category: 'path_traversal',
  severity: 'high',
  rationale:
    'The path climbs out of its folder in a way no real path does: encoded or padded ../ sequences, a null byte, more levels than any repository link, or a landing on a system folder.',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    if (analysis.traversals === 0) return [];
    const landing = landingPath(analysis.normalised);
    const aimed =
      SYSTEM_TARGET.test(landing) ||
      SENSITIVE_FILE.test(analysis.normalised) ||
      SENSITIVE_FILE.test(analysis.truncated) ||
      SERVER_FILE.test(analysis.normalised);
    // `/var/www/../../etc/group`: in through an allowed prefix, out to the system.
    const resolved = resolvePath(analysis.normalised);
    const escapesPrefix =
      analysis.absolute &&
      (SYSTEM_LOCATION_UNIX.test(resolved) ||
        SYSTEM_LOCATION_WINDOWS.test(resolved) ||
        SENSITIVE_FILE.test(resolved));
    const flagged =
      escapesPrefix ||
      analysis.encoded ||
      analysis.padded ||
      analysis.nullByte ||
      analysis.escapeDepth >= DEEP_ESCAPE ||
      (analysis.escapeDepth >= 1 && aimed) ||
      (analysis.escapeDepth >= 3 && analysis.targetless) ||
      // Climbing above the filesystem root does nothing except dodge a prefix check.
      (analysis.absolute && analysis.escapeDepth >= 1);
    return flagged ? wholeValue(text) : [];
  },
};

const parentEscape: DetectorRule = {
  id: 'path.parent-escape',
  type: 'detector',
  category: 'path_traversal',
  severity: 'low',
  rationale:
    'The path leaves its starting folder with ../; normal for links between sibling docs, recorded so a policy can confine file tools to the workspace.',
  score: 0.4,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  keywords: ['..', '%', '0x', '\uff0e', '\u2024', '\ufe52'],
  detect(text) {
    const analysis = cachedAnalysis(text);
    return analysis.escapeDepth >= 1 ? wholeValue(text) : [];
  },
};

const nullByte: DetectorRule = {
  id: 'path.null-byte',
  type: 'detector',
  category: 'path_traversal',
  severity: 'high',
  rationale:
    'A null byte in a path truncates it in C-based file APIs, the trick used to cut off an enforced extension (file.php%00.png).',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  keywords: ['%00', '\0', '\\x00', '\\0', '%2500', '%u0000', '\\u0000', '%c0%80'],
  detect(text) {
    return cachedAnalysis(text).nullByte ? wholeValue(text) : [];
  },
};

const sensitiveFile: DetectorRule = {
  id: 'path.sensitive-file',
  type: 'detector',
  category: 'path_traversal',
  severity: 'high',
  rationale:
    'The path names a credential or account file (/etc/shadow, /etc/passwd, SSH keys, cloud credentials, /proc/self/environ, the SAM hive, win.ini probes).',
  score: 0.9,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    const found =
      SENSITIVE_FILE.test(analysis.normalised) || SENSITIVE_FILE.test(analysis.truncated);
    return found ? wholeValue(text) : [];
  },
};

const secretsFile: DetectorRule = {
  id: 'path.secrets-file',
  type: 'detector',
  category: 'path_traversal',
  severity: 'medium',
  rationale:
    'The path names a project secrets file (.env, web.config, wp-config.php, .npmrc, Terraform state): fine to edit, but the usual target of a prompt that wants keys sent out.',
  score: 0.6,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  keywords: [
    '.env',
    'web.config',
    'wp-config',
    '.npmrc',
    '.pypirc',
    'credentials',
    'secret',
    '.tfstate',
  ],
  detect(text) {
    return SECRETS_FILE.test(cachedAnalysis(text).normalised.trim()) ? wholeValue(text) : [];
  },
};

const systemLocation: DetectorRule = {
  id: 'path.system-location',
  type: 'detector',
  category: 'path_traversal',
  severity: 'medium',
  rationale:
    'An absolute path into the operating system or a server install (/etc, /proc, /var/log, C:\\Windows, web-server configs and logs) rather than the project.',
  score: 0.7,
  kinds: ['tool_args'],
  roles: ['path'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    const path = analysis.normalised.trim();
    const flagged =
      analysis.absolute &&
      (SYSTEM_LOCATION_UNIX.test(path) ||
        SYSTEM_LOCATION_WINDOWS.test(path) ||
        SERVER_FILE.test(path));
    return flagged ? wholeValue(text) : [];
  },
};

export const pathTraversalRules: readonly Rule[] = [
  traversal,
  encodedPath,
  nullByte,
  sensitiveFile,
  systemLocation,
  secretsFile,
  parentEscape,
];
