import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open.js';
import { loadConfig } from '../env.js';
import { type RunningServer, startServer } from '../server.js';

/** PostgreSQL and Redis of the machine's test services (CI and this dev box). */
export const TEST_POSTGRES_URL =
  process.env.WARDEN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.WARDEN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when the test PostgreSQL answers within a second. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 1000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when the test Redis answers within a second. */
export async function redisReachable(): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A database of its own for one test file: a fresh PostgreSQL database, dropped by `drop`. */
export async function createTestPostgresDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const name = `warden_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export const OWNER_EMAIL = 'owner@example.test';
export const OWNER_PASSWORD = 'correct horse battery staple';

/** Options of a test server. */
export interface TestServerOptions {
  databaseUrl?: string;
  redisUrl?: string;
  environment?: Record<string, string>;
  db?: Database;
  rateLimitPrefix?: string;
  /** As StartServerOptions.rateLimitShares (a cluster worker's share of the limits). */
  rateLimitShares?: number;
}

/** Starts a server on 127.0.0.1:0 with a bootstrapped owner (in-memory PGlite by default). */
export async function startTestServer(options: TestServerOptions = {}): Promise<RunningServer> {
  const dataDirectory = await mkdtemp(path.join(tmpdir(), 'warden-test-'));
  const environment: Record<string, string> = {
    WARDEN_PORT: '0',
    WARDEN_DATA_DIR: dataDirectory,
    WARDEN_HOST: '127.0.0.1',
    WARDEN_BOOTSTRAP_EMAIL: OWNER_EMAIL,
    WARDEN_BOOTSTRAP_PASSWORD: OWNER_PASSWORD,
    WARDEN_BOOTSTRAP_ORG: 'Bootstrap Org',
    WARDEN_LOG_LEVEL: 'silent',
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
    ...options.environment,
  };
  const config = loadConfig(environment);
  const server = await startServer({
    config,
    environment,
    inMemory: options.databaseUrl === undefined,
    logger: pino({ level: 'silent' }),
    processMetrics: false,
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.rateLimitPrefix === undefined ? {} : { rateLimitPrefix: options.rateLimitPrefix }),
    ...(options.rateLimitShares === undefined ? {} : { rateLimitShares: options.rateLimitShares }),
  });
  return {
    ...server,
    async close() {
      await server.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Opens (and migrates) an in-memory embedded database to share between test servers. */
export function openTestEmbeddedDatabase(): Promise<Database> {
  return openDatabase(
    { WARDEN_DATA_DIR: '/nonexistent', DATABASE_POOL_SIZE: 1, DATABASE_URL: undefined },
    { inMemory: true },
  );
}

/**
 * Inserts an organization with one project straight into a migrated database (tests and benches
 * that work below the HTTP API).
 */
export async function insertOrganizationWithProject(
  db: Database,
  {
    name = 'o',
    slug = 'p',
    retentionDays,
  }: { name?: string; slug?: string; retentionDays?: number } = {},
): Promise<{ organizationId: string; projectId: string }> {
  const organizationId = (
    retentionDays === undefined
      ? await db.query<{ id: string }>(
          `INSERT INTO organizations (name) VALUES ($1) RETURNING id`,
          [name],
        )
      : await db.query<{ id: string }>(
          `INSERT INTO organizations (name, retention_days) VALUES ($1, $2) RETURNING id`,
          [name, retentionDays],
        )
  ).rows[0]!.id;
  const projectId = (
    await db.query<{ id: string }>(
      `INSERT INTO projects (org_id, name, slug) VALUES ($1, $2, $2) RETURNING id`,
      [organizationId, slug],
    )
  ).rows[0]!.id;
  return { organizationId, projectId };
}

/** A response: status, headers and parsed JSON body (or text). */
export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields
  body: any;
}

/** How a test request authenticates. */
export interface Credentials {
  cookie?: string;
  csrfToken?: string;
  apiKey?: string;
  apiKeyHeader?: 'authorization' | 'x-warden-key';
}

/** A small HTTP client for a running server. */
export function client(baseUrl: string) {
  async function request(
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      contentType?: string;
      headers?: Record<string, string>;
    } & Credentials = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.csrfToken !== undefined) headers['x-csrf-token'] = options.csrfToken;
    if (options.apiKey !== undefined) {
      if (options.apiKeyHeader === 'x-warden-key') headers['x-warden-key'] = options.apiKey;
      else headers.authorization = `Bearer ${options.apiKey}`;
    }
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '')
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Signs in; returns credentials for session requests. */
  async function login(
    email = OWNER_EMAIL,
    password = OWNER_PASSWORD,
  ): Promise<Credentials & { userId: string; organizations: { id: string; role: string }[] }> {
    const response = await request('POST', '/v1/auth/login', { body: { email, password } });
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0] ?? '';
    return {
      cookie,
      csrfToken: response.body.csrfToken,
      userId: response.body.user.id,
      organizations: response.body.organizations,
    };
  }

  /** Signs in as the bootstrapped owner, creates a project and a key of it with `scopes`. */
  async function ownerProjectKey(
    scopes: ('ingest' | 'policy:read')[] = ['ingest'],
  ): Promise<{ orgId: string; projectId: string; key: string }> {
    const owner = await login();
    const orgId = owner.organizations[0]!.id;
    const projectId = (
      await request('POST', `/v1/orgs/${orgId}/projects`, { ...owner, body: { name: 'p' } })
    ).body.id as string;
    const key = (
      await request('POST', `/v1/orgs/${orgId}/projects/${projectId}/keys`, {
        ...owner,
        body: { name: 'k', scopes },
      })
    ).body.key as string;
    return { orgId, projectId, key };
  }

  return { request, login, ownerProjectKey };
}

/** A valid scan event (override fields per test). */
export function scanEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    agentId: 'support-bot',
    type: 'scan',
    surface: 'input',
    decision: 'block',
    policyDecision: 'block',
    risk: 0.93,
    categories: ['prompt_injection'],
    ruleIds: ['injection.ignore-previous'],
    matchedRule: 'injection.ignore-previous',
    layers: ['l1'],
    latencyMs: 0.4,
    policy: { name: 'default', revision: '3' },
    sdkVersion: '0.1.0',
    ...overrides,
  };
}

/**
 * Spends an API key's whole per-second event budget (`budget` events) through `spender`, then
 * sends one event through `other`: a 429 shows the two enforce one limit. The limiter's window
 * opens with its first request and lasts a second; both requests must land in the same one, which
 * a loaded machine may miss, so a window that ended between them is retried (up to 5 times).
 */
export async function spendBudgetThenSend(
  spender: ReturnType<typeof client>,
  other: ReturnType<typeof client>,
  apiKey: string,
  budget: number,
): Promise<TestResponse | undefined> {
  let limited: TestResponse | undefined;
  for (let attempt = 0; attempt < 5 && limited?.status !== 429; attempt += 1) {
    // A fresh window: the previous attempt's (opened by its first request) has ended.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const spent = await spender.request('POST', '/v1/events', {
      apiKey,
      body: { events: Array.from({ length: budget }, () => scanEvent()) },
    });
    if (spent.status !== 200) continue;
    limited = await other.request('POST', '/v1/events', {
      apiKey,
      body: { events: [scanEvent()] },
    });
  }
  return limited;
}
