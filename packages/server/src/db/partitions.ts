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
