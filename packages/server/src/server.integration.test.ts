import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { openPostgresDatabase } from './db/postgres.js';
import type { RunningServer } from './server.js';
import {
  client,
  createTestPostgresDatabase,
  postgresReachable,
  redisReachable,
  scanEvent,
  spendBudgetThenSend,
  startTestServer,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from './testing/harness.js';
import { describeServer } from './testing/server-suite.js';

const hasPostgres = await postgresReachable();
const hasRedis = await redisReachable();
// CI sets WARDEN_TEST_REQUIRE_SERVICES=1: there a missing service is a failure, not a skip.
const required = process.env.WARDEN_TEST_REQUIRE_SERVICES === '1';
for (const [name, reachable, url, variable] of [
  ['PostgreSQL', hasPostgres, TEST_POSTGRES_URL, 'WARDEN_TEST_DATABASE_URL'],
  ['Redis', hasRedis, TEST_REDIS_URL, 'WARDEN_TEST_REDIS_URL'],
] as const) {
  if (reachable) continue;
  const message = `${name} tests: nothing answers at ${url} (set ${variable}).`;
  if (required) throw new Error(`WARDEN_TEST_REQUIRE_SERVICES=1 but ${message}`);
  console.warn(`Skipping ${message}`);
}

describe.skipIf(!hasPostgres)('on PostgreSQL', () => {
  let database: Promise<{ url: string; drop(): Promise<void> }> | undefined;
  describeServer('server on PostgreSQL', {
    async serverOptions() {
      database ??= createTestPostgresDatabase();
      return { databaseUrl: (await database).url };
    },
    async cleanup() {
      await (await database)?.drop();
    },
  });

  it('runs as a database owner without superuser rights, still under row-level security', async () => {
    const role = `warden_it_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    let server: RunningServer | undefined;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CREATEROLE`);
      await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
      const url = new URL(TEST_POSTGRES_URL);
      url.username = role;
      url.pathname = `/${role}`;
      server = await startTestServer({ databaseUrl: url.toString() });
      const http = client(server.url);
      const owner = await http.login();
      const orgId = owner.organizations[0]!.id;
      const project = await http.request('POST', `/v1/orgs/${orgId}/projects`, {
        ...owner,
        body: { name: 'Least privilege' },
      });
      expect(project.status).toBe(201);
      const key = await http.request('POST', `/v1/orgs/${orgId}/projects/${project.body.id}/keys`, {
        ...owner,
        body: { name: 'k', scopes: ['ingest'] },
      });
      const ingest = await http.request('POST', '/v1/events', {
        apiKey: key.body.key,
        body: { events: [scanEvent()] },
      });
      expect(ingest.body.accepted).toBe(1);
      const superuser = await server.services.db.query<{ rolsuper: boolean }>(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      expect(superuser.rows[0]!.rolsuper).toBe(false);
    } finally {
      await server?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
      await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  }, 60_000);

  it('applies migrations once when several replicas start at the same time', async () => {
    const database = await createTestPostgresDatabase();
    const replicas: Database[] = [];
    try {
      for (let index = 0; index < 3; index += 1)
        replicas.push(await openPostgresDatabase(database.url, 2));
      const applied = await Promise.all(replicas.map((db) => migrate(db)));
      const all = applied.flat().sort((a, b) => a - b);
      expect(all).toEqual([...new Set(all)]);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const rows = await replicas[0]!.query<{ n: string }>(
        'SELECT count(*) AS n FROM schema_migrations',
      );
      expect(Number(rows.rows[0]!.n)).toBe(all.length);
    } finally {
      await Promise.all(replicas.map((db) => db.close()));
      await database.drop();
    }
  });
});

describe.skipIf(!hasPostgres || !hasRedis)('two servers sharing PostgreSQL and Redis', () => {
  let database: { url: string; drop(): Promise<void> };
  let first: RunningServer;
  let second: RunningServer;
  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    const options = {
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      rateLimitPrefix: `warden-test-${randomUUID()}`,
      environment: { WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: '10' },
    };
    first = await startTestServer(options);
    second = await startTestServer(options);
  }, 60_000);
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  }, 60_000);

  it('see a key revoked on one at once on the other', async () => {
    const a = client(first.url);
    const b = client(second.url);
    const owner = await a.login();
    const orgId = owner.organizations[0]!.id;
    const project = (
      await a.request('POST', `/v1/orgs/${orgId}/projects`, { ...owner, body: { name: 'Revoked' } })
    ).body.id;
    const created = await a.request('POST', `/v1/orgs/${orgId}/projects/${project}/keys`, {
      ...owner,
      body: { name: 'k', scopes: ['ingest'] },
    });
    // The second server caches the key on first use.
    expect(
      (
        await b.request('POST', '/v1/events', {
          apiKey: created.body.key,
          body: { events: [scanEvent()] },
        })
      ).status,
    ).toBe(200);
    await a.request(
      'DELETE',
      `/v1/orgs/${orgId}/projects/${project}/keys/${created.body.id}`,
      owner,
    );
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 401; attempt += 1) {
      status = (
        await b.request('POST', '/v1/events', {
          apiKey: created.body.key,
          body: { events: [scanEvent()] },
        })
      ).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(401);
  });

  it('enforce one rate limit per key between them', async () => {
    const a = client(first.url);
    const b = client(second.url);
    const { key } = await a.ownerProjectKey();
    const limited = await spendBudgetThenSend(a, b, key, 10);
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('retry-after')).toBe('1');
  });
});
