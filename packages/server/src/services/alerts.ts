import type { ScanEvent } from '@warden/protocol';
import type { Logger } from 'pino';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database, Queryable } from '../db/database.js';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import {
  type AlertCondition,
  AlertConditionSchema,
  evaluateAlertRule,
  eventMatches,
} from './alerts-evaluate.js';
import { loadWebhookTarget } from './integrations.js';
import {
  claimOutboxRows,
  enqueueAlertDeliveries,
  type OutboxRow,
  outboxRowWaitMs,
  settleOutboxRow,
} from './webhook-outbox.js';
import { INTERNAL_ADDRESS_REFUSED } from './webhook-transport.js';
import {
  type AlertNotification,
  attemptWebhook,
  type DeliveryAttempt,
  deliverWebhook,
  notificationBody,
  resolvesToPublicAddresses,
} from './webhooks.js';

/** An alert rule as the API shows it. */
export interface AlertRuleRow {
  id: string;
  name: string;
  condition: AlertCondition;
  cooldownMinutes: number;
  webhookIds: string[];
  enabled: boolean;
  lastTriggeredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A fired alert. */
export interface AlertRow {
  id: string;
  ruleId: string;
  triggeredAt: Date;
  summary: string;
  eventCount: number;
  eventIds: string[];
  categories: string[];
  agentIds: string[];
  status: 'open' | 'acknowledged' | 'resolved';
}

const RULE_COLUMNS = `id, name, condition, cooldown_minutes AS "cooldownMinutes", webhook_ids AS "webhookIds",
  enabled, last_triggered_at AS "lastTriggeredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;
const RULE_CACHE_MILLISECONDS = 5_000;
const ALERT_COLUMNS = `id, rule_id AS "ruleId", triggered_at AS "triggeredAt", summary, event_count AS "eventCount",
  event_ids AS "eventIds", categories, agent_ids AS "agentIds", status`;

/** What creating or changing a rule takes. */
export interface AlertRuleInput {
  name: string;
  condition: AlertCondition;
  cooldownMinutes: number;
  webhookIds: string[];
  enabled: boolean;
}

async function assertWebhooks(tx: Queryable, webhookIds: readonly string[]): Promise<void> {
  if (webhookIds.length === 0) return;
  const found = await tx.query<{ id: string }>(
    'SELECT id FROM webhooks WHERE id = ANY($1::uuid[])',
    [webhookIds],
  );
  const known = new Set(found.rows.map((row) => row.id));
  const missing = webhookIds.findIndex((id) => !known.has(id));
  if (missing >= 0) {
    throw errors.invalid(`body.webhookIds.${missing}: no such webhook in this organisation`, [
      { path: `body.webhookIds.${missing}`, message: 'no such webhook in this organisation' },
    ]);
  }
}

/** Creates a rule after checking its webhooks belong to the organisation. */
export async function createAlertRule(
  tx: Queryable,
  input: AlertRuleInput & { organizationId: string; createdBy: string | null },
): Promise<AlertRuleRow> {
  await assertWebhooks(tx, input.webhookIds);
  const result = await tx.query<AlertRuleRow>(
    `INSERT INTO alert_rules (org_id, name, condition, cooldown_minutes, webhook_ids, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7) RETURNING ${RULE_COLUMNS}`,
    [
      input.organizationId,
      input.name,
      JSON.stringify(input.condition),
      input.cooldownMinutes,
      input.webhookIds,
      input.enabled,
      input.createdBy,
    ],
  );
  return result.rows[0]!;
}

/** Changes the given fields of a rule; 404 when there is none. */
export async function updateAlertRule(
  tx: Queryable,
  ruleId: string,
  changes: Partial<AlertRuleInput>,
): Promise<AlertRuleRow> {
  await getAlertRule(tx, ruleId);
  if (changes.webhookIds !== undefined) await assertWebhooks(tx, changes.webhookIds);
  const result = await tx.query<AlertRuleRow>(
    `UPDATE alert_rules SET name = coalesce($2, name), condition = coalesce($3::jsonb, condition),
            cooldown_minutes = coalesce($4, cooldown_minutes), webhook_ids = coalesce($5::uuid[], webhook_ids),
            enabled = coalesce($6, enabled), updated_at = now()
      WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
    [
      ruleId,
      changes.name ?? null,
      changes.condition === undefined ? null : JSON.stringify(changes.condition),
      changes.cooldownMinutes ?? null,
      changes.webhookIds ?? null,
      changes.enabled ?? null,
    ],
  );
  return result.rows[0]!;
}

/** One rule, or 404. */
export async function getAlertRule(tx: Queryable, ruleId: string): Promise<AlertRuleRow> {
  const result = await tx.query<AlertRuleRow>(
    `SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1`,
    [ruleId],
  );
  const row = result.rows[0];
  if (row === undefined) throw errors.notFound('Alert rule');
  return row;
}

/** The organisation's rules. */
export async function listAlertRules(tx: Queryable): Promise<AlertRuleRow[]> {
  return (
    await tx.query<AlertRuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules ORDER BY created_at, id`)
  ).rows;
}

/** Deletes a rule (its alerts go with it); 404 when there is none. */
export async function deleteAlertRule(tx: Queryable, ruleId: string): Promise<AlertRuleRow> {
  const rule = await getAlertRule(tx, ruleId);
  await tx.query('DELETE FROM alert_rules WHERE id = $1', [ruleId]);
  return rule;
}

/** Fired alerts, newest first, optionally of one status. */
export async function listAlerts(
  tx: Queryable,
  query: { status?: AlertRow['status'] | undefined; limit: number; before?: Date | undefined },
): Promise<AlertRow[]> {
  const result = await tx.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts
      WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR triggered_at < $2)
      ORDER BY triggered_at DESC, id LIMIT $3`,
    [query.status ?? null, query.before?.toISOString() ?? null, query.limit],
  );
  return result.rows;
}

/** Acknowledges or resolves an alert; 404 when there is none. */
export async function setAlertStatus(
  tx: Queryable,
  alertId: string,
  status: AlertRow['status'],
): Promise<AlertRow> {
  const result = await tx.query<AlertRow>(
    `UPDATE alerts SET status = $2 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [alertId, status],
  );
  const row = result.rows[0];
  if (row === undefined) throw errors.notFound('Alert');
  return row;
}

/** Options of the alert engine. */
export interface AlertEngineOptions {
  db: Database;
  secretBox: SecretBox;
  logger: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** Allow webhook targets on internal addresses and plain http (WARDEN_WEBHOOK_ALLOW_INTERNAL). */
  allowInternalWebhooks: boolean;
  /** Delivery tuning (tests shorten the backoff). */
  delivery?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    timeoutMs?: number;
    /** How often the outbox dispatcher looks for due deliveries, in ms. Default 5 000. */
    pollIntervalMs?: number;
  };
}

const OUTBOX_BATCH = 10;
// A claimed row stays out of other dispatchers' reach for the attempt's timeout and this margin.
const OUTBOX_LEASE_MARGIN_MS = 30_000;

/**
 * Evaluates alert rules as events arrive and notifies webhooks. `onEventsIngested` returns at
 * once (ingestion acknowledges without waiting); `idle()` resolves when the queued work is done.
 * Several replicas may evaluate the same organisation: the cooldown is claimed with one
 * conditional UPDATE, so a burst fires one alert across all of them.
 */
export class AlertEngine {
  readonly #options: AlertEngineOptions;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #rules = new Map<string, { rules: AlertRuleRow[]; fetchedAt: number }>();
  readonly #shutdown = new AbortController();
  /** Outbox rows this process fired and follows to the end (the poll leaves them out). */
  readonly #following = new Set<string>();
  #polling: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AlertEngineOptions) {
    this.#options = options;
  }

  /**
   * The ingestion hook: events newly stored for a project of an organisation (duplicates left out).
   * @example engine.onEventsIngested(key.organizationId, key.projectId, stored)
   */
  onEventsIngested(organizationId: string, projectId: string, events: readonly ScanEvent[]): void {
    if (this.#shutdown.signal.aborted || events.length === 0) return;
    this.#track(
      this.evaluate(organizationId, projectId, events).catch((error: unknown) => {
        this.#options.logger.error({ err: error, organizationId }, 'alert evaluation failed');
      }),
    );
  }

  /** Forgets the cached rules of an organisation (after they change on this replica). */
  invalidate(organizationId: string): void {
    this.#rules.delete(organizationId);
  }

  /** Evaluates every enabled rule over `events`; resolves to the alerts fired (deliveries continue). */
  async evaluate(
    organizationId: string,
    projectId: string,
    events: readonly ScanEvent[],
  ): Promise<AlertRow[]> {
    const now = new Date();
    const rules = await this.#rulesFor(organizationId);
    // Most organisations have no rule: their batches cost no copy and no transaction.
    if (rules.length === 0) return [];
    // The key's project is the event's project, whatever the event said (slug or nothing).
    const scoped = events.map((event) => ({ ...event, projectId }));
    // Most batches match no rule: those cost no transaction at all.
    const candidates = rules.flatMap((rule) => {
      const parsed = AlertConditionSchema.safeParse(rule.condition);
      if (!parsed.success) return [];
      const inCooldown =
        rule.lastTriggeredAt !== null &&
        now.getTime() - new Date(rule.lastTriggeredAt).getTime() < rule.cooldownMinutes * 60_000;
      if (inCooldown || !scoped.some((event) => eventMatches(parsed.data, event))) return [];
      return [{ rule, condition: parsed.data }];
    });
    if (candidates.length === 0) return [];
    const fired = await withOrganization(this.#options.db, organizationId, async (tx) => {
      const alerts: { alert: AlertRow; outboxIds: string[] }[] = [];
      for (const { rule, condition } of candidates) {
        const verdict = await evaluateAlertRule(condition, scoped, {
          now,
          lastTriggeredAt: rule.lastTriggeredAt,
          cooldownMinutes: rule.cooldownMinutes,
          ...(condition.kind === 'event_threshold'
            ? { countInWindow: (since: Date) => countMatching(tx, condition, since) }
            : {}),
        });
        if (!verdict.fire) continue;
        // Claims the cooldown: only one evaluation (on any replica) wins it.
        const claimed = await tx.query(
          `UPDATE alert_rules SET last_triggered_at = $2
            WHERE id = $1 AND enabled AND (last_triggered_at IS NULL OR last_triggered_at <= $2::timestamptz - make_interval(mins => cooldown_minutes))
            RETURNING id`,
          [rule.id, now.toISOString()],
        );
        // Won or lost, the rule is now in its cooldown (or gone): the cache learns it.
        rule.lastTriggeredAt = now;
        if (claimed.rows.length === 0) continue;
        const inserted = await tx.query<AlertRow>(
          `INSERT INTO alerts (org_id, rule_id, triggered_at, summary, event_count, event_ids, categories, agent_ids)
           VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8) RETURNING ${ALERT_COLUMNS}`,
          [
            organizationId,
            rule.id,
            now.toISOString(),
            verdict.summary,
            verdict.eventCount,
            verdict.matched.slice(0, 20).map((event) => event.id),
            [...new Set(verdict.matched.flatMap((event) => event.categories))].sort(),
            [...new Set(verdict.matched.map((event) => event.agentId))].sort().slice(0, 50),
          ],
        );
        const alert = inserted.rows[0]!;
        // The deliveries commit with the alert: a crash after this loses neither.
        const outboxIds = await enqueueAlertDeliveries(tx, {
          organizationId,
          webhookIds: rule.webhookIds,
          notification: toNotification(organizationId, alert, rule),
        });
        alerts.push({ alert, outboxIds });
      }
      return alerts;
    });
    // Sent at once by this process; the dispatcher (any replica, after a restart too) takes
    // over whatever this process does not finish.
    for (const { outboxIds } of fired) {
      for (const id of outboxIds) this.#track(this.#follow(id));
    }
    return fired.map(({ alert }) => alert);
  }

  // Rules change rarely and events arrive often: a few seconds of staleness (other replicas'
  // edits) is the price of not reading them per batch.
  async #rulesFor(organizationId: string): Promise<AlertRuleRow[]> {
    const cached = this.#rules.get(organizationId);
    if (cached !== undefined && Date.now() - cached.fetchedAt < RULE_CACHE_MILLISECONDS) {
      return cached.rules;
    }
    const rules = await withOrganization(this.#options.db, organizationId, async (tx) => {
      return (await tx.query<AlertRuleRow>(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled`))
        .rows;
    });
    if (this.#rules.size > 10_000) this.#rules.clear();
    this.#rules.set(organizationId, { rules, fetchedAt: Date.now() });
    return rules;
  }

  /**
   * Delivers one notification to one webhook, logging every attempt; never throws.
   * @example await engine.notify(orgId, webhookId, notification)
   */
  async notify(
    organizationId: string,
    webhookId: string,
    notification: AlertNotification | null,
  ): Promise<DeliveryAttempt[]> {
    const { db, secretBox, logger } = this.#options;
    try {
      const target = await withOrganization(db, organizationId, (tx) =>
        loadWebhookTarget(tx, secretBox, { organizationId, webhookId }),
      );
      if (target === undefined) return [];
      const alertId = notification?.alertId ?? null;
      const log = (attempt: DeliveryAttempt) =>
        withOrganization(db, organizationId, (tx) =>
          logDelivery(tx, organizationId, webhookId, alertId, attempt),
        );
      if (
        !this.#options.allowInternalWebhooks &&
        !(await resolvesToPublicAddresses(new URL(target.url).hostname))
      ) {
        const refused = refusedAttempt(1);
        await log(refused);
        return [refused];
      }
      const payload = notification ?? testNotification(organizationId);
      const { pollIntervalMs: _pollIntervalMs, ...tuning } = this.#options.delivery ?? {};
      return await deliverWebhook({
        url: target.url,
        secret: target.secret,
        body: notificationBody(payload, target.format),
        ...tuning,
        // Checked again at connection time (DNS rebinding) unless internal targets are allowed.
        allowInternal: this.#options.allowInternalWebhooks,
        signal: this.#shutdown.signal,
        onAttempt: async (attempt) => {
          await log(attempt).catch((error: unknown) =>
            logger.warn({ err: error }, 'could not log a webhook delivery'),
          );
        },
      });
    } catch (error) {
      logger.error({ err: error, organizationId, webhookId }, 'webhook delivery failed');
      return [];
    }
  }

  /**
   * Starts the outbox dispatcher: looks for due deliveries now and every `pollIntervalMs` (the
   * timer does not keep the process alive). The returned function stops the timer; `close()`
   * also does.
   * @example const stop = engine.startDispatcher()
   */
  startDispatcher(): () => void {
    if (this.#timer !== undefined || this.#shutdown.signal.aborted) return () => this.#stopTimer();
    const kick = () => {
      if (this.#polling === undefined && !this.#shutdown.signal.aborted) {
        this.#track(this.dispatchDue());
      }
    };
    this.#timer = setInterval(kick, this.#options.delivery?.pollIntervalMs ?? 5_000);
    this.#timer.unref();
    kick();
    return () => this.#stopTimer();
  }

  /**
   * Sends the outbox rows due now, a batch at a time, until none is left or the engine closes;
   * resolves to the number of attempts made. Rows this process follows already are left out;
   * rows another dispatcher holds are skipped (FOR UPDATE SKIP LOCKED, then a lease).
   * @example await engine.dispatchDue()
   */
  dispatchDue(): Promise<number> {
    if (this.#polling !== undefined) return this.#polling;
    const run = (async () => {
      let attempts = 0;
      try {
        while (!this.#shutdown.signal.aborted) {
          const rows = await claimOutboxRows(this.#options.db, {
            exclude: [...this.#following],
            limit: OUTBOX_BATCH,
            leaseMs: this.#leaseMs(),
          });
          for (const row of rows) await this.#send(row);
          attempts += rows.length;
          if (rows.length < OUTBOX_BATCH) break;
        }
      } catch (error) {
        this.#options.logger.error({ err: error }, 'webhook outbox dispatch failed');
      } finally {
        this.#polling = undefined;
      }
      return attempts;
    })();
    this.#polling = run;
    return run;
  }

  /** Resolves when every queued evaluation and delivery has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * Stops taking new work and the dispatcher, and waits for the attempts under way; pending
   * retries stay in the outbox for the next start (or another replica).
   */
  async close(): Promise<void> {
    this.#stopTimer();
    this.#shutdown.abort();
    await this.idle();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #leaseMs(): number {
    return (this.#options.delivery?.timeoutMs ?? 10_000) + OUTBOX_LEASE_MARGIN_MS;
  }

  // Follows a row this process queued: each attempt as soon as it is due, until the row is gone
  // or the engine closes. When another dispatcher holds the row, waits and looks again.
  async #follow(id: string): Promise<void> {
    const { db, logger } = this.#options;
    this.#following.add(id);
    try {
      while (!this.#shutdown.signal.aborted) {
        const [row] = await claimOutboxRows(db, { id, limit: 1, leaseMs: this.#leaseMs() });
        if (row !== undefined) await this.#send(row);
        if (this.#shutdown.signal.aborted) return;
        const waitMs = await outboxRowWaitMs(db, id);
        if (waitMs === undefined) return;
        // Due again at once (a zero jitter), or held elsewhere: look again shortly.
        await this.#sleep(Math.min(5_000, Math.max(waitMs + 5, row === undefined ? 50 : 0)));
      }
    } catch (error) {
      logger.error({ err: error, outboxId: id }, 'webhook outbox delivery failed');
    } finally {
      this.#following.delete(id);
    }
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#shutdown.signal;
    return new Promise<void>((done) => {
      if (signal.aborted) return done();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        done();
      }
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  // One attempt at a claimed row: SSRF check, POST, then the delivery log and the row's fate
  // (deleted, or due after the backoff) in one organisation-scoped transaction.
  async #send(row: OutboxRow): Promise<void> {
    const { db, secretBox, logger } = this.#options;
    const { organizationId, webhookId } = row;
    const maxAttempts = this.#options.delivery?.maxAttempts ?? 5;
    try {
      if (row.attempts > maxAttempts) {
        // Attempts were claimed but never settled (crashes mid-send): give up like the last one.
        await withOrganization(db, organizationId, (tx) => settleOutboxRow(tx, row.id, null));
        logger.warn(
          { organizationId, webhookId, alertId: row.alertId },
          'webhook delivery given up',
        );
        return;
      }
      const target = await withOrganization(db, organizationId, (tx) =>
        loadWebhookTarget(tx, secretBox, { organizationId, webhookId }),
      );
      if (target === undefined) {
        // Disabled (a deleted webhook takes its rows with it): nothing to send.
        await withOrganization(db, organizationId, (tx) => settleOutboxRow(tx, row.id, null));
        return;
      }
      let attempt: DeliveryAttempt;
      if (
        !this.#options.allowInternalWebhooks &&
        !(await resolvesToPublicAddresses(new URL(target.url).hostname))
      ) {
        attempt = refusedAttempt(row.attempts);
      } else {
        const { pollIntervalMs: _pollIntervalMs, ...tuning } = this.#options.delivery ?? {};
        attempt = await attemptWebhook({
          url: target.url,
          secret: target.secret,
          body: notificationBody(row.notification, target.format),
          ...tuning,
          allowInternal: this.#options.allowInternalWebhooks,
          attempt: row.attempts,
        });
      }
      try {
        await withOrganization(db, organizationId, async (tx) => {
          await logDelivery(tx, organizationId, webhookId, row.alertId, attempt);
          await settleOutboxRow(tx, row.id, attempt.nextDelayMs);
        });
      } catch (error) {
        // The log is not worth a second send: settle the row on its own.
        logger.warn({ err: error }, 'could not log a webhook delivery');
        await withOrganization(db, organizationId, (tx) =>
          settleOutboxRow(tx, row.id, attempt.nextDelayMs),
        );
      }
    } catch (error) {
      // The row stays claimed until its lease runs out, then another attempt takes it.
      logger.error({ err: error, organizationId, webhookId }, 'webhook delivery failed');
    }
  }

  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }
}

/** Records one attempt in the delivery log (the organisation's transaction). */
async function logDelivery(
  tx: Queryable,
  organizationId: string,
  webhookId: string,
  alertId: string | null,
  attempt: DeliveryAttempt,
): Promise<void> {
  await tx.query(
    `INSERT INTO webhook_deliveries (org_id, webhook_id, alert_id, attempt, started_at, duration_ms, status, ok, error, next_delay_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      organizationId,
      webhookId,
      alertId,
      attempt.attempt,
      attempt.startedAt,
      Math.round(attempt.durationMs),
      attempt.status,
      attempt.ok,
      attempt.error,
      attempt.nextDelayMs,
    ],
  );
}

/** The final attempt recorded when the target resolves to an internal address. */
function refusedAttempt(attempt: number): DeliveryAttempt {
  return {
    attempt,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    status: null,
    ok: false,
    error: INTERNAL_ADDRESS_REFUSED,
    nextDelayMs: null,
  };
}

async function countMatching(
  tx: Queryable,
  condition: Extract<AlertCondition, { kind: 'event_threshold' }>,
  since: Date,
): Promise<number> {
  const result = await tx.query<{ count: string | number }>(
    `SELECT count(*) AS count FROM events
      WHERE occurred_at >= $1 AND decision = $2 AND $3 = ANY(categories)
        AND ($4::uuid IS NULL OR project_id = $4) AND ($5::text IS NULL OR agent = $5)`,
    [
      since.toISOString(),
      condition.decision,
      condition.category,
      condition.filter?.projectId ?? null,
      condition.filter?.agentId ?? null,
    ],
  );
  return Number(result.rows[0]?.count ?? 0);
}

function toNotification(
  organizationId: string,
  alert: AlertRow,
  rule: AlertRuleRow,
): AlertNotification {
  return {
    type: 'alert.triggered',
    alertId: alert.id,
    organizationId,
    rule: { id: rule.id, name: rule.name, kind: rule.condition.kind },
    triggeredAt: new Date(alert.triggeredAt).toISOString(),
    summary: alert.summary,
    eventCount: alert.eventCount,
    eventIds: alert.eventIds,
    categories: alert.categories,
    agentIds: alert.agentIds,
  };
}

function testNotification(organizationId: string): AlertNotification {
  return {
    type: 'alert.triggered',
    alertId: '00000000-0000-0000-0000-000000000000',
    organizationId,
    rule: { id: '00000000-0000-0000-0000-000000000000', name: 'Test notification', kind: 'test' },
    triggeredAt: new Date().toISOString(),
    summary: 'This is a test notification from Warden; no events triggered it.',
    eventCount: 0,
    eventIds: [],
    categories: [],
    agentIds: [],
  };
}
