import type { Database } from './database.js';

const PARTITION_LOCK = 7_366_002;

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

/**
 * Creates the monthly partitions of `events` from `monthsBack` months ago to `monthsAhead`
 * months ahead (idempotent, safe with several replicas). A month whose rows already landed in
 * the DEFAULT partition is left there and reported in the result.
 * @example await ensureEventPartitions(db)
 */
export async function ensureEventPartitions(
  db: Database,
  now = new Date(),
  monthsBack = 1,
  monthsAhead = 2,
): Promise<{ created: string[]; skipped: string[] }> {
  const created: string[] = [];
  const skipped: string[] = [];
  for (let offset = -monthsBack; offset <= monthsAhead; offset += 1) {
    const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + offset);
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const name = `events_${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
    try {
      const made = await db.transaction(async (transaction) => {
        await transaction.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
        const exists = await transaction.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
        if (exists.rows.length > 0) return false;
        await transaction.exec(
          `CREATE TABLE ${name} PARTITION OF events FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
        );
        return true;
      });
      if (made) created.push(name);
    } catch {
      // Rows for this month already sit in events_default; they stay there (still queried).
      skipped.push(name);
    }
  }
  return { created, skipped };
}

// The upper bound of a range partition, from pg_get_expr's `FOR VALUES FROM ('…') TO ('…')`
// (printed with its offset, so it casts back exactly); DEFAULT and MAXVALUE have none.
const PARTITION_UPPER_BOUND = "TO \\('([^']+)'\\)";
const PARTITIONS_ENDING_BY = `
  SELECT partition.oid::regclass::text AS name
    FROM pg_inherits
    JOIN pg_class partition ON partition.oid = pg_inherits.inhrelid
   WHERE pg_inherits.inhparent = 'events'::regclass
     AND substring(pg_get_expr(partition.relpartbound, partition.oid) FROM $2)::timestamptz <= $1`;
// What PostgreSQL answers when lock_timeout expires, or when it breaks a deadlock.
const LOCK_NOT_GRANTED = new Set(['55P03', '40P01']);
// DROP waits for every statement on `events` to finish, and statements arriving meanwhile queue
// behind it: a short bound keeps ingestion flowing on a busy table (the next round retries).
const DROP_LOCK_TIMEOUT_MS = 2_000;

/** A partition of `events` that `dropEventPartitionsBefore` dropped. */
export interface DroppedPartition {
  name: string;
  /** The rows it held, per organisation id. */
  rows: Map<string, number>;
}

/**
 * Drops the partitions of `events` whose whole range ends at or before `before`, never DEFAULT
 * (nor one without an upper bound). Each is counted and dropped in a transaction of its own under
 * the partition lock, so replicas running it at once drop each exactly once; one whose table lock
 * is not granted within `lockTimeoutMs` (a busy table) is left for the next round as `busy`.
 * @example const { dropped } = await dropEventPartitionsBefore(db, new Date('2024-01-01T00:00:00Z'))
 */
export async function dropEventPartitionsBefore(
  db: Database,
  before: Date,
  options: { lockTimeoutMs?: number } = {},
): Promise<{ dropped: DroppedPartition[]; busy: string[] }> {
  const dropped: DroppedPartition[] = [];
  const busy: string[] = [];
  const candidates = await db.query<{ name: string }>(`${PARTITIONS_ENDING_BY} ORDER BY 1`, [
    before.toISOString(),
    PARTITION_UPPER_BOUND,
  ]);
  for (const { name } of candidates.rows) {
    try {
      const rows = await db.transaction(async (transaction) => {
        await transaction.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
        // Checked again under the lock: another replica may have dropped it meanwhile.
        const still = await transaction.query(
          `${PARTITIONS_ENDING_BY} AND partition.oid = to_regclass($3)`,
          [before.toISOString(), PARTITION_UPPER_BOUND, name],
        );
        if (still.rows.length === 0) return undefined;
        const counts = await transaction.query<{ org_id: string; n: string }>(
          `SELECT org_id, count(*) AS n FROM ${name} GROUP BY org_id`,
        );
        await transaction.query(`SELECT set_config('lock_timeout', $1, true)`, [
          `${options.lockTimeoutMs ?? DROP_LOCK_TIMEOUT_MS}ms`,
        ]);
        await transaction.exec(`DROP TABLE ${name}`);
        return new Map(counts.rows.map((row) => [row.org_id, Number(row.n)]));
      });
      if (rows !== undefined) dropped.push({ name, rows });
    } catch (error) {
      if (!LOCK_NOT_GRANTED.has((error as { code?: string }).code ?? '')) throw error;
      busy.push(name);
    }
  }
  return { dropped, busy };
}
