/**
 * Ingestion and query speed of the control plane: `npm run bench:ingest`.
 *
 * For each database (embedded; PostgreSQL when WARDEN_BENCH_DATABASE_URL or the test server at
 * 127.0.0.1:5432 answers) and batch size (1, 100, 1000): the server runs in its own process, a
 * load generator (autocannon) sends fresh events (unique ids) as fast as it can for a few
 * seconds, then at half that rate to measure acknowledgement latency. Then it fills the events
 * and rollup tables with generate_series and times the stats queries.
 *
 * Options (environment): WARDEN_BENCH_SECONDS (default 8), WARDEN_BENCH_STATS_ROWS (default
 * 1000000; comma-separated for several sizes, e.g. 1000000,10000000), WARDEN_BENCH_ONLY
 * (embedded | postgres), WARDEN_BENCH_SKIP_INGEST=1 (stats queries only), WARDEN_BENCH_SKIP_STATS=1
 * (ingestion only), WARDEN_BENCH_BATCHES (default 1,100,1000), WARDEN_BENCH_SERVER_ARGS (extra
 * node arguments for the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
 * WARDEN_BENCH_CONNECTIONS (load generator connections; default 16, 16 and 4 for batches of 1,
 * 100 and 1000), WARDEN_BENCH_EMBEDDED_THREAD (main | worker: where the server runs the
 * embedded database; default its worker thread), WARDEN_BENCH_WORKERS (HTTP worker processes
 * of the PostgreSQL server, as WARDEN_WORKERS; default 1; the embedded one always runs one).
 *
 * Besides throughput and latency, each ingestion row has the CPU time per event (at the maximum
 * rate) of the server process (with its cluster workers) and, for a PostgreSQL server on this machine, of its backends for
 * the bench database (from /proc): on a machine shared with other work those move much less
 * than events/s do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

const SECONDS = Number(process.env.WARDEN_BENCH_SECONDS ?? 8);
const STATS_ROWS = (process.env.WARDEN_BENCH_STATS_ROWS ?? '1000000').split(',').map(Number);
const ONLY = process.env.WARDEN_BENCH_ONLY;
const POSTGRES_URL =
  process.env.WARDEN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password 1234';
const BATCHES = (process.env.WARDEN_BENCH_BATCHES ?? '1,100,1000').split(',').map(Number);
const SERVER_ARGS = (process.env.WARDEN_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);

interface Target {
  name: 'embedded' | 'postgres';
  environment: Record<string, string>;
  /** CPU seconds used so far by each of the database server's backends for this target. */
  backendSeconds(): Promise<Map<number, number>>;
  cleanup(): Promise<void>;
}

const CONNECTIONS = process.env.WARDEN_BENCH_CONNECTIONS;
const WORKERS = process.env.WARDEN_BENCH_WORKERS ?? '1';

/** `pid` and its descendants (a cluster primary's workers), from /proc; just `pid` elsewhere. */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let index = 0; index < pids.length; index += 1) {
    try {
      const current = pids[index]!;
      const children = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8');
      pids.push(...children.split(' ').filter(Boolean).map(Number));
    } catch {
      // not Linux, or gone
    }
  }
  return pids;
}

/** CPU seconds (user + system) used so far by each of the processes `pids`, from /proc. */
function cpuSeconds(pids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone, or not on this machine
    }
  }
  return seconds;
}

/** CPU seconds used between two readings (processes started since count whole). */
function cpuUsed(before: Map<number, number>, after: Map<number, number>): number {
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used;
}

async function startServerProcess(
  environment: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...SERVER_ARGS,
      '--conditions=warden-source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'ingest-server.ts'),
    ],
    {
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('WARDEN_BENCH_URL=')) resolve(line.slice('WARDEN_BENCH_URL='.length));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

async function stopServerProcess(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function json(
  url: string,
  init: RequestInit & { body?: string },
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few known fields of JSON answers
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  return {
    status: response.status,
    body: await response.json().catch(() => null),
    headers: response.headers,
  };
}

async function ingestKey(url: string): Promise<{ key: string; orgId: string; cookie: string }> {
  const login = await json(`${url}/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email: 'bench@example.test', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': login.body.csrfToken };
  const orgId = login.body.organizations[0].id;
  const project = await json(`${url}/v1/orgs/${orgId}/projects`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `bench ${randomUUID()}` }),
  });
  const key = await json(`${url}/v1/orgs/${orgId}/projects/${project.body.id}/keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'bench', scopes: ['ingest'] }),
  });
  return { key: key.body.key, orgId, cookie };
}

// Events differ by id (a counter in a UUID-shaped string), decision, category and latency.
const CATEGORIES = ['prompt_injection', 'jailbreak', 'secret', 'pii', 'data_exfiltration', 'ssrf'];
let counter = 0;
const prefix = randomUUID().slice(0, 8);
function eventJson(now: string): string {
  counter += 1;
  const id = `${prefix}-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
  const category = CATEGORIES[counter % CATEGORIES.length]!;
  const blocked = counter % 4 === 0;
  return `{"id":"${id}","timestamp":"${now}","agentId":"agent-${counter % 20}","type":"scan","surface":"input","decision":"${blocked ? 'block' : 'allow'}","policyDecision":"${blocked ? 'block' : 'allow'}","risk":${blocked ? 0.91 : 0.05},"categories":["${category}"],"ruleIds":["${category.replace('_', '-')}.rule-${counter % 7}"],"matchedRule":null,"layers":["l1"],"latencyMs":${(counter % 50) / 10},"policy":{"name":"default","revision":"1"},"sdkVersion":"0.1.0"}`;
}

function batchBody(size: number): string {
  const now = new Date().toISOString();
  const events: string[] = new Array(size);
  for (let index = 0; index < size; index += 1) events[index] = eventJson(now);
  return `{"events":[${events.join(',')}]}`;
}

interface LoadResult {
  requests: number;
  events: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(
  url: string,
  key: string,
  batch: number,
  seconds: number,
  requestsPerSecond?: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/v1/events`,
    method: 'POST',
    duration: seconds,
    connections:
      CONNECTIONS === undefined ? (batch === 1 ? 16 : batch === 100 ? 16 : 4) : Number(CONNECTIONS),
    ...(requestsPerSecond === undefined
      ? {}
      : { overallRate: Math.max(1, Math.round(requestsPerSecond)) }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: batchBody(batch) }) }],
  });
  const ok = result['2xx'];
  return {
    requests: ok,
    events: ok * batch,
    eventsPerSecond: (ok * batch) / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function measureIngest(target: Target): Promise<string[]> {
  const rows: string[] = [];
  const { url, child } = await startServerProcess(target.environment);
  try {
    const { key } = await ingestKey(url);
    // Warm-up: JIT, connection pool, first partitions.
    await load(url, key, 100, 2);
    for (const batch of BATCHES) {
      const serverBefore = cpuSeconds(processTree(child.pid!));
      const backendsBefore = await target.backendSeconds();
      const max = await load(url, key, batch, SECONDS);
      const perEvent = (seconds: number) =>
        max.events === 0 ? '–' : ((seconds * 1e6) / max.events).toFixed(1);
      const serverCpu = perEvent(cpuUsed(serverBefore, cpuSeconds(processTree(child.pid!))));
      const backendsCpu =
        target.name === 'postgres'
          ? perEvent(cpuUsed(backendsBefore, await target.backendSeconds()))
          : '–';
      const half = await load(url, key, batch, SECONDS, max.requests / SECONDS / 2);
      const name =
        target.name === 'postgres' && WORKERS !== '1'
          ? `postgres, ${WORKERS} workers`
          : target.name;
      const row = `| ${name} | ${batch} | ${Math.round(max.eventsPerSecond).toLocaleString('en')} | ${max.p50} / ${max.p99} ms | ${Math.round(half.eventsPerSecond).toLocaleString('en')} | ${half.p50} / ${half.p99} ms | ${serverCpu} / ${backendsCpu} µs |`;
      console.log(row, max.non2xx + half.non2xx > 0 ? `(${max.non2xx + half.non2xx} non-2xx)` : '');
      rows.push(row);
    }
  } finally {
    await stopServerProcess(child);
  }
  return rows;
}

/** Fills a fresh organisation with `rows` events over 30 days (and their rollups) in SQL. */
const FILL_EVENTS = `
INSERT INTO events (org_id, id, occurred_at, project_id, agent, surface, decision, policy_decision,
                    risk, categories, rule_ids, matched_rule, layers, latency_ms, policy_name, sdk_version)
SELECT $1, gen_random_uuid(), now() - (i * (interval '30 days' / $3::int)), $2,
       'agent-' || (i % 50), 'input', CASE WHEN i % 4 = 0 THEN 'block' ELSE 'allow' END,
       CASE WHEN i % 4 = 0 THEN 'block' ELSE 'allow' END, (i % 100) / 100.0,
       ARRAY[(ARRAY['prompt_injection','jailbreak','secret','pii','data_exfiltration','ssrf'])[1 + i % 6]],
       ARRAY['rule-' || (i % 60)], NULL, ARRAY['l1'], (i % 50) / 10.0, 'default', '0.1.0'
  FROM generate_series(1, $3::int) AS i`;

const FILL_ROLLUPS = `
INSERT INTO event_rollups (org_id, bucket, project_id, dimension, key, decision, events)
SELECT org_id, date_trunc('hour', occurred_at, 'UTC'), project_id, dimension, key, decision, count(*)
  FROM (
    SELECT org_id, occurred_at, project_id, decision, 'total' AS dimension, '' AS key FROM events WHERE org_id = $1
    UNION ALL SELECT org_id, occurred_at, project_id, decision, 'category', unnest(categories) FROM events WHERE org_id = $1
    UNION ALL SELECT org_id, occurred_at, project_id, decision, 'rule', unnest(rule_ids) FROM events WHERE org_id = $1
    UNION ALL SELECT org_id, occurred_at, project_id, decision, 'latency', 'l1:' || CASE WHEN latency_ms <= 1 THEN '1' WHEN latency_ms <= 2.5 THEN '2.5' ELSE '5' END FROM events WHERE org_id = $1
  ) facts
 GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (org_id, bucket, project_id, dimension, key, decision) DO UPDATE SET events = event_rollups.events + excluded.events`;

async function timeQuery(url: string, cookie: string, path: string): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { cookie } });
    await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[3]!; // median of 7
}

type Fill = (statements: readonly (readonly [string, unknown[]])[]) => Promise<void>;

async function measureStats(target: Target, fill: Fill): Promise<string[]> {
  const rows: string[] = [];
  for (const size of STATS_ROWS) {
    // The embedded database belongs to one process: set up, stop the server, fill, start again.
    const setup = await startServerProcess(target.environment);
    let orgId: string;
    let projectId: string;
    try {
      const created = await ingestKey(setup.url);
      orgId = created.orgId;
      const projects = await json(`${setup.url}/v1/orgs/${orgId}/projects`, {
        method: 'GET',
        headers: { cookie: created.cookie },
      });
      projectId = projects.body.projects.at(-1).id;
    } finally {
      await stopServerProcess(setup.child);
    }
    const filled = performance.now();
    await fill([
      [FILL_EVENTS, [orgId, projectId, size]],
      [FILL_ROLLUPS, [orgId]],
      ['ANALYZE events', []],
      ['ANALYZE event_rollups', []],
    ]);
    const fillSeconds = (performance.now() - filled) / 1000;
    const { url, child } = await startServerProcess(target.environment);
    try {
      const { cookie } = await ingestKey(url);
      const month = `from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`;
      const timings = [
        ['stats hourly, 30 days', `/v1/orgs/${orgId}/stats?${month}`],
        ['stats daily, 30 days', `/v1/orgs/${orgId}/stats?${month}&interval=day`],
        ['top categories, 30 days', `/v1/orgs/${orgId}/stats/top?${month}&dimension=category`],
        ['top rules, 30 days', `/v1/orgs/${orgId}/stats/top?${month}&dimension=rule`],
        ['latency percentiles, 30 days', `/v1/orgs/${orgId}/stats/latency?${month}`],
        ['events page (newest 50)', `/v1/orgs/${orgId}/events?${month}`],
        [
          'events page, decision=block & category',
          `/v1/orgs/${orgId}/events?${month}&decision=block&category=secret`,
        ],
      ] as const;
      for (const [name, path] of timings) {
        const ms = await timeQuery(url, cookie, path);
        const row = `| ${target.name} | ${size.toLocaleString('en')} | ${name} | ${ms.toFixed(1)} ms |`;
        console.log(row);
        rows.push(row);
      }
      console.log(
        `(${target.name}: filled ${size.toLocaleString('en')} events and their rollups in ${fillSeconds.toFixed(0)} s)`,
      );
    } finally {
      await stopServerProcess(child);
    }
  }
  return rows;
}

const common = {
  WARDEN_PORT: '0',
  WARDEN_HOST: '127.0.0.1',
  WARDEN_LOG_LEVEL: 'error',
  WARDEN_BOOTSTRAP_EMAIL: 'bench@example.test',
  WARDEN_BOOTSTRAP_PASSWORD: PASSWORD,
  WARDEN_BOOTSTRAP_ORG: 'Bench',
  WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: '100000000',
  WARDEN_RATE_LIMIT_ORG_EVENTS_PER_SECOND: '100000000',
  WARDEN_RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
};

async function main(): Promise<void> {
  const ingestRows: string[] = [];
  const statsRows: string[] = [];
  const targets: Target[] = [];
  if (ONLY !== 'postgres') {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'warden-bench-'));
    targets.push({
      name: 'embedded',
      environment: { ...common, WARDEN_DATA_DIR: dataDirectory },
      backendSeconds: async () => new Map(),
      cleanup: async () => {},
    });
  }
  let admin: pg.Client | undefined;
  if (ONLY !== 'embedded') {
    admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await admin.connect();
      const name = `warden_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      targets.push({
        name: 'postgres',
        environment: {
          ...common,
          DATABASE_URL: url.toString(),
          WARDEN_WORKERS: WORKERS,
          WARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'warden-bench-')),
        },
        backendSeconds: async () => {
          const backends = await admin!.query<{ pid: number }>(
            'SELECT pid FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          return cpuSeconds(backends.rows.map((row) => row.pid));
        },
        cleanup: async () => {
          await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      });
    } catch (error) {
      console.warn(`PostgreSQL skipped: ${(error as Error).message}`);
    }
  }
  for (const target of targets) {
    try {
      if (process.env.WARDEN_BENCH_SKIP_INGEST !== '1')
        ingestRows.push(...(await measureIngest(target)));
      const fill: Fill =
        target.name === 'postgres'
          ? async (statements) => {
              const client = new pg.Client({ connectionString: target.environment.DATABASE_URL });
              await client.connect();
              try {
                for (const [sql, parameters] of statements) await client.query(sql, parameters);
              } finally {
                await client.end();
              }
            }
          : async (statements) => {
              const { PGlite } = await import('@electric-sql/pglite');
              const db = await PGlite.create({
                dataDir: join(target.environment.WARDEN_DATA_DIR!, 'db'),
              });
              try {
                for (const [sql, parameters] of statements) await db.query(sql, parameters);
              } finally {
                await db.close();
              }
            };
      if (process.env.WARDEN_BENCH_SKIP_STATS !== '1')
        statsRows.push(...(await measureStats(target, fill)));
    } finally {
      await target.cleanup();
    }
  }
  await admin?.end().catch(() => {});
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const report = [
    `# bench:ingest — ${new Date().toISOString()}`,
    '',
    `Machine: ${machine}. ${SECONDS} s per run; server and load generator share the machine.`,
    '',
    '| database | batch | max events/s | p50 / p99 ack at max | events/s at half rate | p50 / p99 ack at half rate | CPU per event at max: server / PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...ingestRows,
    '',
    '| database | stored events | query | median of 7 |',
    '| --- | --- | --- | --- |',
    ...statsRows,
    '',
  ].join('\n');
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'ingest.md'), report);
  console.log(`\n${report}`);
}

await main();
