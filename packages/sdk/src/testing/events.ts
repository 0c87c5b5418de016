/**
 * A scan event as the guard reports it, for the telemetry and spool tests: an allowed input scan
 * by layer 1, with a fresh id and the current time, unless `overrides` say otherwise. Overrides
 * may carry raw `argumentValues`, as the guard hands them to telemetry before hashing.
 */
import { randomUUID } from 'node:crypto';
import type { ScanEvent } from '@warden/protocol';

export function testEvent<
  E extends Partial<ScanEvent> & { argumentValues?: Record<string, string> },
>(overrides: E): ScanEvent & E {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    agentId: 'test',
    type: 'scan',
    surface: 'input',
    decision: 'allow',
    policyDecision: 'allow',
    risk: 0,
    categories: [],
    ruleIds: [],
    matchedRule: null,
    layers: ['l1'],
    latencyMs: 0.1,
    policy: { name: 'default' },
    sdkVersion: '0.1.0',
    ...overrides,
  };
}
