import type { Database, Queryable } from '../db/database.js';
import type { AlertNotification } from './webhooks.js';

/** A claimed outbox row: one alert notification still to send to one webhook. */
export interface OutboxRow {
  id: string;
  organizationId: string;
  webhookId: string;
  alertId: string;
  notification: AlertNotification;
  /** Attempts made, the claimed one included. */
  attempts: number;
}

/**
 * Queues an alert's notification for each of `webhookIds` that still exists, in the caller's
 * transaction (the alert's own, organisation-scoped): the alert and its deliveries commit
 * together. Resolves to the ids of the rows queued.
 * @example const ids = await enqueueAlertDeliveries(tx, { organizationId, webhookIds, notification })
 */
export async function enqueueAlertDeliveries(
  tx: Queryable,
  input: { organizationId: string; webhookIds: readonly string[]; notification: AlertNotification },
): Promise<string[]> {
  if (input.webhookIds.length === 0) return [];
  // Only webhooks that still exist: a rule may name one deleted a moment ago.
  const result = await tx.query<{ id: string }>(
    `INSERT INTO webhook_outbox (org_id, webhook_id, alert_id, notification)
     SELECT $1, id, $3, $4::jsonb FROM webhooks WHERE id = ANY($2::uuid[])
     RETURNING id`,
    [
      input.organizationId,
      input.webhookIds,
      input.notification.alertId,
      JSON.stringify(input.notification),
    ],
  );
  return result.rows.map((row) => row.id);
}

/**
 * Claims due outbox rows across organisations (system work, as the schema owner): locks them
 * with `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers (replicas, workers) never take the
 * same row, counts the attempt and moves `next_attempt_at` `leaseMs` ahead, so no other
 * dispatcher takes the row while it is being sent; a crash mid-send leaves it due after the
 * lease. `id` claims one row only; `exclude` leaves out rows this process is already following.
 * @example const rows = await claimOutboxRows(db, { limit: 10, leaseMs: 40_000 })
 */
export async function claimOutboxRows(
  db: Database,
  options: { id?: string; exclude?: readonly string[]; limit: number; leaseMs: number },
): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const result = await tx.query<OutboxRow>(
      `WITH due AS (
         SELECT id FROM webhook_outbox
          WHERE next_attempt_at <= now() AND ($1::uuid IS NULL OR id = $1)
            AND NOT (id = ANY($2::uuid[]))
          ORDER BY next_attempt_at, id
          LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_outbox AS o
          SET attempts = o.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $4::double precision)
         FROM due WHERE o.id = due.id
       RETURNING o.id, o.org_id AS "organizationId", o.webhook_id AS "webhookId",
                 o.alert_id AS "alertId", o.notification, o.attempts`,
      [options.id ?? null, options.exclude ?? [], options.limit, options.leaseMs / 1000],
    );
    return result.rows.map((row) => ({
      ...row,
      notification:
        typeof row.notification === 'string'
          ? (JSON.parse(row.notification) as AlertNotification)
          : row.notification,
    }));
  });
}

/**
 * Milliseconds until an outbox row is due (0 when it is), or undefined when it is gone (sent,
 * given up, or its alert or webhook deleted).
 */
export async function outboxRowWaitMs(db: Database, id: string): Promise<number | undefined> {
  const result = await db.query<{ waitMs: number | string }>(
    `SELECT greatest(0, extract(epoch FROM next_attempt_at - clock_timestamp()) * 1000)::float8 AS "waitMs"
       FROM webhook_outbox WHERE id = $1`,
    [id],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : Number(row.waitMs);
}

/**
 * Settles a row after an attempt, in the caller's organisation-scoped transaction: deletes it
 * when `nextDelayMs` is null (sent, or given up), else makes it due again after the delay.
 */
export async function settleOutboxRow(
  tx: Queryable,
  id: string,
  nextDelayMs: number | null,
): Promise<void> {
  if (nextDelayMs === null) {
    await tx.query('DELETE FROM webhook_outbox WHERE id = $1', [id]);
    return;
  }
  await tx.query(
    `UPDATE webhook_outbox SET next_attempt_at = clock_timestamp() + make_interval(secs => $2::double precision)
      WHERE id = $1`,
    [id, nextDelayMs / 1000],
  );
}
