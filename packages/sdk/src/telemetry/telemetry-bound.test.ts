import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTelemetry, type PendingEvent } from './index.js';
import { saveSdkConfig } from './sdk-config.js';

// Port 9 (discard) on loopback: nothing listens, connections are refused at once.
const DEAD_ENDPOINT = 'http://127.0.0.1:9';

function event(index: number, argumentValues?: Record<string, string>): PendingEvent {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    timestamp: '2026-11-26T00:00:00.000Z',
    agentId: 'bound-test',
    type: 'scan',
    surface: argumentValues === undefined ? 'input' : 'tool_args',
    decision: 'allow',
    policyDecision: 'allow',
    risk: 0.05,
    categories: [],
    ruleIds: [],
    matchedRule: null,
    layers: ['l1'],
    latencyMs: 0.3,
    policy: { name: 'default', revision: '3' },
    sdkVersion: '0.1.0',
    ...(argumentValues === undefined ? {} : { toolName: 'fetch', argumentValues }),
  };
}

describe('telemetry memory bound and record() cost', () => {
  it('keeps 1,000,000 records into a dead endpoint at the queue bound, dropping the oldest', async () => {
    const telemetry = createTelemetry({
      endpoint: DEAD_ENDPOINT,
      apiKey: 'wdn_test',
      maxBackoffMs: 1000,
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let index = 0; index < 1_000_000; index += 1) {
      telemetry.record(
        index % 4 === 0 ? event(index, { url: `https://example.test/${index}` }) : event(index),
      );
    }
    const elapsed = performance.now() - started;
    const stats = telemetry.stats();
    const heapAfter = process.memoryUsage().heapUsed;
    expect(stats.queued).toBe(10_000);
    expect(stats.dropped).toBe(990_000);
    // Roughly 10,000 held events; anything near 1,000,000 would be hundreds of MB.
    const heapGrowthMb = (heapAfter - heapBefore) / 1024 / 1024;
    expect(heapGrowthMb).toBeLessThan(150);
    console.info(
      `1,000,000 records into a dead endpoint: ${(elapsed * 1000) / 1_000_000} µs per record, queued ${stats.queued}, dropped ${stats.dropped}, heap growth ≈ ${heapGrowthMb.toFixed(1)} MB`,
    );
    await telemetry.shutdown({ timeoutMs: 50 });
  });

  it('records in a few microseconds, with argument hashing once the key is known', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'warden-bench-'));
    try {
      // The key as a previous run cached it: no server needed.
      await saveSdkConfig(directory, 'wdn_test', {
        organizationId: '00000000-0000-4000-8000-000000000001',
        projectId: '00000000-0000-4000-8000-000000000002',
        argumentHashKey: { id: '0123456789abcdef', key: Buffer.alloc(32, 1).toString('base64url') },
      });
      const telemetry = createTelemetry({
        endpoint: DEAD_ENDPOINT,
        apiKey: 'wdn_test',
        spoolDir: directory,
        maxQueuedEvents: 200_000,
      });
      expect((await telemetry.ready({ timeoutMs: 2000 }))?.argumentHashKeyId).toBe(
        '0123456789abcdef',
      );
      const measure = (count: number, withArguments: boolean) => {
        const events = Array.from({ length: count }, (_, index) =>
          event(index, withArguments ? { url: `https://example.test/${index}` } : undefined),
        );
        const started = performance.now();
        for (const item of events) telemetry.record(item);
        return ((performance.now() - started) * 1000) / count;
      };
      measure(10_000, false); // warm-up
      const plain = measure(50_000, false);
      const hashed = measure(50_000, true);
      console.info(
        `record(): ${plain.toFixed(2)} µs without arguments, ${hashed.toFixed(2)} µs with one argument hashed (spool on)`,
      );
      // Generous bounds for a shared CI machine; the figures above are what to read.
      expect(plain).toBeLessThan(50);
      expect(hashed).toBeLessThan(100);
      await telemetry.shutdown({ timeoutMs: 100 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
