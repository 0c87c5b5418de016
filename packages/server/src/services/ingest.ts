import type { IngestEventResult, IngestResponse, ScanEvent } from '@warden/protocol';
import { ScanEventSchema } from '@warden/protocol';
import type { Database, Queryable } from '../db/database.js';
import { withOrganization } from '../db/tenancy.js';
import type { RequestIssue } from '../errors.js';
import { compileAcceptor } from './ingest-validate.js';

// Most events are valid: a check compiled from the schema accepts them without zod's general
// machinery; anything else (and every rejection's wording) is zod's.
const acceptEvent = compileAcceptor(ScanEventSchema);

/** Upper bounds (ms) of the latency histogram kept in the rollups; percentiles report these. */
export const LATENCY_BOUNDS_MS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
  600_000,
] as const;

// An SDK's clock may run a little ahead; further than this is a bug or a forgery.
const MAX_CLOCK_SKEW_MILLISECONDS = 24 * 3_600_000;
const AGENT_SEEN_WRITE_MILLISECONDS = 60_000;

/** The latency histogram bucket an event falls in: `<deepest layer>:<upper bound>`. */
export function latencyKey(layers: readonly string[], latencyMs: number): string {
  const deepest = layers.length === 1 ? layers[0]! : ([...layers].sort().at(-1) ?? 'l1');
  let bound: number = LATENCY_BOUNDS_MS.at(-1)!;
  for (const upper of LATENCY_BOUNDS_MS) {
    if (latencyMs <= upper) {
      bound = upper;
      break;
    }
  }
  return `${deepest}:${bound}`;
}

function rejection(
  index: number,
  id: string | undefined,
  message: string,
  issues: RequestIssue[],
): IngestEventResult {
  return {
    index,
    ...(id === undefined ? {} : { id }),
    status: 'rejected',
    error: { code: 'WARDEN_EVENT_INVALID', message, issues },
  };
}

/** The project an ingest key writes to: events may name it by id or slug, or leave it out. */
export interface IngestTarget {
  organizationId: string;
  projectId: string;
  projectSlug: string | undefined;
}

// One statement (one round trip) per organisation and flush. The events travel as one array per
// column (`unnest`; array literals built here, see `ColumnArrays`), which PostgreSQL and PGlite
// both read faster than a JSON document of rows (bench/ingest-write.ts: ~20–30 % less database CPU
// per event). Duplicates are skipped; the answer is the number inserted and, only when some
// were duplicates, the ids inserted. The rollups, counted in JavaScript for every row sent, are
// added by the same statement when every row was inserted (the usual case); when some were
// duplicates they are left out here and the rollups of the rows actually inserted follow in
// UPSERT_ROLLUPS. Rollup rows come sorted, so concurrent writers lock them in one order.
const INSERT_EVENTS_AND_ROLLUPS = `
WITH inserted AS (
  INSERT INTO events (org_id, project_id, id, occurred_at, agent, surface, decision,
                      policy_decision, risk, categories, rule_ids, matched_rule, layers,
                      latency_ms, policy_name, policy_revision, tool_name, argument_hashes,
                      sdk_version, failed_layers)
  SELECT $1::uuid, p, i, t, a, s, d, pd, r, c::text[], ru::text[], m, l::text[], lat, pn, pr, tn,
         ah::jsonb, v, fl::text[]
    FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::float8[], $10::text[], $11::text[], $12::text[], $13::text[],
                $14::float8[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
                $20::text[])
      AS t(p, i, t, a, s, d, pd, r, c, ru, m, l, lat, pn, pr, tn, ah, v, fl)
  ON CONFLICT DO NOTHING
  RETURNING id
), rollups AS (
  INSERT INTO event_rollups (org_id, bucket, project_id, dimension, key, decision, events)
  SELECT $1::uuid, bucket, project_id, dimension, key, decision, events
    FROM unnest($22::timestamptz[], $23::uuid[], $24::text[], $25::text[], $26::text[],
                $27::int8[]) AS t(bucket, project_id, dimension, key, decision, events)
   WHERE (SELECT count(*) FROM inserted) = $21::int
  ON CONFLICT (org_id, bucket, project_id, dimension, key, decision)
  DO UPDATE SET events = event_rollups.events + excluded.events
)
SELECT count(*)::int AS inserted,
       CASE WHEN count(*) = $21::int THEN NULL ELSE array_agg(id::text) END AS ids
  FROM inserted`;

const UPSERT_ROLLUPS = `
INSERT INTO event_rollups (org_id, bucket, project_id, dimension, key, decision, events)
SELECT $1, bucket, project_id, dimension, key, decision, events
  FROM unnest($2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int8[])
    AS t(bucket, project_id, dimension, key, decision, events)
ON CONFLICT (org_id, bucket, project_id, dimension, key, decision)
  DO UPDATE SET events = event_rollups.events + excluded.events`;

const HOUR = 3_600_000;

/** The counts of one (hour, project, decision): per dimension, per key. */
interface DecisionCounts {
  total: number;
  surface: Map<string, number>;
  category: Map<string, number>;
  rule: Map<string, number>;
  latency: Map<string, number>;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function byTuple(a: readonly unknown[], b: readonly unknown[]): number {
  for (let index = 0; index < 5; index += 1) {
    const x = a[index] as string;
    const y = b[index] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Counts the rollup rows (hour, project, dimension, key, decision) of stored events, as the
 * columns of UPSERT_ROLLUPS, sorted by (hour, project, dimension, key, decision). Counted in
 * nested maps (short keys) rather than one map of joined keys: ~10 % of the server's CPU under
 * load went to building and hashing those.
 */
function rollupRows(stored: readonly { projectId: string; event: ScanEvent }[]): unknown[][] {
  const buckets = new Map<string, Map<string, Map<string, DecisionCounts>>>();
  // Events of a flush mostly share an hour, often a timestamp: parse and format each once.
  const hours = new Map<number, string>();
  let lastTimestamp: string | undefined;
  let bucket = '';
  for (const { projectId, event } of stored) {
    if (event.timestamp !== lastTimestamp) {
      lastTimestamp = event.timestamp;
      const hour = Math.floor(Date.parse(event.timestamp) / HOUR);
      const formatted = hours.get(hour);
      bucket = formatted ?? new Date(hour * HOUR).toISOString();
      if (formatted === undefined) hours.set(hour, bucket);
    }
    let projects = buckets.get(bucket);
    if (projects === undefined) {
      projects = new Map();
      buckets.set(bucket, projects);
    }
    let decisions = projects.get(projectId);
    if (decisions === undefined) {
      decisions = new Map();
      projects.set(projectId, decisions);
    }
    let counts = decisions.get(event.decision);
    if (counts === undefined) {
      counts = {
        total: 0,
        surface: new Map(),
        category: new Map(),
        rule: new Map(),
        latency: new Map(),
      };
      decisions.set(event.decision, counts);
    }
    counts.total += 1;
    bump(counts.surface, event.surface);
    for (const category of event.categories) bump(counts.category, category);
    for (const rule of event.ruleIds) bump(counts.rule, rule);
    bump(counts.latency, latencyKey(event.layers, event.latencyMs));
  }
  const rows: [string, string, string, string, string, number][] = [];
  for (const [bucket, projects] of buckets) {
    for (const [projectId, decisions] of projects) {
      for (const [decision, counts] of decisions) {
        rows.push([bucket, projectId, 'total', '', decision, counts.total]);
        for (const dimension of ['surface', 'category', 'rule', 'latency'] as const) {
          for (const [key, events] of counts[dimension]) {
            rows.push([bucket, projectId, dimension, key, decision, events]);
          }
        }
      }
    }
  }
  // One order for every writer, so concurrent flushes lock rollup rows in the same order.
  rows.sort(byTuple);
  const columns: unknown[][] = [[], [], [], [], [], []];
  for (const row of rows)
    for (let index = 0; index < 6; index += 1) columns[index]!.push(row[index]);
  return columns;
}

// An element of a PostgreSQL array literal: double-quoted, with `"` and `\\` escaped.
function element(value: string): string {
  return value.includes('"') || value.includes('\\')
    ? `"${value.replace(/["\\]/g, '\\$&')}"`
    : `"${value}"`;
}

/** The literal of a text array (`{"a","b"}`); `null` elements are NULL. */
function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) literal += ',';
    const value = values[index]!;
    literal += value === null ? 'NULL' : element(value);
  }
  return `${literal}}`;
}

/**
 * The events of a flush as one array literal per column (the parameters $2–$20 of
 * INSERT_EVENTS_AND_ROLLUPS), built as strings: cheaper than arrays of values that the driver
 * serialises element by element. Array-valued columns (categories, rule ids, layers, failed
 * layers) are arrays of array literals, cast per row in SQL.
 */
class ColumnArrays {
  readonly #columns: string[][] = Array.from({ length: 19 }, () => []);
  length = 0;

  add(projectId: string, event: ScanEvent): void {
    const c = this.#columns;
    c[0]!.push(element(projectId));
    c[1]!.push(element(event.id));
    c[2]!.push(element(event.timestamp));
    c[3]!.push(element(event.agentId));
    c[4]!.push(element(event.surface));
    c[5]!.push(element(event.decision));
    c[6]!.push(element(event.policyDecision));
    c[7]!.push(String(event.risk));
    c[8]!.push(element(arrayLiteral(event.categories)));
    c[9]!.push(element(arrayLiteral(event.ruleIds)));
    c[10]!.push(event.matchedRule === null ? 'NULL' : element(event.matchedRule));
    c[11]!.push(element(arrayLiteral(event.layers)));
    c[12]!.push(String(event.latencyMs));
    c[13]!.push(element(event.policy.name));
    c[14]!.push(event.policy.revision === undefined ? 'NULL' : element(event.policy.revision));
    c[15]!.push(event.toolName === undefined ? 'NULL' : element(event.toolName));
    c[16]!.push(
      event.argumentHashes === undefined ? 'NULL' : element(JSON.stringify(event.argumentHashes)),
    );
    c[17]!.push(element(event.sdkVersion));
    const failed = event.failedLayers;
    c[18]!.push(
      failed === undefined || failed.length === 0 ? '"{}"' : element(arrayLiteral(failed)),
    );
    this.length += 1;
  }

  parameters(): string[] {
    return this.#columns.map((column) => `{${column.join(',')}}`);
  }
}

/** A batch waiting to be written. */
interface PendingWrite {
  target: IngestTarget;
  events: readonly ScanEvent[];
  resolve(inserted: Set<string>): void;
  reject(error: unknown): void;
}

// A flush writes at most this many events in one statement (bounded memory and lock time).
const MAX_EVENTS_PER_FLUSH = 5000;

/**
 * Validates each event of a batch on its own, stores the valid ones (once per id: retries come
 * back as duplicates) with their rollups in one transaction scoped to the key's organisation,
 * and registers agents seen for the first time.
 */
export class EventIngestor {
  readonly #db: Database;
  readonly #agentsSeen = new Map<string, number>();
  readonly #queue: PendingWrite[] = [];
  readonly #concurrency: number;
  readonly #flushing = new Set<string>();
  #running = 0;

  /**
   * `concurrency`: writes in flight at once, at most one per organisation (default: 1 embedded,
   * 8 on PostgreSQL).
   */
  constructor(db: Database, concurrency = db.kind === 'embedded' ? 1 : 8) {
    this.#db = db;
    this.#concurrency = concurrency;
  }

  /**
   * Ingests `events` (already an array of at most the batch limit) for `target`; `stored` are
   * the events stored now (not duplicates), for the alert rules. Valid events may be the very
   * objects passed in (not copies): callers must not change them afterwards.
   */
  async ingest(
    target: IngestTarget,
    events: readonly unknown[],
    now = Date.now(),
  ): Promise<{ response: IngestResponse; stored: ScanEvent[] }> {
    const results: IngestEventResult[] = new Array(events.length);
    const valid: { index: number; event: ScanEvent }[] = [];
    const seen = new Set<string>();
    for (let index = 0; index < events.length; index += 1) {
      const raw = events[index];
      // Accepted by the compiled check, the event is zod's output already (zod returns an equal
      // copy of a valid event); otherwise zod decides and words the rejection.
      const parsed =
        acceptEvent?.(raw) === true
          ? { success: true as const, data: raw as ScanEvent }
          : ScanEventSchema.safeParse(raw);
      if (!parsed.success) {
        const rawId =
          typeof raw === 'object' &&
          raw !== null &&
          typeof (raw as { id?: unknown }).id === 'string'
            ? (raw as { id: string }).id.slice(0, 64)
            : undefined;
        const issues = parsed.error.issues.map((issue) => ({
          path: ['events', index, ...issue.path].map(String).join('.'),
          message: issue.message,
        }));
        results[index] = rejection(
          index,
          rawId,
          `Event ${index} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          issues,
        );
        continue;
      }
      const event = parsed.data;
      if (Date.parse(event.timestamp) > now + MAX_CLOCK_SKEW_MILLISECONDS) {
        results[index] = rejection(
          index,
          event.id,
          `Event ${index}: timestamp is more than 24 h in the future.`,
          [{ path: `events.${index}.timestamp`, message: 'more than 24 h in the future' }],
        );
        continue;
      }
      if (
        event.projectId !== undefined &&
        event.projectId !== target.projectId &&
        event.projectId !== target.projectSlug
      ) {
        results[index] = rejection(
          index,
          event.id,
          `Event ${index}: projectId does not match the API key's project; leave it out or use the key of that project.`,
          [{ path: `events.${index}.projectId`, message: "not the API key's project" }],
        );
        continue;
      }
      // UUIDs compare case-insensitively, as PostgreSQL compares them.
      const id = event.id.toLowerCase();
      if (seen.has(id)) {
        results[index] = { index, id: event.id, status: 'duplicate' };
        continue;
      }
      seen.add(id);
      valid.push({ index, event });
    }

    const inserted =
      valid.length === 0
        ? new Set<string>()
        : await this.#store(
            target,
            valid.map((v) => v.event),
            now,
          );
    const stored: ScanEvent[] = [];
    for (const { index, event } of valid) {
      const accepted = inserted.has(event.id.toLowerCase());
      if (accepted) stored.push(event);
      results[index] = { index, id: event.id, status: accepted ? 'accepted' : 'duplicate' };
    }
    let accepted = 0;
    let duplicates = 0;
    let rejected = 0;
    for (const result of results) {
      if (result.status === 'accepted') accepted += 1;
      else if (result.status === 'duplicate') duplicates += 1;
      else rejected += 1;
    }
    return { response: { accepted, duplicates, rejected, results }, stored };
  }

  /**
   * Queues a batch for writing. At most `concurrency` writes run at once (1 on the embedded
   * database, whose single connection would queue them anyway), and one per organisation;
   * batches that arrive meanwhile are written together, one transaction and one statement per
   * organisation, so the per-transaction cost (round trips, commit) is shared under load and
   * writers of one organisation never wait on each other's rollup row locks (bench: batch-100
   * throughput on PostgreSQL went from about 6–11k to 12–14k events/s over HTTP).
   */
  #store(target: IngestTarget, events: readonly ScanEvent[], now: number): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ target, events, resolve, reject });
      this.#pump(now);
    });
  }

  #pump(now: number): void {
    for (let start = 0; this.#running < this.#concurrency && start < this.#queue.length; ) {
      const first = this.#queue[start]!;
      const organizationId = first.target.organizationId;
      // One flush per organisation at a time: its batches all add to the same rollup rows (the
      // hour's totals), so two transactions of one organisation would wait on each other's row
      // locks until commit. Batches arriving meanwhile are written together by the next flush.
      if (this.#flushing.has(organizationId)) {
        start += 1;
        continue;
      }
      this.#queue.splice(start, 1);
      const group = [first];
      let size = first.events.length;
      for (let index = start; index < this.#queue.length && size < MAX_EVENTS_PER_FLUSH; ) {
        const next = this.#queue[index]!;
        if (next.target.organizationId === organizationId) {
          group.push(next);
          size += next.events.length;
          this.#queue.splice(index, 1);
        } else {
          index += 1;
        }
      }
      this.#running += 1;
      this.#flushing.add(organizationId);
      this.#flush(organizationId, group, now)
        .catch((error: unknown) => {
          for (const pending of group) pending.reject(error);
        })
        .finally(() => {
          this.#running -= 1;
          this.#flushing.delete(organizationId);
          this.#pump(Date.now());
        });
    }
  }

  async #flush(organizationId: string, group: readonly PendingWrite[], now: number): Promise<void> {
    // The first batch to carry an id wins it; the same id later in the flush is a duplicate.
    const owners = new Map<string, PendingWrite>();
    const columns = new ColumnArrays();
    const sent: { projectId: string; event: ScanEvent }[] = [];
    const agents = new Map<string, { projectId: string; name: string }>();
    for (const pending of group) {
      const projectId = pending.target.projectId;
      for (const event of pending.events) {
        // Ids compare as PostgreSQL compares UUIDs (it answers them in lower case).
        const id = event.id.toLowerCase();
        if (owners.has(id)) continue;
        owners.set(id, pending);
        sent.push({ projectId, event });
        columns.add(projectId, event);
        const agentKey = `${projectId}/${event.agentId}`;
        if (now - (this.#agentsSeen.get(agentKey) ?? 0) > AGENT_SEEN_WRITE_MILLISECONDS) {
          agents.set(agentKey, { projectId, name: event.agentId });
        }
      }
    }
    const newAgents = [...agents.entries()].sort(([a], [b]) => a.localeCompare(b));
    // Rollups of every row sent: right unless some turn out to be duplicates (see the SQL).
    const allRollups = rollupRows(sent);
    const eventColumns = columns.parameters();
    const ids = await withRetry(() =>
      withOrganization(this.#db, organizationId, async (tx) => {
        const result = await tx.query<{ inserted: number; ids: string[] | null }>(
          INSERT_EVENTS_AND_ROLLUPS,
          [organizationId, ...eventColumns, sent.length, ...allRollups],
        );
        const row = result.rows[0]!;
        // Every row inserted: the ids are those sent (the statement leaves them out).
        const inserted =
          Number(row.inserted) === sent.length ? undefined : new Set<string>(row.ids ?? []);
        if (inserted !== undefined && inserted.size > 0) {
          const insertedRows = sent.filter(({ event }) => inserted.has(event.id.toLowerCase()));
          await tx.query(UPSERT_ROLLUPS, [organizationId, ...rollupRows(insertedRows)]);
        }
        if (newAgents.length > 0) {
          await upsertAgents(
            tx,
            organizationId,
            newAgents.map(([, agent]) => agent),
          );
        }
        return inserted;
      }),
    );
    for (const [key] of newAgents) this.#agentsSeen.set(key, now);
    if (this.#agentsSeen.size > 100_000) this.#agentsSeen.clear();
    const inserted = new Map<PendingWrite, Set<string>>(
      group.map((pending) => [pending, new Set()]),
    );
    for (const [id, owner] of owners) {
      if (ids === undefined || ids.has(id)) inserted.get(owner)!.add(id);
    }
    for (const pending of group) pending.resolve(inserted.get(pending)!);
  }
}

async function upsertAgents(
  tx: Queryable,
  organizationId: string,
  agents: readonly { projectId: string; name: string }[],
): Promise<void> {
  await tx.query(
    `INSERT INTO agents (org_id, project_id, name, first_seen_at, last_seen_at)
     SELECT $1, project_id, name, now(), now()
       FROM unnest($2::uuid[], $3::text[]) AS t(project_id, name)
     ON CONFLICT (project_id, name) DO UPDATE
       SET last_seen_at = now(), first_seen_at = coalesce(agents.first_seen_at, now())`,
    [organizationId, agents.map((agent) => agent.projectId), agents.map((agent) => agent.name)],
  );
}

// Deadlocks and serialisation failures are transient: the transaction is retried whole.
async function withRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}
