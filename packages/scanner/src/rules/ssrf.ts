import type { DetectorRule, Rule, RuleHit } from './rule.js';
import { percentDecodeRepeatedly } from './tool-args-decode.js';
import {
  type AddressClass,
  classifyIPv4,
  classifyIPv6,
  parseIPv4,
  parseIPv6,
} from './tool-args-ip.js';

/** How a host was written, so that rules can tell plain internal names from disguised ones. */
interface HostVerdict {
  addressClass: AddressClass;
  /** The address was disguised: non-canonical IP notation, IPv4 inside IPv6, or DNS tricks. */
  disguised: boolean;
}

export interface UrlAnalysis {
  scheme: string;
  /** Hosts a permissive parser or a strict one might connect to (they differ on `\` and `@`). */
  hosts: string[];
  verdicts: HostVerdict[];
  /** The authority is read differently by different parsers. */
  confusing: boolean;
  /** Percent-decoded text of the whole value. */
  decoded: string;
}

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.packet.net',
  'metadata.platformequinix.com',
  'metadata.tencentyun.com',
  'metadata.azure.com',
  // Rancher 1.x answers container metadata (and secrets) under this name inside every stack.
  'rancher-metadata',
  'rancher-metadata.rancher.internal',
]);

/** Public names whose DNS answers 127.0.0.1 for every subdomain. */
const LOOPBACK_DOMAINS = ['localtest.me', 'lvh.me', 'vcap.me', 'localh.st', 'lacolhost.com'];

/** Wildcard DNS that answers with the IP written in the name, and DNS-rebinding services. */
const IP_ECHO_DOMAINS = ['nip.io', 'sslip.io', 'xip.io', 'xip.name', 'nip.direct', 'traefik.me'];
const REBINDING_DOMAINS = ['rbndr.us', '1u.ms', 'rebind.network', 'rebind.it'];

const INTERNAL_SUFFIXES = ['.internal', '.local', '.localdomain', '.home.arpa', '.svc', '.lan'];

function hasDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

const DOTTED_IN_NAME = /(?:^|\.)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?=\.)/;
const DASHED_IN_LABEL = /(?:^|[.-])(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?=\.)/;
const HEX_LABEL = /(?:^|[.-])([0-9a-f]{8})(?=\.)/;

/** Looks for an IPv4 address spelled inside a DNS name (`127.0.0.1.nip.io`, `10-0-0-1.x`). */
function embeddedIPv4InName(host: string, allowHex: boolean): number | null {
  const dotted = DOTTED_IN_NAME.exec(host);
  if (dotted?.[1] !== undefined) {
    const parsed = parseIPv4(dotted[1]);
    if (parsed?.canonical) return parsed.value;
  }
  const dashed = DASHED_IN_LABEL.exec(host);
  if (dashed !== null) {
    const parsed = parseIPv4(`${dashed[1]}.${dashed[2]}.${dashed[3]}.${dashed[4]}`);
    if (parsed?.canonical) return parsed.value;
  }
  if (allowHex) {
    const hex = HEX_LABEL.exec(host);
    if (hex?.[1] !== undefined) return Number.parseInt(hex[1], 16);
  }
  return null;
}

/** Classifies one host string (already lower-cased, port and brackets removed). */
export function classifyHost(rawHost: string, bracketed: boolean): HostVerdict | null {
  const host = rawHost.endsWith('.') ? rawHost.slice(0, -1) : rawHost;
  if (host.length === 0) return null;
  if (bracketed || host.indexOf(':') >= 0) {
    const zone = host.indexOf('%');
    const groups = parseIPv6(zone >= 0 ? host.slice(0, zone) : host);
    if (groups === null) return null;
    const { addressClass, embeddedIPv4 } = classifyIPv6(groups);
    return { addressClass, disguised: embeddedIPv4 !== undefined };
  }
  const v4 = parseIPv4(host);
  if (v4 !== null) {
    return { addressClass: classifyIPv4(v4.value), disguised: !v4.canonical };
  }
  if (!/^[a-z0-9_.-]+$/.test(host)) return null;
  if (METADATA_HOSTS.has(host)) return { addressClass: 'metadata', disguised: false };
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === 'localhost.localdomain' ||
    host === 'ip6-localhost' ||
    host === 'ip6-loopback'
  ) {
    return { addressClass: 'loopback', disguised: false };
  }
  if (LOOPBACK_DOMAINS.some((domain) => hasDomain(host, domain))) {
    return { addressClass: 'loopback', disguised: true };
  }
  const echoService = IP_ECHO_DOMAINS.some((domain) => hasDomain(host, domain));
  const embedded = embeddedIPv4InName(host, echoService);
  if (embedded !== null) {
    const addressClass = classifyIPv4(embedded);
    if (addressClass !== 'public') return { addressClass, disguised: true };
  }
  if (REBINDING_DOMAINS.some((domain) => hasDomain(host, domain))) {
    return { addressClass: 'private', disguised: true };
  }
  if (INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return { addressClass: 'private', disguised: false };
  }
  return { addressClass: 'public', disguised: false };
}

/** Schemes that read local files or speak raw protocols to internal services. */
const DANGEROUS_SCHEMES = new Set([
  'file',
  'gopher',
  'dict',
  'netdoc',
  'jar',
  'php',
  'phar',
  'expect',
  'ldap',
  'ldaps',
  'ldapi',
  'glob',
  'zip',
  'compress.zlib',
  'compress.bzip2',
  'ogg',
  'rar',
]);

/** Non-web schemes a fetch tool has no business speaking; reachable by libcurl and friends. */
const UNUSUAL_SCHEMES = new Set([
  'tftp',
  'sftp',
  'scp',
  'smb',
  'smbs',
  'telnet',
  'ssh',
  'ssh2.shell',
  'ssh2.exec',
  'redis',
  'mysql',
  'postgres',
  'postgresql',
  'mongodb',
  'rmi',
  'nfs',
]);

const KNOWN_SCHEMELESS = new Set([...DANGEROUS_SCHEMES, 'mailto', 'data', 'javascript', 'about']);

/** Reduces one authority piece to a host: port, junk after the host and brackets removed. */
function hostFromPiece(piece: string): { host: string; bracketed: boolean } | null {
  const trimmed = piece.trim();
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    if (close < 0) return null;
    return { host: trimmed.slice(1, close).toLowerCase(), bracketed: true };
  }
  const colon = trimmed.indexOf(':');
  const withoutPort = colon >= 0 ? trimmed.slice(0, colon) : trimmed;
  // Keep the leading run of host characters; `127.0.0.1!` and `host\` end at the junk.
  const match = /^[\p{L}\p{N}._~-]+/u.exec(withoutPort.normalize('NFKC'));
  if (match === null) return null;
  const host = match[0].toLowerCase().replace(/[\u3002\uff0e\uff61]/g, '.');
  return { host, bracketed: false };
}

/**
 * Splits a URL-ish value and classifies every host a parser might pick from its authority.
 * No `URL` global: its answer is one parser's opinion, and the disagreement is the attack.
 */
export function analyseUrl(value: string): UrlAnalysis {
  const text = value.trim().replace(/^[<"'(]+/, '');
  const decoded = percentDecodeRepeatedly(text, 3);
  let scheme = '';
  let rest = text;
  const schemeMatch = /^([a-z][a-z0-9+.-]{0,30}):/i.exec(text);
  if (schemeMatch?.[1] !== undefined) {
    const candidate = schemeMatch[1].toLowerCase();
    const after = text.slice(schemeMatch[0].length);
    // `localhost:8080/x` is a host and port, not a scheme.
    if (/^[/\\]/.test(after) || KNOWN_SCHEMELESS.has(candidate) || UNUSUAL_SCHEMES.has(candidate)) {
      scheme = candidate;
      rest = after;
    }
  }
  const slashes = /^[/\\]*/.exec(rest)?.[0].length ?? 0;
  const hasAuthority = slashes >= 2 || (scheme === '' && !rest.startsWith('/'));
  const hosts: string[] = [];
  const verdicts: HostVerdict[] = [];
  let confusing = false;
  if (hasAuthority) {
    const afterSlashes = rest.slice(slashes);
    // A permissive parser ends the authority at `/ ? #`; WHATWG also ends it at `\`.
    const naiveEnd = afterSlashes.search(/[/?#]/);
    const naive = naiveEnd >= 0 ? afterSlashes.slice(0, naiveEnd) : afterSlashes;
    const strictEnd = afterSlashes.search(/[/?#\\]/);
    const strict = strictEnd >= 0 ? afterSlashes.slice(0, strictEnd) : afterSlashes;
    const atCount = naive.split('@').length - 1;
    confusing = naive !== strict || atCount > 1;
    const pieces = new Set<string>();
    for (const authority of [naive, strict]) {
      const decodedAuthority = percentDecodeRepeatedly(authority, 3);
      const parts = decodedAuthority.split('@');
      const last = parts[parts.length - 1];
      if (last !== undefined) pieces.add(last);
      // The userinfo is a host to some parsers (`http://127.1.1.1:80\@127.2.2.2`).
      for (const part of parts.slice(0, -1)) {
        for (const sub of part.split(/[\\#?]/)) pieces.add(sub);
      }
    }
    for (const piece of pieces) {
      const parsed = hostFromPiece(piece);
      if (parsed === null || parsed.host.length === 0) continue;
      const verdict = classifyHost(parsed.host, parsed.bracketed);
      if (verdict === null) continue;
      hosts.push(parsed.host);
      verdicts.push(verdict);
    }
    // Userinfo that looks like a host name is a classic allow-list bypass: `http://good.com@evil`.
    if (atCount >= 1) {
      const userinfo = naive.slice(0, naive.lastIndexOf('@'));
      if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(userinfo) || /[\\#?]/.test(userinfo)) {
        confusing = true;
      }
    }
  }
  return { scheme, hosts, verdicts, confusing, decoded };
}

const INTERNAL_CLASSES = new Set<AddressClass>([
  'loopback',
  'unspecified',
  'private',
  'link-local',
  'shared',
]);

/** Metadata endpoints spelled out anywhere in the value, e.g. behind an open proxy or redirect. */
const EMBEDDED_METADATA =
  /(?:^|[^\d.])(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200)(?![\d])|metadata\.google\.internal|\[?fd00:ec2::254\]?/i;

/** Caches the analysis of the last value so the SSRF rules parse each argument once. */
let lastValue: string | null = null;
let lastAnalysis: UrlAnalysis | null = null;
function cachedAnalysis(value: string): UrlAnalysis {
  if (lastValue !== value || lastAnalysis === null) {
    lastAnalysis = analyseUrl(value);
    lastValue = value;
  }
  return lastAnalysis;
}

function wholeValue(text: string, score?: number): RuleHit[] {
  return score === undefined
    ? [{ start: 0, end: text.length }]
    : [{ start: 0, end: text.length, score }];
}

const privateAddress: DetectorRule = {
  id: 'ssrf.private-address',
  type: 'detector',
  category: 'ssrf',
  severity: 'medium',
  rationale:
    'The URL points at a loopback, private or link-local host, which lets a tool call reach services that are not meant to be reachable from outside.',
  score: 0.8,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    const plain = analysis.verdicts.some(
      (verdict) => INTERNAL_CLASSES.has(verdict.addressClass) && !verdict.disguised,
    );
    return plain ? wholeValue(text) : [];
  },
};

const obfuscatedAddress: DetectorRule = {
  id: 'ssrf.obfuscated-address',
  type: 'detector',
  category: 'ssrf',
  severity: 'high',
  rationale:
    'The URL reaches an internal address through a disguise (hex, octal, integer or shortened IP, IPv4 inside IPv6, a DNS name that resolves to the embedded IP), which only filter evasion needs.',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    const disguised = analysis.verdicts.some(
      (verdict) =>
        verdict.disguised &&
        (INTERNAL_CLASSES.has(verdict.addressClass) || verdict.addressClass === 'metadata'),
    );
    return disguised ? wholeValue(text) : [];
  },
};

const metadataEndpoint: DetectorRule = {
  id: 'ssrf.metadata-endpoint',
  type: 'detector',
  category: 'ssrf',
  severity: 'high',
  rationale:
    'The URL targets a cloud instance-metadata service, which hands out the credentials of the machine the agent runs on.',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    if (analysis.verdicts.some((verdict) => verdict.addressClass === 'metadata')) {
      return wholeValue(text);
    }
    // Behind a proxy path, a redirector or a nested URL parameter.
    return EMBEDDED_METADATA.test(analysis.decoded) ? wholeValue(text, 0.85) : [];
  },
};

const dangerousScheme: DetectorRule = {
  id: 'ssrf.dangerous-scheme',
  type: 'detector',
  category: 'ssrf',
  severity: 'high',
  rationale:
    'The URL uses a scheme that reads local files or smuggles raw protocol bytes to internal services (file:, gopher:, dict:, jar:, php:, ldap:).',
  score: 0.95,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    return DANGEROUS_SCHEMES.has(cachedAnalysis(text).scheme) ? wholeValue(text) : [];
  },
};

const unusualScheme: DetectorRule = {
  id: 'ssrf.unusual-scheme',
  type: 'detector',
  category: 'ssrf',
  severity: 'medium',
  rationale:
    'The URL uses a non-web protocol (tftp:, sftp:, smb:, telnet:, redis:) that a fetch tool should not speak and that attackers use to reach other services.',
  score: 0.75,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    return UNUSUAL_SCHEMES.has(cachedAnalysis(text).scheme) ? wholeValue(text) : [];
  },
};

const parserConfusion: DetectorRule = {
  id: 'ssrf.parser-confusion',
  type: 'detector',
  category: 'ssrf',
  severity: 'high',
  rationale:
    'The URL authority is built so that different parsers see different hosts (backslashes, several @, a host name as user info), the trick used to pass an allow-list and connect elsewhere.',
  score: 0.85,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    return cachedAnalysis(text).confusing ? wholeValue(text) : [];
  },
};

const NESTED_URL = /[?&=/](?:https?|gopher|file|dict)(?::|%3a)/i;

const nestedInternalUrl: DetectorRule = {
  id: 'ssrf.nested-internal-url',
  type: 'detector',
  category: 'ssrf',
  severity: 'low',
  rationale:
    'A URL parameter carries another URL that points inside the network; harmless for OAuth callbacks to localhost, an open-redirect SSRF elsewhere.',
  score: 0.5,
  kinds: ['tool_args'],
  roles: ['url'],
  target: 'raw',
  detect(text) {
    const analysis = cachedAnalysis(text);
    const found = NESTED_URL.exec(analysis.decoded);
    if (found === null) return [];
    const inner = analyseUrl(analysis.decoded.slice(found.index + 1));
    const internal = inner.verdicts.some(
      (verdict) =>
        INTERNAL_CLASSES.has(verdict.addressClass) || verdict.addressClass === 'metadata',
    );
    return internal ? wholeValue(text) : [];
  },
};

export const ssrfRules: readonly Rule[] = [
  metadataEndpoint,
  obfuscatedAddress,
  privateAddress,
  dangerousScheme,
  unusualScheme,
  parserConfusion,
  nestedInternalUrl,
];
