import { describe, expect, it } from 'vitest';
import { createTelemetry, type PendingEvent } from './index.js';

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

// What one record() costs and the heap held at the bound are measured by `npm run bench:sdk`.
describe('telemetry memory bound', () => {
  it('keeps 1,000,000 records into a dead endpoint at the queue bound, dropping the oldest', async () => {
    const telemetry = createTelemetry({
      endpoint: DEAD_ENDPOINT,
      apiKey: 'wdn_test',
      maxBackoffMs: 1000,
    });
    for (let index = 0; index < 1_000_000; index += 1) {
      telemetry.record(
        index % 4 === 0 ? event(index, { url: `https://example.test/${index}` }) : event(index),
      );
    }
    const stats = telemetry.stats();
    expect(stats.queued).toBe(10_000);
    expect(stats.dropped).toBe(990_000);
    await telemetry.shutdown({ timeoutMs: 50 });
  });
});
