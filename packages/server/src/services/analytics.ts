import type { Queryable } from '../db/database.js';
import { LATENCY_BOUNDS_MS } from './ingest.js';

/** Filters of the events list. */
export interface EventFilters {
  from: Date;
  to: Date;
  projectId?: string | undefined;
  agentId?: string | undefined;
  decision?: string | undefined;
  category?: string | undefined;
  ruleId?: string | undefined;
  /**
   * true: only events whose scan failed open (a layer failed and the policy did not block, or
   * the scanner's `policy.fail-open` rule matched: the alert rule's test); false: only others.
   */
  failedOpen?: boolean | undefined;
}

/** Where the previous page ended: the last event's time and id. */
export interface EventCursor {
  occurredAt: string;
  id: string;
}

/** Encodes a cursor as an opaque URL-safe string. */
export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(`${cursor.occurredAt}|${cursor.id}`).toString('base64url');
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(value: string): EventCursor | undefined {
  const [occurredAt, id, extra] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (occurredAt === undefined || id === undefined || extra !== undefined) return undefined;
  if (Number.isNaN(Date.parse(occurredAt))) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return { occurredAt, id };
}

const EVENT_COLUMNS = `id, occurred_at AS "timestamp", received_at AS "receivedAt", project_id AS "projectId",
  agent AS "agentId", surface, decision, policy_decision AS "policyDecision", risk, categories,
  rule_ids AS "ruleIds", matched_rule AS "matchedRule", layers, latency_ms AS "latencyMs",
  policy_name AS "policyName", policy_revision AS "policyRevision", tool_name AS "toolName",
  argument_hashes AS "argumentHashes", sdk_version AS "sdkVersion", failed_layers AS "failedLayers"`;

// Whether an event failed open: services/alerts-evaluate.ts's isFailOpen, in SQL. The partial
// index of migration 0220 has this predicate word for word (so the filter can use it): change both.
const FAILED_OPEN = `(matched_rule IS NOT DISTINCT FROM 'policy.fail-open'
  OR (cardinality(failed_layers) > 0 AND policy_decision <> 'block'))`;

/**
 * One page of events, newest first, inside an organisation transaction.
 * @example const page = await listEvents(tx, { from, to, decision: 'block' }, undefined, 50)
 */
export async function listEvents(
  tx: Queryable,
  filters: EventFilters,
  cursor: EventCursor | undefined,
  limit: number,
): Promise<{ events: Record<string, unknown>[]; nextCursor: string | null }> {
  const result = await tx.query<Record<string, unknown> & { id: string; timestamp: Date }>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE org_id = warden_current_org()
        AND occurred_at >= $1 AND occurred_at < $2
        AND ($3::uuid IS NULL OR project_id = $3)
        AND ($4::text IS NULL OR agent = $4)
        AND ($5::text IS NULL OR decision = $5)
        AND ($6::text IS NULL OR categories @> ARRAY[$6::text])
        AND ($7::text IS NULL OR rule_ids @> ARRAY[$7::text])
        AND ($8::timestamptz IS NULL OR (occurred_at, id) < ($8, $9::uuid))
        AND ($11::boolean IS NULL OR ${FAILED_OPEN} = $11)
      ORDER BY occurred_at DESC, id DESC
      LIMIT $10`,
    [
      filters.from,
      filters.to,
      filters.projectId ?? null,
      filters.agentId ?? null,
      filters.decision ?? null,
      filters.category ?? null,
      filters.ruleId ?? null,
      cursor?.occurredAt ?? null,
      cursor?.id ?? null,
      limit + 1,
      filters.failedOpen ?? null,
    ],
  );
  const events = result.rows.slice(0, limit);
  const last = events.at(-1);
  const nextCursor =
    result.rows.length > limit && last !== undefined
      ? encodeCursor({ occurredAt: new Date(last.timestamp).toISOString(), id: last.id })
      : null;
  return { events, nextCursor };
}

/** Rollup filters: a time range (hour-aligned) and optionally one project. */
export interface RollupFilters {
  from: Date;
  to: Date;
  projectId?: string | undefined;
}

/** Event counts per time bucket and decision, from the hourly rollups. */
export async function eventCountsOverTime(
  tx: Queryable,
  filters: RollupFilters,
  interval: 'hour' | 'day',
): Promise<{ bucket: string; total: number; byDecision: Record<string, number> }[]> {
  const result = await tx.query<{ bucket: Date; decision: string; events: string }>(
    `SELECT date_trunc($4, bucket, 'UTC') AS bucket, decision, sum(events)::bigint AS events
       FROM event_rollups
      WHERE org_id = warden_current_org() AND dimension = 'total' AND key = ''
        AND bucket >= date_trunc('hour', $1::timestamptz, 'UTC') AND bucket < $2
        AND ($3::uuid IS NULL OR project_id = $3)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [filters.from, filters.to, filters.projectId ?? null, interval],
  );
  const buckets = new Map<
    string,
    { bucket: string; total: number; byDecision: Record<string, number> }
  >();
  for (const row of result.rows) {
    const key = new Date(row.bucket).toISOString();
    let entry = buckets.get(key);
    if (entry === undefined) {
      entry = { bucket: key, total: 0, byDecision: {} };
      buckets.set(key, entry);
    }
    const count = Number(row.events);
    entry.total += count;
    entry.byDecision[row.decision] = (entry.byDecision[row.decision] ?? 0) + count;
  }
  return [...buckets.values()];
}

/** The most frequent categories or rules, with how many of their events were blocked. */
export async function topKeys(
  tx: Queryable,
  filters: RollupFilters,
  dimension: 'category' | 'rule' | 'surface',
  limit: number,
): Promise<{ key: string; events: number; blocked: number }[]> {
  const result = await tx.query<{ key: string; events: string; blocked: string }>(
    `SELECT key, sum(events)::bigint AS events,
            coalesce(sum(events) FILTER (WHERE decision = 'block'), 0)::bigint AS blocked
       FROM event_rollups
      WHERE org_id = warden_current_org() AND dimension = $4
        AND bucket >= date_trunc('hour', $1::timestamptz, 'UTC') AND bucket < $2
        AND ($3::uuid IS NULL OR project_id = $3)
      GROUP BY key ORDER BY 2 DESC, key LIMIT $5`,
    [filters.from, filters.to, filters.projectId ?? null, dimension, limit],
  );
  return result.rows.map((row) => ({
    key: row.key,
    events: Number(row.events),
    blocked: Number(row.blocked),
  }));
}

/**
 * Latency percentiles per deepest layer run (l1: rules only; l2: the local model ran; l3: the
 * judge ran), from the rollups' histogram: each percentile is the upper bound of its bucket.
 */
export async function latencyPercentiles(
  tx: Queryable,
  filters: RollupFilters,
): Promise<{ layer: string; events: number; p50: number; p90: number; p99: number }[]> {
  const result = await tx.query<{ key: string; events: string }>(
    `SELECT key, sum(events)::bigint AS events FROM event_rollups
      WHERE org_id = warden_current_org() AND dimension = 'latency'
        AND bucket >= date_trunc('hour', $1::timestamptz, 'UTC') AND bucket < $2
        AND ($3::uuid IS NULL OR project_id = $3)
      GROUP BY key`,
    [filters.from, filters.to, filters.projectId ?? null],
  );
  const histograms = new Map<string, Map<number, number>>();
  for (const row of result.rows) {
    const [layer, bound] = row.key.split(':');
    if (layer === undefined || bound === undefined) continue;
    const histogram = histograms.get(layer) ?? new Map<number, number>();
    histogram.set(Number(bound), (histogram.get(Number(bound)) ?? 0) + Number(row.events));
    histograms.set(layer, histogram);
  }
  return [...histograms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([layer, histogram]) => {
      const total = [...histogram.values()].reduce((sum, count) => sum + count, 0);
      const percentile = (fraction: number): number => {
        const rank = Math.ceil(total * fraction);
        let seen = 0;
        for (const bound of LATENCY_BOUNDS_MS) {
          seen += histogram.get(bound) ?? 0;
          if (seen >= rank) return bound;
        }
        return LATENCY_BOUNDS_MS.at(-1)!;
      };
      return {
        layer,
        events: total,
        p50: percentile(0.5),
        p90: percentile(0.9),
        p99: percentile(0.99),
      };
    });
}
