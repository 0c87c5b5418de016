import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { ensureEventPartitions } from '../db/partitions.js';
import { openEmbeddedDatabase } from '../db/pglite.js';
import { openPostgresDatabase } from '../db/postgres.js';
import {
  createTestPostgresDatabase,
  insertOrganizationWithProject,
  postgresReachable,
  scanEvent,
} from '../testing/harness.js';
import { EventIngestor, type IngestTarget } from './ingest.js';

const event = scanEvent;

const hasPostgres = await postgresReachable();

const DATABASES = [
  {
    name: 'embedded',
    skip: false,
    async open() {
      return { db: await openEmbeddedDatabase(undefined), drop: async () => {} };
    },
  },
  {
    // server.integration.test.ts reports (or, in CI, fails on) a missing PostgreSQL.
    name: 'PostgreSQL',
    skip: !hasPostgres,
    async open() {
      const database = await createTestPostgresDatabase();
      return { db: await openPostgresDatabase(database.url, 4), drop: () => database.drop() };
    },
  },
];

describe.each(DATABASES)('EventIngestor ($name)', ({ skip, open }) => {
  let db: Database;
  let drop: () => Promise<void>;
  let target: IngestTarget;

  beforeAll(async () => {
    if (skip) return;
    ({ db, drop } = await open());
    await migrate(db);
    await ensureEventPartitions(db);
    target = { ...(await insertOrganizationWithProject(db)), projectSlug: 'p' };
  });
  afterAll(async () => {
    if (skip) return;
    await db.close();
    await drop();
  });

  async function totals(): Promise<{ events: number; rollup: number }> {
    const events = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE org_id = $1',
      [target.organizationId],
    );
    const rollup = await db.query<{ n: number }>(
      `SELECT coalesce(sum(events), 0)::int AS n FROM event_rollups
        WHERE org_id = $1 AND dimension = 'total'`,
      [target.organizationId],
    );
    return { events: events.rows[0]!.n, rollup: rollup.rows[0]!.n };
  }

  it.skipIf(skip)('compares ids as UUIDs: another case of a stored id is a duplicate', async () => {
    const ingestor = new EventIngestor(db);
    const before = await totals();
    const id = randomUUID().toUpperCase();
    const upper = event({ id });
    const first = await ingestor.ingest(target, [upper, { ...upper, id: id.toLowerCase() }]);
    expect(first.response.results.map((result) => result.status)).toEqual([
      'accepted',
      'duplicate',
    ]);
    expect(first.stored).toHaveLength(1);
    const retry = await ingestor.ingest(target, [{ ...upper, id: id.toLowerCase() }]);
    expect(retry.response).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await totals()).toEqual({ events: before.events + 1, rollup: before.rollup + 1 });
  });

  it.skipIf(skip)(
    'answers each batch of a shared flush, and counts rollups only for rows inserted',
    async () => {
      const ingestor = new EventIngestor(db);
      const before = await totals();
      const stored = event();
      await ingestor.ingest(target, [stored]);
      const shared = event();
      // Concurrent batches queue behind one flush and are written together.
      const answers = await Promise.all([
        ingestor.ingest(target, [event(), shared, stored]),
        ingestor.ingest(target, [shared, event()]),
        ingestor.ingest(target, [stored]),
        ingestor.ingest(target, [event({ argumentHashes: { 'a"b\\c': 'f'.repeat(64) } })]),
      ]);
      const statuses = answers.map(({ response }) => response.results.map((r) => r.status));
      expect(statuses[0]).toEqual(['accepted', 'accepted', 'duplicate']);
      expect(statuses[1]).toEqual(['duplicate', 'accepted']);
      expect(statuses[2]).toEqual(['duplicate']);
      expect(statuses[3]).toEqual(['rejected']);
      expect(answers.map(({ stored }) => stored.length)).toEqual([2, 1, 0, 0]);
      // 1 + 3 new events; the rollups count exactly the rows inserted.
      expect(await totals()).toEqual({ events: before.events + 4, rollup: before.rollup + 4 });
    },
  );

  it.skipIf(skip)('stores every column as sent, quoting included', async () => {
    const ingestor = new EventIngestor(db);
    const sent = event({
      timestamp: '2026-11-26T03:04:05.678+02:00',
      categories: [],
      ruleIds: ['a.b', 'c-d'],
      matchedRule: null,
      layers: ['l1', 'l3'],
      latencyMs: 1e-7,
      risk: 0,
      projectId: 'p',
      policy: { name: 'NULL' },
      agentId: 'NULL',
      toolName: 'shell:exec',
      argumentHashes: { 'args[0]': 'e'.repeat(64) },
      failedLayers: ['l3', 'l2'],
    });
    const { response } = await ingestor.ingest(target, [sent]);
    expect(response.accepted).toBe(1);
    const row = (
      await db.query<Record<string, unknown>>(
        `SELECT occurred_at, agent, categories, rule_ids, matched_rule, layers, latency_ms, risk,
                policy_name, policy_revision, tool_name, argument_hashes, failed_layers
           FROM events WHERE id = $1`,
        [sent.id],
      )
    ).rows[0]!;
    expect(row).toEqual({
      occurred_at: new Date('2026-11-26T01:04:05.678Z'),
      agent: 'NULL',
      categories: [],
      rule_ids: ['a.b', 'c-d'],
      matched_rule: null,
      layers: ['l1', 'l3'],
      latency_ms: 1e-7,
      risk: 0,
      policy_name: 'NULL',
      policy_revision: null,
      tool_name: 'shell:exec',
      argument_hashes: { 'args[0]': 'e'.repeat(64) },
      failed_layers: ['l3', 'l2'],
    });
  });

  it.skipIf(skip)('stores failed layers absent or empty as an empty array', async () => {
    const ingestor = new EventIngestor(db);
    const absent = event();
    const empty = event({ failedLayers: [] });
    const one = event({ failedLayers: ['l1'] });
    expect((await ingestor.ingest(target, [absent, empty, one])).response.accepted).toBe(3);
    const rows = await db.query<{ id: string; failed_layers: string[] }>(
      'SELECT id, failed_layers FROM events WHERE id = ANY($1::uuid[])',
      [[absent.id, empty.id, one.id]],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row.failed_layers]));
    expect([
      byId.get(absent.id as string),
      byId.get(empty.id as string),
      byId.get(one.id as string),
    ]).toEqual([[], [], ['l1']]);
  });

  it.skipIf(skip)(
    'counts each dimension of the rollups per hour, project and decision',
    async () => {
      const ingestor = new EventIngestor(db);
      const projectId = (
        await db.query<{ id: string }>(
          `INSERT INTO projects (org_id, name, slug) VALUES ($1, 'r', 'r') RETURNING id`,
          [target.organizationId],
        )
      ).rows[0]!.id;
      const other = { ...target, projectId, projectSlug: 'r' };
      const hour = '2026-11-26T01:00:00.000Z';
      const { response } = await ingestor.ingest(
        other,
        [
          event({ timestamp: '2026-11-26T01:10:00Z', categories: ['secret', 'pii'], ruleIds: [] }),
          event({ timestamp: '2026-11-26T03:59:59.999+02:00', latencyMs: 3, layers: ['l2', 'l1'] }),
          event({ timestamp: '2026-11-26T01:20:00Z', decision: 'allow', surface: 'output' }),
        ],
        Date.parse('2026-11-26T02:00:00Z'),
      );
      expect(response.accepted).toBe(3);
      const rows = await db.query<Record<string, unknown>>(
        `SELECT bucket, dimension, key, decision, events::int AS events FROM event_rollups
        WHERE project_id = $1 ORDER BY dimension, key, decision`,
        [projectId],
      );
      const at = new Date(hour);
      expect(rows.rows).toEqual([
        { bucket: at, dimension: 'category', key: 'pii', decision: 'block', events: 1 },
        {
          bucket: at,
          dimension: 'category',
          key: 'prompt_injection',
          decision: 'allow',
          events: 1,
        },
        {
          bucket: at,
          dimension: 'category',
          key: 'prompt_injection',
          decision: 'block',
          events: 1,
        },
        { bucket: at, dimension: 'category', key: 'secret', decision: 'block', events: 1 },
        { bucket: at, dimension: 'latency', key: 'l1:0.5', decision: 'allow', events: 1 },
        { bucket: at, dimension: 'latency', key: 'l1:0.5', decision: 'block', events: 1 },
        { bucket: at, dimension: 'latency', key: 'l2:5', decision: 'block', events: 1 },
        {
          bucket: at,
          dimension: 'rule',
          key: 'injection.ignore-previous',
          decision: 'allow',
          events: 1,
        },
        {
          bucket: at,
          dimension: 'rule',
          key: 'injection.ignore-previous',
          decision: 'block',
          events: 1,
        },
        { bucket: at, dimension: 'surface', key: 'input', decision: 'block', events: 2 },
        { bucket: at, dimension: 'surface', key: 'output', decision: 'allow', events: 1 },
        { bucket: at, dimension: 'total', key: '', decision: 'allow', events: 1 },
        { bucket: at, dimension: 'total', key: '', decision: 'block', events: 2 },
      ]);
    },
  );
});
