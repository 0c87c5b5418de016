import { createHash } from 'node:crypto';
import { canonicalJson } from '@warden/protocol';

/** The `previousHash` of an organisation's first audit entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Who did it: a signed-in user, an API key, or the server itself (e.g. the retention job). */
export interface AuditActor {
  type: 'user' | 'api_key' | 'system';
  id: string;
}

/** One audit entry as stored and exported; `hash` chains it to the entry before it. */
export interface AuditEntry {
  id: string;
  organizationId: string;
  /** 1, 2, 3… per organisation, without gaps. */
  sequence: number;
  /** ISO 8601 with milliseconds, UTC. */
  occurredAt: string;
  actor: AuditActor;
  /** noun.verb, e.g. `api_key.create`, `policy.publish`. */
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  previousHash: string;
  hash: string;
}

/**
 * The hash of an entry: SHA-256 over the previous entry's hash and the canonical JSON of every
 * field but `hash` itself, so changing, removing or reordering any entry breaks every later link.
 * @example const hash = hashAuditEntry({ ...entry, previousHash: last.hash })
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { hash: _hash, ...content } = entry as AuditEntry;
  return createHash('sha256')
    .update(entry.previousHash, 'utf8')
    .update(canonicalJson(content), 'utf8')
    .digest('hex');
}

/** Where a chain first breaks, or that it holds. */
export type AuditChainVerification =
  | { ok: true; entries: number; lastHash: string }
  | {
      ok: false;
      /** Entries that verified before the broken one. */
      entries: number;
      brokenAt: { id: string; sequence: number; organizationId: string };
      reason: 'hash-mismatch' | 'previous-hash-mismatch' | 'sequence-gap';
      message: string;
    };

/**
 * Walks entries in chain order (one organisation, or several interleaved: each is checked
 * against its own organisation's previous entry) and reports the first broken link.
 * `from` lets a partial export start after a known entry.
 * @example const result = await verifyAuditChain(readEntries(file)); if (!result.ok) console.error(result.message)
 */
export async function verifyAuditChain(
  entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>,
  options: {
    from?: ReadonlyMap<string, { sequence: number; hash: string }>;
    /** Each organisation's chain must start at sequence 1 (a whole chain, not an excerpt). */
    requireGenesis?: boolean;
  } = {},
): Promise<AuditChainVerification> {
  const last = new Map<string, { sequence: number; hash: string }>(options.from ?? []);
  let count = 0;
  let lastHash = AUDIT_GENESIS_HASH;
  for await (const entry of entries) {
    const previous = last.get(entry.organizationId);
    const expectedSequence =
      previous !== undefined ? previous.sequence + 1 : options.requireGenesis ? 1 : entry.sequence;
    const brokenAt = {
      id: entry.id,
      sequence: entry.sequence,
      organizationId: entry.organizationId,
    };
    const at = `entry ${entry.sequence} (id ${entry.id}, organisation ${entry.organizationId})`;
    // A chain that starts mid-way (an export from a date) is trusted from its first entry on;
    // one that starts at 1 must start from the genesis hash.
    if (
      previous === undefined &&
      entry.sequence === 1 &&
      entry.previousHash !== AUDIT_GENESIS_HASH
    ) {
      return broken(
        count,
        brokenAt,
        'previous-hash-mismatch',
        `${at}: the first entry does not start from the genesis hash`,
      );
    }
    if (entry.sequence !== expectedSequence) {
      return broken(
        count,
        brokenAt,
        'sequence-gap',
        `${at}: expected sequence ${expectedSequence}; an entry was removed or reordered`,
      );
    }
    if (previous !== undefined && entry.previousHash !== previous.hash) {
      return broken(
        count,
        brokenAt,
        'previous-hash-mismatch',
        `${at}: previousHash does not match the hash of entry ${previous.sequence}; an earlier entry was changed or removed`,
      );
    }
    if (hashAuditEntry(entry) !== entry.hash) {
      return broken(
        count,
        brokenAt,
        'hash-mismatch',
        `${at}: its content does not match its hash; it was altered`,
      );
    }
    last.set(entry.organizationId, { sequence: entry.sequence, hash: entry.hash });
    lastHash = entry.hash;
    count++;
  }
  return { ok: true, entries: count, lastHash };
}

function broken(
  entries: number,
  brokenAt: { id: string; sequence: number; organizationId: string },
  reason: 'hash-mismatch' | 'previous-hash-mismatch' | 'sequence-gap',
  message: string,
): AuditChainVerification {
  return { ok: false, entries, brokenAt, reason, message };
}

/**
 * One JSON line of the audit export: the entry with its keys in canonical order.
 * @example stream.write(auditEntryToJsonLine(entry))
 */
export function auditEntryToJsonLine(entry: AuditEntry): string {
  return `${canonicalJson(entry)}\n`;
}

/** Product fields of the CEF header. */
export interface CefProduct {
  vendor: string;
  product: string;
  version: string;
}

const DEFAULT_PRODUCT: CefProduct = {
  vendor: 'Warden',
  product: 'Warden Control Plane',
  version: '0.1.0',
};

/**
 * One line of ArcSight Common Event Format (CEF:0) for an entry. Header fields escape `\` and
 * `|`; extension values escape `\`, `=` and line breaks, per the CEF specification.
 * @example stream.write(auditEntryToCef(entry))
 */
export function auditEntryToCef(entry: AuditEntry, product: CefProduct = DEFAULT_PRODUCT): string {
  const header = [
    'CEF:0',
    escapeCefHeader(product.vendor),
    escapeCefHeader(product.product),
    escapeCefHeader(product.version),
    escapeCefHeader(entry.action),
    escapeCefHeader(`Warden audit: ${entry.action}`),
    String(cefSeverity(entry.action)),
  ].join('|');
  const extension: [string, string | number | null][] = [
    ['rt', Date.parse(entry.occurredAt)],
    ['externalId', entry.id],
    ['act', entry.action],
    ['suser', entry.actor.type === 'user' ? entry.actor.id : null],
    ['suid', `${entry.actor.type}:${entry.actor.id}`],
    ['src', entry.ip],
    ['requestClientApplication', entry.userAgent],
    ['cs1Label', 'organizationId'],
    ['cs1', entry.organizationId],
    ['cs2Label', 'target'],
    ['cs2', entry.target === null ? null : `${entry.target.type}:${entry.target.id}`],
    ['cs3Label', 'details'],
    ['cs3', canonicalJson(entry.details)],
    ['cs4Label', 'hash'],
    ['cs4', entry.hash],
    ['cs5Label', 'previousHash'],
    ['cs5', entry.previousHash],
    ['cn1Label', 'sequence'],
    ['cn1', entry.sequence],
  ];
  const pairs = extension
    .filter((pair): pair is [string, string | number] => pair[1] !== null)
    .map(([key, value]) => `${key}=${escapeCefExtension(String(value))}`);
  return `${header}|${pairs.join(' ')}\n`;
}

/** Escapes a CEF header field: `\` and `|`; line breaks (not allowed there) become spaces. */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (character) => `\\${character}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** Escapes a CEF extension value: `\`, `=`, and line breaks as `\n` / `\r`. */
export function escapeCefExtension(value: string): string {
  return value.replace(/[\\=\r\n]/g, (character) => {
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    return `\\${character}`;
  });
}

/** 0–10 per CEF: deletions and key or member changes weigh more than reads. */
function cefSeverity(action: string): number {
  if (/\.(delete|revoke|remove|purge)$/.test(action)) return 7;
  if (/^(api_key|member|integration|policy|user|session)\./.test(action)) return 5;
  return 3;
}
