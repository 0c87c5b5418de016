import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  client,
  createTestPostgresDatabase,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  postgresReachable,
  redisReachable,
  spendBudgetThenSend,
  TEST_REDIS_URL,
} from '@warden/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess } from '../testing/serve-process.js';

const [hasPostgres, hasRedis] = await Promise.all([postgresReachable(), redisReachable()]);
const missing = [
  ...(hasPostgres ? [] : ['PostgreSQL (WARDEN_TEST_DATABASE_URL, default 127.0.0.1:5432)']),
  ...(hasRedis ? [] : ['Redis (WARDEN_TEST_REDIS_URL, default 127.0.0.1:6379)']),
];
if (missing.length > 0)
  console.warn(
    `${missing.join(' and ')} not reachable: skipping two warden serve processes sharing them`,
  );

describe.skipIf(missing.length > 0)(
  'two warden serve processes sharing PostgreSQL and Redis',
  () => {
    let database: { url: string; drop(): Promise<void> } | undefined;
    const servers: ServeProcess[] = [];
    const dataDirectories: string[] = [];

    beforeAll(async () => {
      database = await createTestPostgresDatabase();
      const environment = {
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '2',
        REDIS_URL: TEST_REDIS_URL,
        // Its own keys in the shared Redis: no other run's budgets or sign-in counts.
        WARDEN_REDIS_PREFIX: `warden-test-${randomUUID()}`,
        WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: '10',
        WARDEN_LOG_LEVEL: 'warn',
        WARDEN_BOOTSTRAP_EMAIL: OWNER_EMAIL,
        WARDEN_BOOTSTRAP_PASSWORD: OWNER_PASSWORD,
        WARDEN_BOOTSTRAP_ORG: 'Redis Test',
        WARDEN_COOKIE_SECURE: 'false',
        // Replicas share their keys (docs/policies-alerts-audit.md): one seals what the other opens.
        WARDEN_SECRETS_KEY: randomBytes(32).toString('base64'),
        WARDEN_POLICY_SIGNING_KEY: generateKeyPairSync('ed25519')
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      };
      for (let index = 0; index < 2; index += 1)
        dataDirectories.push(await mkdtemp(path.join(tmpdir(), 'warden-redis-')));
      // Both start at once: migrations and the bootstrap are safe with replicas racing.
      servers.push(
        ...(await Promise.all(
          dataDirectories.map((directory) =>
            startServeProcess(
              ['--port', '0', '--host', '127.0.0.1', '--data-dir', directory],
              environment,
            ),
          ),
        )),
      );
    }, 60_000);

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database?.drop();
      for (const directory of dataDirectories)
        await rm(directory, { recursive: true, force: true });
    }, 60_000);

    it('enforce one rate limit per key: events sent through one use up the budget of the other', async () => {
      const [first, second] = servers as [ServeProcess, ServeProcess];
      expect(first.child.pid).not.toBe(second.child.pid);
      for (const server of servers) expect(server.output()).toContain('(postgres database)');
      const a = client(first.url);
      const b = client(second.url);
      const { key } = await a.ownerProjectKey();
      // Each process looks the key up once and caches it; done here, outside the timed windows.
      for (const http of [a, b])
        expect((await http.request('GET', '/v1/sdk/config', { apiKey: key })).status).toBe(200);

      for (const [spender, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const limited = await spendBudgetThenSend(spender, other, key, 10);
        expect(limited?.status).toBe(429);
        expect(limited?.headers.get('retry-after')).toBe('1');
        expect(limited?.body.error.code).toBe('WARDEN_INGEST_RATE_LIMITED');
      }
    }, 30_000);
  },
);
