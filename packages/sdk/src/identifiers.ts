import { createHmac } from 'node:crypto';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RULE_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const ARGUMENT_PATH = /^[A-Za-z0-9_.[\]-]{1,128}$/;

/** Short stable digest of a value, for names that cannot be sent as they are. */
export function shortDigest(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex').slice(0, 12);
}

/**
 * Makes a name (agent, project, tool, policy) fit the event schema's identifier: letters,
 * digits and `. _ : -`, starting with a letter or digit, at most 128. Names that fit are kept;
 * others have their other characters replaced and, when that loses information, a digest
 * suffix so two different names stay different.
 * @example toIdentifier('github/create issue') // 'github_create_issue-…'
 */
export function toIdentifier(name: string): string {
  if (IDENTIFIER.test(name)) return name;
  let cleaned = name.replace(/[^A-Za-z0-9._:-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  const suffix = shortDigest('warden.identifier', name);
  cleaned = cleaned.slice(0, 128 - suffix.length - 1);
  return cleaned === '' ? `x-${suffix}` : `${cleaned}-${suffix}`;
}

/** A rule id as the event schema accepts it, or undefined for a custom id it cannot carry. */
export function toRuleId(id: string): string | undefined {
  if (id.length <= 128 && RULE_ID.test(id)) return id;
  const lowered = id
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/[.-]{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 128)
    .replace(/[.-]+$/, '');
  return lowered !== '' && RULE_ID.test(lowered) ? lowered : undefined;
}

/** The most argument values one event reports (the rest are counted, not hashed). */
export const MAX_ARGUMENT_VALUES = 64;
const MAX_DEPTH = 8;

/**
 * The leaf values of a tool call's arguments by path (`query`, `options.headers[0]`), as
 * strings to be hashed. A JSON string of an object is read as that object. Values are kept in
 * memory only until the telemetry client hashes them with the organisation's key.
 * @example argumentValues({ path: '/etc/passwd', opts: { n: 1 } }) // { path: '/etc/passwd', 'opts.n': '1' }
 */
export function argumentValues(args: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  const visit = (value: unknown, path: string, depth: number): void => {
    if (count >= MAX_ARGUMENT_VALUES) return;
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && depth < MAX_DEPTH) {
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) visit(item, `${path}[${index}]`, depth + 1);
      } else {
        for (const [key, item] of Object.entries(value)) {
          const segment = key.replace(/[^A-Za-z0-9_-]+/g, '_') || '_';
          visit(item, path === '' ? segment : `${path}.${segment}`, depth + 1);
        }
      }
      return;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined) return;
    let key = path === '' ? 'value' : path;
    if (!ARGUMENT_PATH.test(key)) key = `${key.slice(0, 110)}-${shortDigest('warden.path', key)}`;
    if (!(key in out)) {
      out[key] = text;
      count += 1;
    }
  };
  visit(parseIfJsonObject(args), '', 0);
  return out;
}

function parseIfJsonObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

const RESOURCE_PATTERNS: readonly RegExp[] = [
  // e-mail addresses
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g,
  // AWS ARNs
  /arn:[A-Za-z0-9-]+:[A-Za-z0-9-]*:[A-Za-z0-9-]*:[0-9]*:[A-Za-z0-9_/:.+=@-]+/g,
  // IPv4 addresses
  /\b(?:\d{1,3}\.){3}\d{1,3}\b/g,
  // host names: dot-separated labels ending in a common top-level or internal domain (so that
  // a dotted tool name such as `fs.read` stays readable)
  /\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:com|net|org|io|dev|ai|app|cloud|co|us|uk|de|fr|eu|jp|cn|in|internal|local|lan|corp|intranet|svc|cluster)\b/g,
  // long hexadecimal or UUID-shaped resource ids
  /\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b/g,
];

/** What `anonymize` replaces in the names reported with events. */
export interface AnonymizeOptions {
  /**
   * `resources` (default): host names, e-mail addresses, IP addresses, ARNs and UUID-like ids
   * inside tool names are replaced by pseudonyms; `all`: every tool name is; `none`: none is.
   */
  tools?: 'resources' | 'all' | 'none';
  /** Replace the agent id by a pseudonym too (default false). */
  agent?: boolean;
  /**
   * Key of the pseudonyms (HMAC-SHA256), so the same name always gets the same pseudonym and
   * nobody without the key can guess it. Default: derived from the API key.
   */
  key?: string;
}

/** Replaces a name (or the resource identifiers in it) by keyed pseudonyms. */
export function anonymizeName(name: string, mode: 'resources' | 'all', key: string): string {
  if (mode === 'all') return `anon-${shortDigest(key, name)}`;
  let out = name;
  for (const pattern of RESOURCE_PATTERNS) {
    out = out.replace(pattern, (match) => `anon-${shortDigest(key, match)}`);
  }
  return out;
}
