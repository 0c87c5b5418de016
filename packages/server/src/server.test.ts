import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';
import { startServer } from './server.js';
import {
  client,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  scanEvent,
  startTestServer,
} from './testing/harness.js';
import { describeServer } from './testing/server-suite.js';

// Every route over real HTTP on the embedded database (in-memory PGlite).
describeServer('server on the embedded database', {
  serverOptions: async () => ({}),
  cleanup: async () => {},
});

describe('without Redis', () => {
  it('keeps ingesting on the in-memory limiter while REDIS_URL does not answer', async () => {
    const server = await startTestServer({
      redisUrl: 'redis://127.0.0.1:1',
      environment: { WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: '3' },
    });
    try {
      const http = client(server.url);
      const { key } = await http.ownerProjectKey();
      const first = await http.request('POST', '/v1/events', {
        apiKey: key,
        body: { events: [scanEvent(), scanEvent()] },
      });
      expect(first.status).toBe(200);
      const second = await http.request('POST', '/v1/events', {
        apiKey: key,
        body: { events: [scanEvent(), scanEvent()] },
      });
      expect(second.status).toBe(429);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('cluster workers without Redis', () => {
  it('each enforce their share of the in-memory limits (4 events/s over 2 workers: 2 each)', async () => {
    const server = await startTestServer({
      environment: { WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND: '4' },
      rateLimitShares: 2,
    });
    try {
      const http = client(server.url);
      const { key } = await http.ownerProjectKey();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answer = await http.request('POST', '/v1/events', {
          apiKey: key,
          body: { events: [scanEvent(), scanEvent()] },
        });
        statuses.push(answer.status);
      }
      // Within one second: the first batch takes this worker's 2, the second is refused.
      expect(statuses).toEqual([200, 429]);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('logs', () => {
  it('writes one JSON line per request with its request id, route and status', async () => {
    const dataDirectory = await mkdtemp(path.join(tmpdir(), 'warden-logs-'));
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const server = await startServer({
      config: loadConfig({
        WARDEN_PORT: '0',
        WARDEN_HOST: '127.0.0.1',
        WARDEN_DATA_DIR: dataDirectory,
      }),
      environment: {},
      inMemory: true,
      logger,
      processMetrics: false,
    });
    try {
      await fetch(`${server.url}/v1/orgs/${randomUUID()}/projects`, {
        headers: { 'x-request-id': 'log-test-1' },
      });
      const line = lines.find((entry) => entry.requestId === 'log-test-1');
      expect(line).toMatchObject({
        msg: 'request',
        method: 'GET',
        route: '/v1/orgs/:orgId/projects',
        status: 401,
      });
      expect(JSON.stringify(lines)).not.toContain('password');
    } finally {
      await server.close();
      await rm(dataDirectory, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    const server = await startTestServer();
    const { hostname, port } = new URL(server.url);
    const body = JSON.stringify({ email: OWNER_EMAIL, password: OWNER_PASSWORD });
    // A request whose body is only half sent when shutdown starts: it is in flight by construction.
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(
      `POST /v1/auth/login HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    let response = '';
    socket.on('data', (chunk) => {
      response += chunk;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = server.close();
    expect(server.services.lifecycle.draining).toBe(true);
    // The rest of the body (no half-close: a FIN would abort the request, as HTTP/1.1 allows).
    const closed = once(socket, 'close');
    socket.write(body.slice(10));
    await closing;
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 120_000);
});
