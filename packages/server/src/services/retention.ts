import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { dropEventPartitionsBefore } from '../db/partitions.js';
import { enterOrganization } from '../db/tenancy.js';
import { recordAudit } from './audit.js';

/** Retention in days per plan; an organisation's `retention_days` is one of these. */
export const RETENTION_DAYS = [30, 90, 180, 365] as const;

const LEASE = 'retention';
const DAY = 86_400_000;
// No plan keeps an event older than this, so a partition ending before it holds nothing kept.
const LONGEST_RETENTION_DAYS = Math.max(...RETENTION_DAYS);
// Rows deleted per statement: small enough to keep each transaction short on a busy table.
const BATCH_SIZE = 5_000;

/** What one purge did. */
export interface PurgeResult {
  /** False when another replica holds the lease (it is purging, or purged within the interval). */
  ran: boolean;
  organizations: number;
  events: number;
  rollups: number;
  alerts: number;
  deliveries: number;
  /** Monthly partitions of `events` dropped whole, and those left for the next round (busy). */
  partitions: { dropped: string[]; busy: string[] };
}

/**
 * Deletes what is older than each organisation's retention: events, hourly rollups, alerts
 * and webhook delivery logs (the audit log is kept: it is append-only and its chain must stay
 * whole). Monthly partitions of `events` that end before the longest plan's cutoff are dropped
 * whole first (their rows count in each organisation's `events`); the rest goes row by row.
 * Safe with several replicas: a lease row in `job_leases`, taken with one conditional upsert,
 * lets one replica run per interval; the others return `ran: false`.
 * @example const result = await purgeExpiredData(db, { intervalMs: 3_600_000 })
 */
export async function purgeExpiredData(
  db: Database,
  options: { intervalMs: number; now?: Date; holder?: string; batchSize?: number },
): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const holder = options.holder ?? randomUUID();
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const leased = await db.query<{ holder: string }>(
    `INSERT INTO job_leases (name, holder, expires_at, last_started_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                                      last_started_at = excluded.last_started_at
       WHERE job_leases.expires_at <= $4
     RETURNING holder`,
    // Half an interval: every replica's timer finds the lease free again by its next round.
    [
      LEASE,
      holder,
      new Date(now.getTime() + options.intervalMs / 2).toISOString(),
      now.toISOString(),
    ],
  );
  const result: PurgeResult = {
    ran: false,
    organizations: 0,
    events: 0,
    rollups: 0,
    alerts: 0,
    deliveries: 0,
    partitions: { dropped: [], busy: [] },
  };
  if (leased.rows[0]?.holder !== holder) return result;
  result.ran = true;
  // Whole partitions first: a drop is cheap where deleting a month of rows is not.
  const partitions = await dropEventPartitionsBefore(
    db,
    new Date(now.getTime() - LONGEST_RETENTION_DAYS * DAY),
  );
  result.partitions = {
    dropped: partitions.dropped.map((partition) => partition.name),
    busy: partitions.busy,
  };
  // System path: the job spans organisations, so it runs as the schema owner.
  const organizations = await db.query<{ id: string; retention_days: number }>(
    'SELECT id, retention_days FROM organizations ORDER BY id',
  );
  for (const organization of organizations.rows) {
    const cutoff = new Date(now.getTime() - organization.retention_days * DAY).toISOString();
    const counts = { events: 0, rollups: 0, alerts: 0, deliveries: 0 };
    for (const partition of partitions.dropped)
      counts.events += partition.rows.get(organization.id) ?? 0;
    for (;;) {
      const deleted = await db.query(
        `DELETE FROM events WHERE org_id = $1 AND (occurred_at, id) IN (
           SELECT occurred_at, id FROM events WHERE org_id = $1 AND occurred_at < $2 LIMIT $3)`,
        [organization.id, cutoff, batchSize],
      );
      counts.events += deleted.rowCount;
      if (deleted.rowCount < batchSize) break;
    }
    // An hourly bucket goes once all of its hour is past the cutoff.
    counts.rollups = (
      await db.query(
        `DELETE FROM event_rollups WHERE org_id = $1 AND bucket + interval '1 hour' <= $2`,
        [organization.id, cutoff],
      )
    ).rowCount;
    counts.deliveries = (
      await db.query('DELETE FROM webhook_deliveries WHERE org_id = $1 AND started_at < $2', [
        organization.id,
        cutoff,
      ])
    ).rowCount;
    counts.alerts = (
      await db.query('DELETE FROM alerts WHERE org_id = $1 AND triggered_at < $2', [
        organization.id,
        cutoff,
      ])
    ).rowCount;
    const total = counts.events + counts.rollups + counts.alerts + counts.deliveries;
    if (total > 0) {
      result.organizations += 1;
      await db.transaction(async (tx) => {
        await enterOrganization(tx, organization.id);
        await recordAudit(tx, {
          organizationId: organization.id,
          actor: { type: 'system', id: 'retention' },
          action: 'retention.purge',
          details: { retentionDays: organization.retention_days, before: cutoff, deleted: counts },
        });
      });
    }
    result.events += counts.events;
    result.rollups += counts.rollups;
    result.alerts += counts.alerts;
    result.deliveries += counts.deliveries;
  }
  await db.query('UPDATE job_leases SET last_result = $2 WHERE name = $1 AND holder = $3', [
    LEASE,
    JSON.stringify(result),
    holder,
  ]);
  return result;
}

/**
 * Runs the purge every `intervalMs` (first run after `initialDelayMs`) until stopped; errors
 * are logged and the next round tries again.
 * @example const stop = startRetentionJob({ db, logger, intervalMs: 3_600_000 }); await stop()
 */
export function startRetentionJob(options: {
  db: Database;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs: number;
  initialDelayMs?: number;
}): () => Promise<void> {
  const holder = randomUUID();
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = purgeExpiredData(options.db, { intervalMs: options.intervalMs, holder })
      .then((result) => {
        if (result.ran) options.logger.info({ retention: result }, 'retention purge');
      })
      .catch((error: unknown) => options.logger.error({ err: error }, 'retention purge failed'));
  };
  const first = setTimeout(run, options.initialDelayMs ?? 30_000);
  const timer = setInterval(run, options.intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
