import { createHmac } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { testEvent } from '../testing/events.js';
import { createTelemetry, type PendingEvent, type Telemetry } from './index.js';

function pendingEvent(overrides: Partial<PendingEvent> = {}): PendingEvent {
  return testEvent({
    agentId: 'telemetry-test',
    surface: 'tool_args',
    risk: 0.1,
    latencyMs: 0.2,
    ...overrides,
  });
}

const SECRET_VALUE = 'rm -rf /home/alice/secret-project';

// Telemetry against the real control plane over loopback: embedded PostgreSQL on disk.
describe('telemetry against the control plane', () => {
  let plane: TestControlPlane;
  let directory: string;
  const opened: Telemetry[] = [];

  beforeAll(async () => {
    plane = await startControlPlane();
    directory = await mkdtemp(join(tmpdir(), 'warden-telemetry-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(opened.map((telemetry) => telemetry.shutdown({ timeoutMs: 100 })));
    await plane?.close();
    await rm(directory, { recursive: true, force: true });
  }, 30_000);

  function open(options: Partial<Parameters<typeof createTelemetry>[0]> = {}): Telemetry {
    const telemetry = createTelemetry({
      endpoint: plane.url,
      apiKey: plane.apiKey,
      flushIntervalMs: 50,
      maxBackoffMs: 400,
      requestTimeoutMs: 2000,
      ...options,
    });
    opened.push(telemetry);
    return telemetry;
  }

  async function storedIds(): Promise<string[]> {
    return (await plane.events()).map((event) => event.id);
  }

  it('delivers events with argument values hashed by the organisation key, never the values', async () => {
    const bodies: string[] = [];
    const spoolDir = join(directory, 'hashing');
    const telemetry = open({
      spoolDir,
      fetch: async (input, init) => {
        if (typeof init?.body === 'string') bodies.push(init.body);
        return fetch(input, init);
      },
    });
    const events = [
      pendingEvent({ toolName: 'shell', argumentValues: { command: SECRET_VALUE } }),
      pendingEvent({ surface: 'input' }),
    ];
    for (const event of events) telemetry.record(event);
    const stats = await telemetry.flush();
    expect(stats).toMatchObject({ queued: 0, sent: 2, rejected: 0, dropped: 0 });

    const config = (await (
      await fetch(`${plane.url}/v1/sdk/config`, {
        headers: { authorization: `Bearer ${plane.apiKey}` },
      })
    ).json()) as { argumentHashKey: { id: string; key: string } };
    expect(telemetry.identity()).toEqual({
      organizationId: plane.organizationId,
      projectId: plane.projectId,
      argumentHashKeyId: config.argumentHashKey.id,
    });
    const stored = new Map((await plane.events()).map((event) => [event.id, event]));
    const expected = createHmac('sha256', Buffer.from(config.argumentHashKey.key, 'base64url'))
      .update(SECRET_VALUE)
      .digest('hex');
    expect(stored.get(events[0]!.id)?.argumentHashes).toEqual({ command: expected });
    expect(stored.get(events[1]!.id)?.argumentHashes).toBeNull();

    await telemetry.shutdown();
    expect(bodies.join('\n')).not.toContain(SECRET_VALUE);
    // Neither the spool nor the cached config holds the value; the cache is private.
    const files = await readdir(spoolDir, { recursive: true });
    for (const file of files) {
      const path = join(spoolDir, file);
      if ((await stat(path)).isFile())
        expect(await readFile(path, 'utf8')).not.toContain(SECRET_VALUE);
    }
    expect((await stat(join(spoolDir, 'sdk-config.json'))).mode & 0o777).toBe(0o600);
  });

  it('counts events the server rejects, reports them, and does not retry them', async () => {
    const errors: Error[] = [];
    const telemetry = open({ onError: (error) => errors.push(error) });
    const good = pendingEvent({ surface: 'input' });
    telemetry.record(good);
    telemetry.record(pendingEvent({ agentId: 'has spaces' }));
    const stats = await telemetry.flush();
    expect(stats).toMatchObject({ queued: 0, sent: 1, rejected: 1, retries: 0 });
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
      'WARDEN_TELEMETRY_REJECTED',
    ]);
    expect(errors[0]!.message).toContain('agentId');
    // A retry of the same id after a lost answer is a duplicate, delivered once.
    const again = open();
    again.record(good);
    expect(await again.flush()).toMatchObject({ sent: 0, duplicates: 1 });
    expect((await storedIds()).filter((id) => id === good.id)).toHaveLength(1);
  });

  it('reports a key without the ingest scope and keeps the events', async () => {
    const errors: Error[] = [];
    const telemetry = open({
      apiKey: await plane.createApiKey(['policy:read']),
      onError: (error) => errors.push(error),
    });
    telemetry.record(pendingEvent());
    const stats = await telemetry.flush({ timeoutMs: 300 });
    expect(stats).toMatchObject({ queued: 1, sent: 0 });
    expect(
      errors.some((error) => (error as { code?: string }).code === 'WARDEN_TELEMETRY_UNAUTHORIZED'),
    ).toBe(true);
    expect(stats.lastError).toContain('ingest');
  });

  it('delivers every event exactly once through a control plane outage and an SDK restart', async () => {
    const spoolDir = join(directory, 'fault');
    const ids: string[] = [];
    const record = (telemetry: Telemetry, event: PendingEvent) => {
      // Synchronous: the agent never awaits telemetry (its cost is measured by bench:sdk).
      expect(telemetry.record(event)).toBeUndefined();
      ids.push(event.id);
    };
    const first = open({ spoolDir, maxBatchSize: 50 });
    const produce = async (telemetry: Telemetry, count: number) => {
      for (let index = 0; index < count; index += 1) {
        record(
          telemetry,
          pendingEvent(
            index % 3 === 0
              ? { toolName: 'fetch', argumentValues: { url: `https://example.test/${index}` } }
              : {},
          ),
        );
        if (index % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await produce(first, 300);
    // The control plane goes away while events keep coming.
    await plane.stop();
    await produce(first, 300);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.stats().queued).toBeGreaterThan(0);
    // The SDK process "crashes" now: a copy of its spool directory as it is on disk.
    await first.flush({ timeoutMs: 50 }); // lets the spool write what it has queued
    const crashed = join(directory, 'crashed');
    await cp(spoolDir, crashed, { recursive: true, filter: (source) => !source.endsWith('lock') });
    await plane.restart();
    await produce(first, 300);
    const stats = await first.shutdown({ timeoutMs: 15_000 });
    expect(stats).toMatchObject({ queued: 0, rejected: 0, dropped: 0 });
    expect(stats.retries).toBeGreaterThan(0);

    // A new process on the crashed copy replays what was undelivered at the crash.
    const second = open({ spoolDir: crashed });
    const replayed = await second.flush({ timeoutMs: 15_000 });
    expect(replayed.replayed).toBeGreaterThan(0);
    expect(replayed).toMatchObject({ queued: 0, sent: 0, rejected: 0 });
    expect(replayed.duplicates).toBe(replayed.replayed);

    const stored = await storedIds();
    const mine = new Set(ids);
    const counts = new Map<string, number>();
    for (const id of stored) if (mine.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(ids.length);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    await second.shutdown();
    // Delivered events are acknowledged: a third start has nothing to replay.
    const third = open({ spoolDir });
    expect(await third.flush({ timeoutMs: 2000 })).toMatchObject({ replayed: 0, queued: 0 });
  }, 60_000);

  it('sends what a gracefully stopped SDK left in its spool', async () => {
    const spoolDir = join(directory, 'restart');
    await plane.stop();
    const first = open({ spoolDir });
    const events = Array.from({ length: 40 }, () => pendingEvent());
    for (const event of events) first.record(event);
    const stopped = await first.shutdown({ timeoutMs: 200 });
    expect(stopped.queued).toBe(40);
    expect(stopped.spooled).toBe(40);
    await plane.restart();
    const second = open({ spoolDir });
    expect(await second.flush({ timeoutMs: 10_000 })).toMatchObject({
      replayed: 40,
      sent: 40,
      queued: 0,
    });
    const stored = new Set(await storedIds());
    expect(events.every((event) => stored.has(event.id))).toBe(true);
  }, 30_000);
});
