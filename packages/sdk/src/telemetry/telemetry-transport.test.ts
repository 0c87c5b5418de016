import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testEvent } from '../testing/events.js';
import { createTelemetry, type PendingEvent, type Telemetry } from './index.js';

function pendingEvent(overrides: Partial<PendingEvent> = {}): PendingEvent {
  return testEvent({ agentId: 'transport-test', ...overrides });
}

interface Received {
  at: number;
  path: string;
  events: { id: string; argumentHashes?: Record<string, string> }[];
}

type Handler = (request: Received, response: ServerResponse) => void;

/**
 * A scripted stand-in for answers the real control plane cannot give cheaply (429 with a
 * given Retry-After, 413 for a batch size, a failing config endpoint): node:http on loopback.
 */
async function startScriptedServer(handler: Handler) {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const entry: Received = {
        at: Date.now(),
        path: request.url ?? '',
        events: body === '' ? [] : JSON.parse(body).events,
      };
      received.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const CONFIG = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  projectId: '00000000-0000-4000-8000-000000000002',
  argumentHashKey: { id: '0123456789abcdef', key: Buffer.alloc(32, 7).toString('base64url') },
};

function accept(request: Received, response: ServerResponse): void {
  if (request.path === '/v1/sdk/config') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CONFIG));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      accepted: request.events.length,
      duplicates: 0,
      rejected: 0,
      results: request.events.map((event, index) => ({ index, id: event.id, status: 'accepted' })),
    }),
  );
}

describe('telemetry transport', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function scripted(handler: Handler) {
    const server = await startScriptedServer(handler);
    cleanups.push(server.close);
    return server;
  }

  function open(endpoint: string, options: Partial<Parameters<typeof createTelemetry>[0]> = {}) {
    const telemetry: Telemetry = createTelemetry({
      endpoint,
      apiKey: 'wdn_test',
      flushIntervalMs: 20,
      maxBackoffMs: 200,
      ...options,
    });
    cleanups.push(() => telemetry.shutdown({ timeoutMs: 50 }));
    return telemetry;
  }

  it('honours Retry-After (seconds) on 429, then delivers', async () => {
    let answered = 0;
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events' && answered++ === 0) {
        response.writeHead(429, { 'retry-after': '1' }).end();
        return;
      }
      accept(request, response);
    });
    const errors: Error[] = [];
    const telemetry = open(server.url, { onError: (error) => errors.push(error) });
    telemetry.record(pendingEvent());
    const stats = await telemetry.flush({ timeoutMs: 5000 });
    expect(stats).toMatchObject({ sent: 1, retries: 1, queued: 0 });
    const posts = server.received.filter((request) => request.path === '/v1/events');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    expect((errors[0] as { code?: string }).code).toBe('WARDEN_TELEMETRY_RATE_LIMITED');
  });

  it('honours Retry-After as an HTTP date', async () => {
    let answered = 0;
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events' && answered++ === 0) {
        // HTTP dates have whole seconds: at least 1 s from now, at most 2.
        const date = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString();
        response.writeHead(429, { 'retry-after': date }).end();
        return;
      }
      accept(request, response);
    });
    const telemetry = open(server.url);
    telemetry.record(pendingEvent());
    expect(await telemetry.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 1, queued: 0 });
    const posts = server.received.filter((request) => request.path === '/v1/events');
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('splits a batch the server finds too large (413) until it fits', async () => {
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events' && request.events.length > 10) {
        response.writeHead(413).end('payload too large');
        return;
      }
      accept(request, response);
    });
    const telemetry = open(server.url, { maxBatchSize: 100 });
    const events = Array.from({ length: 35 }, () => pendingEvent());
    for (const event of events) telemetry.record(event);
    expect(await telemetry.flush({ timeoutMs: 5000 })).toMatchObject({
      sent: 35,
      queued: 0,
      retries: 0,
    });
    const delivered = server.received
      .filter((request) => request.events.length <= 10 && request.path === '/v1/events')
      .flatMap((request) => request.events.map((event) => event.id));
    expect(delivered.sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('rejects a single event that is too large on its own instead of retrying it forever', async () => {
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events') response.writeHead(413).end();
      else accept(request, response);
    });
    const errors: Error[] = [];
    const telemetry = open(server.url, { onError: (error) => errors.push(error) });
    telemetry.record(pendingEvent());
    expect(await telemetry.flush({ timeoutMs: 2000 })).toMatchObject({ rejected: 1, queued: 0 });
    expect((errors[0] as { code?: string }).code).toBe('WARDEN_TELEMETRY_REJECTED');
  });

  it('backs off with jitter on 5xx and network errors, capped, then delivers', async () => {
    let failures = 3;
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events' && failures-- > 0) {
        response.writeHead(503).end();
        return;
      }
      accept(request, response);
    });
    const telemetry = open(server.url, { maxBackoffMs: 100 });
    telemetry.record(pendingEvent());
    const started = Date.now();
    expect(await telemetry.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 1, retries: 3 });
    expect(Date.now() - started).toBeLessThan(2000);

    const dead = open('http://127.0.0.1:9', { maxBackoffMs: 50, requestTimeoutMs: 500 });
    dead.record(pendingEvent());
    const stats = await dead.flush({ timeoutMs: 400 });
    expect(stats.queued).toBe(1);
    expect(stats.retries).toBeGreaterThanOrEqual(2);
    expect(stats.lastError).toMatch(/^WARDEN_TELEMETRY_UNAVAILABLE/);
  });

  it('counts a retry whose jittered delay came out as 0 ms', async () => {
    let failures = 2;
    const server = await scripted((request, response) => {
      if (request.path === '/v1/events' && failures-- > 0) {
        response.writeHead(503).end();
        return;
      }
      accept(request, response);
    });
    // Full jitter draws from [0, cap): pin the draw to its low end.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const telemetry = open(server.url, { maxBackoffMs: 100 });
      telemetry.record(pendingEvent());
      expect(await telemetry.flush({ timeoutMs: 5000 })).toMatchObject({ sent: 1, retries: 2 });
    } finally {
      random.mockRestore();
    }
  });

  it('hashes argument values once the key arrives; at shutdown without one it sends the events without them', async () => {
    let configAvailable = false;
    const server = await scripted((request, response) => {
      if (request.path === '/v1/sdk/config') {
        if (configAvailable) {
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(CONFIG));
        } else response.writeHead(503).end();
        return;
      }
      accept(request, response);
    });
    const errors: Error[] = [];
    const telemetry = open(server.url, { onError: (error) => errors.push(error) });
    telemetry.record(pendingEvent({ toolName: 'shell', argumentValues: { command: 'ls' } }));
    telemetry.record(pendingEvent());
    const waiting = await telemetry.flush({ timeoutMs: 300 });
    // The event without arguments went; the one with them waits for the key.
    expect(waiting).toMatchObject({ sent: 1, queued: 1, awaitingKey: 1 });
    const stats = await telemetry.shutdown({ timeoutMs: 2000 });
    expect(stats).toMatchObject({ sent: 2, queued: 0, argumentHashesDropped: 1 });
    const sent = server.received.flatMap((request) => request.events);
    expect(sent.every((event) => event.argumentHashes === undefined)).toBe(true);
    expect(JSON.stringify(server.received)).not.toContain('"ls"');
    expect(
      errors.some(
        (error) => (error as { code?: string }).code === 'WARDEN_TELEMETRY_ARGUMENTS_DROPPED',
      ),
    ).toBe(true);

    configAvailable = true;
    const keyed = open(server.url);
    keyed.record(pendingEvent({ toolName: 'shell', argumentValues: { command: 'ls' } }));
    expect(await keyed.flush({ timeoutMs: 2000 })).toMatchObject({ sent: 1, queued: 0 });
    expect(server.received.at(-1)!.events[0]!.argumentHashes).toEqual({
      command: expect.stringMatching(/^[a-f0-9]{64}$/),
    });
    expect(keyed.identity()?.organizationId).toBe(CONFIG.organizationId);
  });

  it('record() never throws, even after shutdown', async () => {
    const telemetry = open('http://127.0.0.1:9');
    await telemetry.shutdown({ timeoutMs: 10 });
    expect(() => telemetry.record(pendingEvent())).not.toThrow();
    expect(telemetry.stats().dropped).toBe(1);
  });

  it('refuses options that cannot work, naming them', () => {
    expect(() => createTelemetry({ endpoint: 'not a url', apiKey: 'k' })).toThrow(/not a URL/);
    expect(() =>
      createTelemetry({ endpoint: 'http://127.0.0.1:1', apiKey: 'k', maxBatchSize: 5000 }),
    ).toThrow(/maxBatchSize/);
  });
});
