import { describe, expect, it } from 'vitest';
import { testEvent } from '../testing/events.js';
import { createTelemetry, type PendingEvent } from './index.js';

// Port 9 (discard) on loopback: nothing listens, connections are refused at once.
const DEAD_ENDPOINT = 'http://127.0.0.1:9';

function event(argumentValues?: Record<string, string>): PendingEvent {
  return testEvent(
    argumentValues === undefined ? {} : { surface: 'tool_args', toolName: 'fetch', argumentValues },
  );
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
      telemetry.record(index % 4 === 0 ? event({ url: `https://example.test/${index}` }) : event());
    }
    const stats = telemetry.stats();
    expect(stats.queued).toBe(10_000);
    expect(stats.dropped).toBe(990_000);
    await telemetry.shutdown({ timeoutMs: 50 });
  });
});
