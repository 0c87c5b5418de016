/**
 * The ingestion write path alone, in-process (no HTTP, no load generator): `EventIngestor` over
 * a fresh PostgreSQL database (WARDEN_BENCH_DATABASE_URL or the test server at 127.0.0.1:5432)
 * and an in-memory PGlite, with 100-event batches, one stream and `WARDEN_BENCH_STREAMS`
 * (default 8) streams in flight. Besides events/s it reports CPU time per event, which a busy
 * machine disturbs less than throughput: this process's (validation, the write path's
 * JavaScript and, embedded, the database itself) and, on a PostgreSQL server on this machine,
 * its backends' (read from /proc). Also times validation alone (zod, and the compiled check
 * that ingestion tries first), per event.
 *
 * `npx tsx --conditions=warden-source bench/ingest-write.ts` (WARDEN_BENCH_SECONDS, default 4;
 * WARDEN_BENCH_ONLY = embedded | postgres).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ScanEventSchema } from '@warden/protocol';
import pg from 'pg';
import type { Database } from '../packages/server/src/db/database.js';
import { migrate } from '../packages/server/src/db/migrate.js';
import { ensureEventPartitions } from '../packages/server/src/db/partitions.js';
import { openEmbeddedDatabase } from '../packages/server/src/db/pglite.js';
import { openPostgresDatabase } from '../packages/server/src/db/postgres.js';
import { EventIngestor } from '../packages/server/src/services/ingest.js';
import { insertOrganizationWithProject } from '../packages/server/src/testing/harness.js';

const SECONDS = Number(process.env.WARDEN_BENCH_SECONDS ?? 4);
const STREAMS = Number(process.env.WARDEN_BENCH_STREAMS ?? 8);
const ONLY = process.env.WARDEN_BENCH_ONLY;
const POSTGRES_URL =
  process.env.WARDEN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 100;

const CATEGORIES = ['prompt_injection', 'jailbreak', 'secret', 'pii', 'data_exfiltration', 'ssrf'];
let counter = 0;
const prefix = randomUUID().slice(0, 8);
function event(now: string): unknown {
  counter += 1;
  const category = CATEGORIES[counter % CATEGORIES.length]!;
  const blocked = counter % 4 === 0;
  return JSON.parse(
    JSON.stringify({
      id: `${prefix}-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`,
      timestamp: now,
      agentId: `agent-${counter % 20}`,
      type: 'scan',
      surface: 'input',
      decision: blocked ? 'block' : 'allow',
      policyDecision: blocked ? 'block' : 'allow',
      risk: blocked ? 0.91 : 0.05,
      categories: [category],
      ruleIds: [`${category.replace('_', '-')}.rule-${counter % 7}`],
      matchedRule: null,
      layers: ['l1'],
      latencyMs: (counter % 50) / 10,
      policy: { name: 'default', revision: '1' },
      sdkVersion: '0.1.0',
    }),
  );
}
const batch = () => {
  const now = new Date().toISOString();
  return Array.from({ length: BATCH }, () => event(now));
};

async function target(db: Database): Promise<{ organizationId: string; projectId: string }> {
  await migrate(db);
  await ensureEventPartitions(db);
  return insertOrganizationWithProject(db, { name: 'bench', slug: 'bench' });
}

/** CPU seconds used so far by the PostgreSQL backends connected to `database` (local server). */
async function backendSeconds(admin: pg.Client | undefined, database: string): Promise<number> {
  if (admin === undefined) return 0;
  const pids = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1',
    [database],
  );
  let ticks = 0;
  for (const { pid } of pids.rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not on this machine, or gone
    }
  }
  return ticks / 100;
}

async function run(
  name: string,
  db: Database,
  concurrency: number,
  server?: { admin: pg.Client; database: string },
): Promise<void> {
  const { organizationId, projectId } = await target(db);
  const ingestor = new EventIngestor(db, concurrency);
  const key = { organizationId, projectId, projectSlug: 'bench' };
  for (const streams of [1, STREAMS]) {
    let events = 0;
    const until = performance.now() + SECONDS * 1000;
    const backendsBefore = await backendSeconds(server?.admin, server?.database ?? '');
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: streams }, async () => {
        while (performance.now() < until) {
          const { response } = await ingestor.ingest(key, batch());
          if (response.accepted !== BATCH) throw new Error(JSON.stringify(response).slice(0, 300));
          events += BATCH;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const own = (cpu.user + cpu.system) / events;
    let backends = '';
    if (server !== undefined) {
      const used = (await backendSeconds(server.admin, server.database)) - backendsBefore;
      backends = `, PostgreSQL ${((used * 1e6) / events).toFixed(1)} µs`;
    }
    console.log(
      `${name}: ${streams} stream(s) of ${BATCH}-event batches: ${Math.round(events / seconds).toLocaleString('en')} events/s (${((seconds * 1000 * streams) / (events / BATCH)).toFixed(2)} ms per batch in flight); CPU per event: this process ${own.toFixed(1)} µs${backends}`,
    );
  }
}

// Validation alone, per event: zod, and the check compiled from the same schema.
{
  const events = Array.from({ length: 20_000 }, () => event(new Date().toISOString()));
  const { compileAcceptor } = await import(
    '../packages/server/src/services/ingest-validate.js'
  ).catch(() => ({ compileAcceptor: undefined }));
  const accept = compileAcceptor?.(ScanEventSchema);
  const checks: [string, (e: unknown) => unknown][] = [
    ['zod ScanEventSchema', (e) => ScanEventSchema.safeParse(e)],
    ...(accept === undefined
      ? []
      : [['compiled check', accept] as [string, (e: unknown) => unknown]]),
  ];
  for (const [label, check] of checks) {
    for (const e of events.slice(0, 2000)) check(e);
    const started = performance.now();
    for (const e of events) check(e);
    const ms = performance.now() - started;
    console.log(
      `${label}: ${((ms * 1000) / events.length).toFixed(2)} µs per event (${Math.round(events.length / (ms / 1000)).toLocaleString('en')} events/s on one core)`,
    );
  }
}

if (ONLY !== 'postgres') {
  const db = await openEmbeddedDatabase(undefined);
  try {
    await run('PGlite (in memory)', db, 1);
  } finally {
    await db.close();
  }
}
if (ONLY !== 'embedded') {
  const name = `warden_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = await openPostgresDatabase(url.toString(), 10);
  try {
    await run('PostgreSQL', db, 8, { admin, database: name });
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
