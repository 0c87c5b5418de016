import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { dropEventPartitionsBefore, ensureEventPartitions } from '../db/partitions.js';
import { insertOrganizationWithProject } from '../testing/harness.js';
import { purgeExpiredData } from './retention.js';

const DAY = 86_400_000;

function monthsFrom(date: Date, offset: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

function partitionName(month: Date): string {
  return `events_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** What a retention suite runs against: a migrated database of its own. */
export interface RetentionDatabase {
  db: Database;
  /** For a second connection (PostgreSQL only). */
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/**
 * Retention's partition drops against one database: run on the embedded database and on
 * PostgreSQL. `separateConnections`: the database takes a second connection (PostgreSQL).
 */
export function describeRetention(
  name: string,
  open: () => Promise<RetentionDatabase>,
  options: { enabled?: boolean; separateConnections?: boolean } = {},
): void {
  (options.enabled === false ? describe.skip : describe)(name, () => {
    let database: RetentionDatabase;
    let db: Database;
    // The longest plan's cutoff on a month boundary (13 to 14 months back), so that one
    // partition ends exactly there; the job runs at that cutoff plus 365 days.
    const cutoff = monthsFrom(new Date(), -14);
    const now = new Date(cutoff.getTime() + 365 * DAY);

    beforeAll(async () => {
      database = await open();
      db = database.db;
    });
    afterAll(async () => {
      await database?.db.close();
      await database?.cleanup();
    });

    async function organization(retentionDays: number) {
      const { organizationId, projectId } = await insertOrganizationWithProject(db, {
        name: 'retention',
        retentionDays,
      });
      return { id: organizationId, project: projectId };
    }

    /** Stores an event; resolves to the partition it landed in. */
    async function insertEvent(
      owner: { id: string; project: string },
      occurredAt: Date,
    ): Promise<string> {
      const id = (
        await db.query<{ id: string }>(
          `INSERT INTO events (org_id, id, occurred_at, project_id, agent, surface, decision,
                              policy_decision, risk, categories, rule_ids, layers, latency_ms,
                              policy_name, sdk_version)
           VALUES ($1, gen_random_uuid(), $2, $3, 'a', 'input', 'allow', 'allow', 0, '{}', '{}',
                   '{l1}', 1, 'default', '0.1.0')
           RETURNING id`,
          [owner.id, occurredAt.toISOString(), owner.project],
        )
      ).rows[0]!.id;
      return (
        await db.query<{ partition: string }>(
          'SELECT tableoid::regclass::text AS partition FROM events WHERE id = $1',
          [id],
        )
      ).rows[0]!.partition;
    }

    const exists = async (table: string) =>
      (await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table]))
        .rows[0]!.found;
    const countEvents = async (organizationId: string) =>
      Number(
        (
          await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE org_id = $1', [
            organizationId,
          ])
        ).rows[0]!.n,
      );

    it('drops the partitions that end by the longest plan cutoff, never DEFAULT nor one holding rows a plan keeps', async () => {
      await ensureEventPartitions(db, cutoff, 3, 1);
      const expired = [-3, -2, -1].map((offset) => partitionName(monthsFrom(cutoff, offset)));
      const yearly = await organization(365);
      const monthly = await organization(30);
      // The partition before the cutoff ends exactly there: its last instant goes with it.
      expect(await insertEvent(yearly, new Date(cutoff.getTime() - 1))).toBe(expired[2]);
      expect(await insertEvent(yearly, new Date(cutoff.getTime() - 40 * DAY))).toBe(expired[1]);
      expect(await insertEvent(monthly, new Date(cutoff.getTime() - 40 * DAY))).toBe(expired[1]);
      // The cutoff's own month holds a row the yearly plan keeps and one the monthly plan does not.
      expect(await insertEvent(yearly, cutoff)).toBe(partitionName(cutoff));
      expect(await insertEvent(monthly, new Date(cutoff.getTime() + 10 * DAY))).toBe(
        partitionName(cutoff),
      );
      // Older than every partition: DEFAULT, purged row by row.
      expect(await insertEvent(yearly, new Date('2001-01-01T00:00:00Z'))).toBe('events_default');

      const result = await purgeExpiredData(db, { intervalMs: 3_600_000, now });
      expect(result.ran).toBe(true);
      expect(result.partitions).toEqual({ dropped: expired, busy: [] });
      for (const table of expired) expect(await exists(table)).toBe(false);
      expect(await exists('events_default')).toBe(true);
      expect(await exists(partitionName(cutoff))).toBe(true);
      expect(await countEvents(yearly.id)).toBe(1);
      expect(await countEvents(monthly.id)).toBe(0);
      // Rows of dropped partitions count as deleted, per organisation, in the audit log too.
      expect(result.events).toBe(5);
      const audit = await db.query<{ org_id: string; details: { deleted: { events: number } } }>(
        `SELECT org_id, details FROM audit_log WHERE action = 'retention.purge'`,
      );
      expect(
        Object.fromEntries(audit.rows.map((row) => [row.org_id, row.details.deleted.events])),
      ).toEqual({ [yearly.id]: 3, [monthly.id]: 2 });
      // A late event of a dropped month is still stored: in DEFAULT, for the row purge.
      expect(await insertEvent(yearly, new Date(cutoff.getTime() - 1))).toBe('events_default');
    });

    it('drops each partition once when replicas run it at once', async () => {
      const months = [-8, -7, -6].map((offset) => monthsFrom(cutoff, offset));
      await ensureEventPartitions(db, months[1]!, 1, 1);
      const yearly = await organization(365);
      expect(await insertEvent(yearly, new Date(months[0]!.getTime() + DAY))).toBe(
        partitionName(months[0]!),
      );
      const runs = await Promise.all(
        Array.from({ length: 3 }, () => dropEventPartitionsBefore(db, cutoff)),
      );
      const dropped = runs.flatMap((run) => run.dropped);
      expect(dropped.map((partition) => partition.name).sort()).toEqual(months.map(partitionName));
      expect(
        dropped.reduce((sum, partition) => sum + (partition.rows.get(yearly.id) ?? 0), 0),
      ).toBe(1);
      expect(runs.flatMap((run) => run.busy)).toEqual([]);
      expect(await exists('events_default')).toBe(true);
    });

    it.skipIf(options.separateConnections !== true)(
      'leaves a partition whose lock is not granted in time for the next round',
      async () => {
        const month = monthsFrom(cutoff, -10);
        await ensureEventPartitions(db, month, 0, 0);
        // A long read on another connection holds its lock on events until it ends.
        const reader = new pg.Client({ connectionString: database.databaseUrl });
        await reader.connect();
        try {
          await reader.query('BEGIN');
          await reader.query('SELECT count(*) FROM events');
          const blocked = await dropEventPartitionsBefore(db, cutoff, { lockTimeoutMs: 100 });
          expect(blocked).toEqual({ dropped: [], busy: [partitionName(month)] });
          expect(await exists(partitionName(month))).toBe(true);
        } finally {
          await reader.query('ROLLBACK');
          await reader.end();
        }
        const freed = await dropEventPartitionsBefore(db, cutoff);
        expect(freed.dropped.map((partition) => partition.name)).toEqual([partitionName(month)]);
      },
    );
  });
}
