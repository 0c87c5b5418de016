import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AuditChainVerification,
  type AuditEntry,
  verifyAuditChain,
} from '../crypto/audit-chain.js';
import type { Database } from '../db/database.js';
import { openEmbeddedDatabase } from '../db/pglite.js';
import { openPostgresDatabase } from '../db/postgres.js';
import { type AuditRow, auditEntryFromRow } from './audit.js';

export type { AuditChainVerification, AuditEntry } from '../crypto/audit-chain.js';
export {
  auditEntryToCef,
  auditEntryToJsonLine,
  hashAuditEntry,
  verifyAuditChain,
} from '../crypto/audit-chain.js';
export { recordAudit } from './audit.js';

/** A line of an export that is not an audit entry. */
export class AuditExportFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'AuditExportFormatError';
  }
}

const ENTRY_FIELDS = [
  'id',
  'organizationId',
  'sequence',
  'occurredAt',
  'actor',
  'action',
  'target',
  'details',
  'ip',
  'userAgent',
  'previousHash',
  'hash',
];

/**
 * Parses the JSON lines of an audit export (`GET /v1/orgs/:orgId/audit/export`) into entries;
 * blank lines are skipped, anything else malformed throws AuditExportFormatError with its line.
 * @example const result = await verifyAuditChain(parseAuditExport(readline.createInterface({ input })))
 */
export async function* parseAuditExport(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<AuditEntry> {
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new AuditExportFormatError(number, `not JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AuditExportFormatError(number, 'expected an audit entry object');
    }
    const missing = ENTRY_FIELDS.filter((field) => !(field in value));
    if (missing.length > 0)
      throw new AuditExportFormatError(number, `missing ${missing.join(', ')}`);
    const entry = value as AuditEntry;
    if (
      !Number.isInteger(entry.sequence) ||
      typeof entry.hash !== 'string' ||
      typeof entry.organizationId !== 'string'
    ) {
      throw new AuditExportFormatError(
        number,
        'sequence, hash or organizationId has the wrong type',
      );
    }
    yield entry;
  }
}

/**
 * Verifies the audit chains stored in a database (every organisation, or one), reading as the
 * schema owner so nothing is hidden; results per organisation.
 * @example const results = await verifyStoredAuditLog(db)
 */
export async function verifyStoredAuditLog(
  db: Database,
  options: { organizationId?: string; pageSize?: number } = {},
): Promise<{ organizationId: string; result: AuditChainVerification }[]> {
  const organizations =
    options.organizationId === undefined
      ? (
          await db.query<{ org_id: string }>(
            'SELECT DISTINCT org_id FROM audit_log ORDER BY org_id',
          )
        ).rows.map((row) => row.org_id)
      : [options.organizationId];
  const pageSize = options.pageSize ?? 1000;
  const results: { organizationId: string; result: AuditChainVerification }[] = [];
  for (const organizationId of organizations) {
    async function* entries(): AsyncGenerator<AuditEntry> {
      let after = 0;
      for (;;) {
        const page = await db.query<AuditRow>(
          `SELECT org_id, sequence, id, occurred_at, actor_type, actor_id, action, target_type, target_id,
                  details, ip, user_agent, previous_hash, hash
             FROM audit_log WHERE org_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
          [organizationId, after, pageSize],
        );
        for (const row of page.rows) yield auditEntryFromRow(row);
        if (page.rows.length < pageSize) return;
        after = Number(page.rows[page.rows.length - 1]!.sequence);
      }
    }
    // A stored chain must start at 1: entries removed from its head show as a first sequence above 1.
    const result = await verifyAuditChain(entries(), { requireGenesis: true });
    results.push({ organizationId, result });
  }
  return results;
}

/**
 * Opens a server's database read-side for verification, without migrating it: PostgreSQL at
 * `databaseUrl`, or the embedded database in `<dataDir>/db` (stop that server first: the
 * embedded database takes one process at a time).
 * @example const db = await openAuditDatabase({ dataDir: '.warden' })
 */
export async function openAuditDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
}): Promise<Database> {
  if (options.databaseUrl !== undefined) return openPostgresDatabase(options.databaseUrl, 1);
  if (options.dataDir === undefined) throw new Error('give a database URL or a data directory');
  const directory = join(options.dataDir, 'db');
  try {
    await access(join(directory, 'PG_VERSION'));
  } catch {
    throw new Error(`${directory} holds no Warden database`);
  }
  return openEmbeddedDatabase(directory);
}
