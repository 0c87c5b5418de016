import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestPostgresDatabase,
  insertOrganizationWithProject,
  postgresReachable,
} from '../testing/harness.js';
import type { Database } from './database.js';
import { MIGRATIONS_DIRECTORY, migrate } from './migrate.js';
import { ensureEventPartitions } from './partitions.js';
import { openEmbeddedDatabase } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';

const hasPostgres = await postgresReachable();

/** A directory holding the migrations numbered below `version`. */
async function migrationsBefore(version: number): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'warden-migrations-'));
  for (const name of await readdir(MIGRATIONS_DIRECTORY)) {
    if (/^\d{4}_/.test(name) && Number(name.slice(0, 4)) < version) {
      await copyFile(path.join(MIGRATIONS_DIRECTORY, name), path.join(directory, name));
    }
  }
  return directory;
}

const DATABASES = [
  {
    name: 'embedded',
    skip: false,
    open: async () => ({ db: await openEmbeddedDatabase(undefined), drop: async () => {} }),
  },
  {
    name: 'PostgreSQL',
    skip: !hasPostgres,
    async open() {
      const database = await createTestPostgresDatabase();
      return { db: await openPostgresDatabase(database.url, 2), drop: () => database.drop() };
    },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A database of the kind, migrated up to just below `version`; closed and dropped after all. */
async function openMigratedBefore(
  open: () => Promise<{ db: Database; drop: () => Promise<void> }>,
  version: number,
): Promise<Database> {
  const { db, drop } = await open();
  cleanups.push(async () => {
    await db.close();
    await drop();
  });
  await migrate(db, await migrationsBefore(version));
  return db;
}

describe.each(DATABASES)('0200_event_failed_layers ($name)', ({ skip, open }) => {
  it.skipIf(skip)(
    'adds failed_layers to events already stored, in monthly partitions and DEFAULT',
    async () => {
      const db = await openMigratedBefore(open, 200);
      const now = new Date();
      await ensureEventPartitions(db, now);
      const { organizationId: org, projectId: project } = await insertOrganizationWithProject(db);
      // One event in this month's partition, one in DEFAULT (no partition for 2001).
      for (const occurredAt of [now, new Date('2001-01-01T00:00:00Z')]) {
        await db.query(
          `INSERT INTO events (org_id, id, occurred_at, project_id, agent, surface, decision,
                              policy_decision, risk, categories, rule_ids, layers, latency_ms,
                              policy_name, sdk_version)
           VALUES ($1, gen_random_uuid(), $2, $3, 'a', 'input', 'allow', 'allow', 0, '{}', '{}',
                   '{l1}', 1, 'default', '0.1.0')`,
          [org, occurredAt, project],
        );
      }
      expect(await migrate(db)).toContain(200);
      const rows = await db.query<{ partition: string; failed_layers: string[] }>(
        `SELECT tableoid::regclass::text AS partition, failed_layers FROM events ORDER BY occurred_at`,
      );
      expect(rows.rows.map((row) => row.failed_layers)).toEqual([[], []]);
      expect(rows.rows[0]!.partition).toBe('events_default');
      expect(rows.rows[1]!.partition).toMatch(/^events_\d{4}_\d{2}$/);
      // Partitions created after the migration have the column too.
      const later = new Date(Date.UTC(now.getUTCFullYear() + 2, 0, 15));
      expect((await ensureEventPartitions(db, later, 0, 0)).created).toHaveLength(1);
      const columns = await db.query<{ table_name: string }>(
        `SELECT table_name::text FROM information_schema.columns
          WHERE column_name = 'failed_layers' AND table_name::text LIKE 'events%'`,
      );
      const tables = await db.query<{ relname: string }>(
        `SELECT relname::text FROM pg_class WHERE relname::text ~ '^events(_default|_\\d{4}_\\d{2})?$'`,
      );
      expect(columns.rows.map((row) => row.table_name).sort()).toEqual(
        tables.rows.map((row) => row.relname).sort(),
      );
    },
  );
});

describe.each(DATABASES)('0220_events_failed_open_index ($name)', ({ skip, open }) => {
  it.skipIf(skip)(
    'indexes the events that failed open in every partition, DEFAULT and later ones included',
    async () => {
      const db = await openMigratedBefore(open, 220);
      const now = new Date();
      await ensureEventPartitions(db, now);
      expect(await migrate(db)).toEqual([220]);
      const later = new Date(Date.UTC(now.getUTCFullYear() + 2, 0, 15));
      expect((await ensureEventPartitions(db, later, 0, 0)).created).toHaveLength(1);
      const partitions = await db.query<{ name: string }>(
        `SELECT inhrelid::regclass::text AS name FROM pg_inherits
          WHERE inhparent = 'events'::regclass ORDER BY 1`,
      );
      const indexed = await db.query<{ name: string; partial: boolean }>(
        `SELECT index.indrelid::regclass::text AS name, index.indpred IS NOT NULL AS partial
           FROM pg_inherits JOIN pg_index index ON index.indexrelid = pg_inherits.inhrelid
          WHERE pg_inherits.inhparent = 'events_failed_open_idx'::regclass ORDER BY 1`,
      );
      expect(indexed.rows.map((row) => row.name)).toEqual(partitions.rows.map((row) => row.name));
      expect(partitions.rows.map((row) => row.name)).toContain('events_default');
      expect(indexed.rows.every((row) => row.partial)).toBe(true);
    },
  );
});
