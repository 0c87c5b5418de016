import { randomUUID } from 'node:crypto';
import { canonicalJson } from '@warden/protocol';
import {
  AUDIT_GENESIS_HASH,
  type AuditActor,
  type AuditEntry,
  hashAuditEntry,
} from '../crypto/audit-chain.js';
import type { Queryable } from '../db/database.js';

export type { AuditActor, AuditEntry } from '../crypto/audit-chain.js';

/** What a caller records; the chain fields (id, sequence, hashes, time) are filled in here. */
export interface AuditInput {
  organizationId: string;
  /** `{ userId }` / `{ apiKeyId }` as `actorOf(c)` gives it, or an explicit actor (e.g. system). */
  actor: AuditActor | { userId: string } | { apiKeyId: string };
  /** noun.verb: `api_key.create`, `member.role_change`, `policy.publish`… */
  action: string;
  target?: { type: string; id: string } | null;
  /** What changed, as metadata: names, ids, scopes, old and new roles; never secrets. */
  details?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

// Key space of the per-organisation advisory lock that serialises appends (arbitrary, fixed).
const AUDIT_LOCK_CLASS = 7_366_100;
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Appends one entry to the organisation's audit chain, inside the caller's organisation
 * transaction (so the entry commits or rolls back with the change it records). Concurrent
 * appends for one organisation are serialised by an advisory lock held to the end of the
 * transaction, so the chain never forks.
 * @example await withOrganization(db, orgId, async (tx) => { await createApiKey(tx, …); await recordAudit(tx, { organizationId: orgId, actor: { type: 'user', id: userId }, action: 'api_key.create', target: { type: 'api_key', id } }) })
 */
export async function recordAudit(transaction: Queryable, input: AuditInput): Promise<AuditEntry> {
  if (!ACTION.test(input.action)) {
    throw new Error(`recordAudit: action "${input.action}" is not noun.verb (lower case)`);
  }
  await transaction.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    AUDIT_LOCK_CLASS,
    input.organizationId,
  ]);
  const last = await transaction.query<{ sequence: string | number | bigint; hash: string }>(
    'SELECT sequence, hash FROM audit_log WHERE org_id = $1 ORDER BY sequence DESC LIMIT 1',
    [input.organizationId],
  );
  const previous = last.rows[0];
  // Details pass through canonical JSON once, so what is hashed is what jsonb gives back.
  const details = JSON.parse(canonicalJson(input.details ?? {})) as Record<string, unknown>;
  const content: Omit<AuditEntry, 'hash'> = {
    id: randomUUID(),
    organizationId: input.organizationId,
    sequence: previous === undefined ? 1 : Number(previous.sequence) + 1,
    occurredAt: new Date().toISOString(),
    actor: normalizeActor(input.actor),
    action: input.action,
    target: input.target ? { type: input.target.type, id: input.target.id } : null,
    details,
    ip: truncate(input.ip ?? null, 100),
    userAgent: truncate(input.userAgent ?? null, 500),
    previousHash: previous === undefined ? AUDIT_GENESIS_HASH : previous.hash,
  };
  const entry: AuditEntry = { ...content, hash: hashAuditEntry(content) };
  await transaction.query(
    `INSERT INTO audit_log (org_id, sequence, id, occurred_at, actor_type, actor_id, action,
       target_type, target_id, details, ip, user_agent, previous_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      entry.organizationId,
      entry.sequence,
      entry.id,
      entry.occurredAt,
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.target?.type ?? null,
      entry.target?.id ?? null,
      JSON.stringify(entry.details),
      entry.ip,
      entry.userAgent,
      entry.previousHash,
      entry.hash,
    ],
  );
  return entry;
}

function normalizeActor(actor: AuditInput['actor']): AuditActor {
  if ('userId' in actor) return { type: 'user', id: actor.userId };
  if ('apiKeyId' in actor) return { type: 'api_key', id: actor.apiKeyId };
  return { type: actor.type, id: actor.id };
}

function truncate(value: string | null, length: number): string | null {
  return value === null ? null : value.slice(0, length);
}

/** A stored audit row as the database returns it. */
export interface AuditRow {
  org_id: string;
  sequence: string | number | bigint;
  id: string;
  occurred_at: Date | string;
  actor_type: AuditActor['type'];
  actor_id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown> | string;
  ip: string | null;
  user_agent: string | null;
  previous_hash: string;
  hash: string;
}

const COLUMNS = `org_id, sequence, id, occurred_at, actor_type, actor_id, action, target_type,
  target_id, details, ip, user_agent, previous_hash, hash`;

/** Converts a stored row back to the entry that was hashed. */
export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    organizationId: row.org_id,
    sequence: Number(row.sequence),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    target:
      row.target_type === null || row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
    ip: row.ip,
    userAgent: row.user_agent,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** Filters of the audit listing and export. */
export interface AuditQuery {
  /** Only entries with a sequence above this (cursor). */
  afterSequence?: number;
  from?: Date;
  to?: Date;
  action?: string;
  limit?: number;
}

/**
 * Lists an organisation's entries in chain order, from the transaction's organisation only.
 * @example const page = await listAuditEntries(tx, orgId, { afterSequence: 0, limit: 100 })
 */
export async function listAuditEntries(
  transaction: Queryable,
  organizationId: string,
  query: AuditQuery = {},
): Promise<AuditEntry[]> {
  const conditions = ['org_id = $1', 'sequence > $2'];
  const parameters: unknown[] = [organizationId, query.afterSequence ?? 0];
  if (query.from !== undefined) {
    parameters.push(query.from.toISOString());
    conditions.push(`occurred_at >= $${parameters.length}`);
  }
  if (query.to !== undefined) {
    parameters.push(query.to.toISOString());
    conditions.push(`occurred_at < $${parameters.length}`);
  }
  if (query.action !== undefined) {
    parameters.push(query.action);
    conditions.push(`action = $${parameters.length}`);
  }
  parameters.push(Math.min(Math.max(query.limit ?? 100, 1), 10_000));
  const result = await transaction.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log WHERE ${conditions.join(' AND ')}
     ORDER BY sequence LIMIT $${parameters.length}`,
    parameters,
  );
  return result.rows.map(auditEntryFromRow);
}

/**
 * Every entry matching `query`, in chain order, fetched page by page.
 * @example for await (const entry of iterateAuditEntries(tx, orgId)) out.write(auditEntryToJsonLine(entry))
 */
export async function* iterateAuditEntries(
  transaction: Queryable,
  organizationId: string,
  query: Omit<AuditQuery, 'limit'> = {},
  pageSize = 1000,
): AsyncGenerator<AuditEntry> {
  let afterSequence = query.afterSequence ?? 0;
  for (;;) {
    const page = await listAuditEntries(transaction, organizationId, {
      ...query,
      afterSequence,
      limit: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    afterSequence = page[page.length - 1]!.sequence;
  }
}
