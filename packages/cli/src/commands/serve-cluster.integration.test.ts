import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPostgresDatabase, postgresReachable } from '@warden/server/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, type ServeProcess, startServeProcess } from '../testing/serve-process.js';

const EMAIL = 'owner@example.test';
const PASSWORD = 'a long enough password';

/** One request on a connection of its own, so the cluster spreads them over its workers. */
function send(
  url: string,
  method: string,
  pathname: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: the test reads a few known fields of JSON answers
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}${pathname}`,
      {
        method,
        agent: false,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

function event(id: string) {
  return {
    id,
    timestamp: new Date().toISOString(),
    agentId: 'agent-1',
    type: 'scan',
    surface: 'input',
    decision: 'block',
    policyDecision: 'block',
    risk: 0.9,
    categories: ['secret'],
    ruleIds: ['secret.rule-1'],
    matchedRule: null,
    layers: ['l1'],
    latencyMs: 1.5,
    policy: { name: 'default', revision: '1' },
    sdkVersion: '0.1.0',
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cluster workers of `primary` (its children running the CLI; tsx's esbuild is another). */
function workerPids(primary: number): number[] {
  const children = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8')
    .split(' ')
    .filter(Boolean)
    .map(Number);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(CLI_BIN);
    } catch {
      return false;
    }
  });
}

const reachable = await postgresReachable();

// Linux: the test finds the workers through /proc.
describe.skipIf(!reachable || process.platform !== 'linux')(
  'warden serve --workers 2 (PostgreSQL)',
  () => {
    let database: { url: string; drop(): Promise<void> };
    let dataDirectory: string;
    let server: ServeProcess;
    let url: string;

    beforeAll(async () => {
      database = await createTestPostgresDatabase();
      dataDirectory = await mkdtemp(path.join(tmpdir(), 'warden-cluster-'));
      server = await startServeProcess(
        ['--workers', '2', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDirectory],
        {
          DATABASE_URL: database.url,
          WARDEN_LOG_LEVEL: 'warn',
          WARDEN_BOOTSTRAP_EMAIL: EMAIL,
          WARDEN_BOOTSTRAP_PASSWORD: PASSWORD,
          WARDEN_BOOTSTRAP_ORG: 'Cluster Test',
          WARDEN_COOKIE_SECURE: 'false',
        },
      );
      url = server.url;
    }, 120_000);

    afterAll(async () => {
      if (
        server !== undefined &&
        server.child.exitCode === null &&
        server.child.signalCode === null
      )
        server.child.kill('SIGKILL');
      await database?.drop();
      await rm(dataDirectory, { recursive: true, force: true });
    });

    it('ingests through both workers, idempotently, and drains on SIGTERM', async () => {
      expect(server.output()).toContain('(postgres database, 2 workers)');
      const login = await send(url, 'POST', '/v1/auth/login', {
        body: { email: EMAIL, password: PASSWORD },
      });
      expect(login.status).toBe(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const session = { cookie, 'x-csrf-token': login.body.csrfToken };
      const orgId = login.body.organizations[0].id;
      const project = await send(url, 'POST', `/v1/orgs/${orgId}/projects`, {
        headers: session,
        body: { name: 'cluster' },
      });
      expect(project.status).toBe(201);
      const key = await send(url, 'POST', `/v1/orgs/${orgId}/projects/${project.body.id}/keys`, {
        headers: session,
        body: { name: 'ingest', scopes: ['ingest'] },
      });
      expect(key.status).toBe(201);
      const ingest = { authorization: `Bearer ${key.body.key}` };

      // Twenty batches of five fresh events, each on a connection of its own.
      const fresh = Array.from({ length: 20 }, () =>
        Array.from({ length: 5 }, () => event(randomUUID())),
      );
      const answers = await Promise.all(
        fresh.map((events) =>
          send(url, 'POST', '/v1/events', { headers: ingest, body: { events } }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body.accepted).toBe(5);
      }
      // One batch sent six times at once (so to both workers): stored once.
      const repeated = Array.from({ length: 5 }, () => event(randomUUID()));
      const retries = await Promise.all(
        Array.from({ length: 6 }, () =>
          send(url, 'POST', '/v1/events', { headers: ingest, body: { events: repeated } }),
        ),
      );
      expect(retries.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const accepted = retries.reduce((sum, answer) => sum + answer.body.accepted, 0);
      const duplicates = retries.reduce((sum, answer) => sum + answer.body.duplicates, 0);
      expect(accepted).toBe(5);
      expect(duplicates).toBe(25);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const stored = await client.query<{ count: string }>('SELECT count(*) FROM events');
        expect(Number(stored.rows[0]!.count)).toBe(105);
      } finally {
        await client.end();
      }

      // /metrics: the primary's sum over both workers, each series labelled with its worker.
      const metrics = await send(url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      const served = (worker: string) =>
        [
          ...String(metrics.body).matchAll(
            new RegExp(
              `^warden_http_requests_total\\{method="POST",route="/v1/events",status="200",worker="${worker}"\\} (\\d+)$`,
              'gm',
            ),
          ),
        ].reduce((sum, match) => sum + Number(match[1]), 0);
      expect(served('1')).toBeGreaterThan(0);
      expect(served('2')).toBeGreaterThan(0);
      expect(served('1') + served('2')).toBe(26);
      const ingested = [
        ...String(metrics.body).matchAll(
          /^warden_events_ingested_total\{result="accepted",worker="\d+"\} (\d+)$/gm,
        ),
      ].reduce((sum, match) => sum + Number(match[1]), 0);
      expect(ingested).toBe(105);

      // A worker killed outright is logged and replaced; the port keeps answering meanwhile.
      const before = workerPids(server.child.pid!);
      expect(before).toHaveLength(2);
      process.kill(before[0]!, 'SIGKILL');
      while (!server.output().includes('worker died unexpectedly')) await sleep(50);
      let after = workerPids(server.child.pid!);
      while (after.length < 2 || after.includes(before[0]!)) {
        expect((await send(url, 'GET', '/healthz')).status).toBe(200);
        await sleep(100);
        after = workerPids(server.child.pid!);
      }
      expect(after).toContain(before[1]!);
      // The new worker 1 shows in /metrics once it listens (answering /healthz meanwhile).
      for (;;) {
        const again = await send(url, 'GET', '/metrics');
        expect(again.status, JSON.stringify(again.body)).toBe(200);
        if (String(again.body).includes('worker="1"')) break;
        await sleep(100);
      }

      // SIGTERM to the primary drains both workers, then it exits 0.
      expect(await server.stop(30_000)).toBe(0);
      expect(server.output()).toContain('shutting down');
    }, 120_000);
  },
);
