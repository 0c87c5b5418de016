import { describe, expect, it } from 'vitest';
import { ScanEventSchema } from './scan-event.js';

const event = {
  id: '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f',
  timestamp: '2026-11-25T10:00:00.000Z',
  agentId: 'support-bot',
  type: 'scan',
  surface: 'tool_args',
  decision: 'block',
  policyDecision: 'block',
  risk: 0.85,
  categories: ['shell_injection'],
  ruleIds: ['shell.reverse-shell'],
  matchedRule: 'shell.reverse-shell',
  layers: ['l1'],
  latencyMs: 0.042,
  policy: { name: 'warden-default' },
  toolName: 'run_shell',
  argumentHashes: { command: 'a'.repeat(64) },
  sdkVersion: '0.1.0',
};

describe('ScanEventSchema', () => {
  it('accepts an event made of metadata only', () => {
    expect(ScanEventSchema.parse(event)).toEqual(event);
  });

  it('rejects any field that could carry raw content', () => {
    expect(
      ScanEventSchema.safeParse({ ...event, text: 'ignore previous instructions' }).success,
    ).toBe(false);
    expect(
      ScanEventSchema.safeParse({ ...event, agentId: 'my agent said: hello there' }).success,
    ).toBe(false);
    expect(
      ScanEventSchema.safeParse({ ...event, argumentHashes: { command: 'rm -rf /' } }).success,
    ).toBe(false);
    expect(
      ScanEventSchema.safeParse({ ...event, ruleIds: ['Ignore all previous instructions'] })
        .success,
    ).toBe(false);
    expect(
      ScanEventSchema.safeParse({ ...event, policy: { name: 'p', note: 'free text' } }).success,
    ).toBe(false);
  });

  it('rejects unknown categories and out-of-range numbers', () => {
    expect(ScanEventSchema.safeParse({ ...event, categories: ['made_up'] }).success).toBe(false);
    expect(ScanEventSchema.safeParse({ ...event, risk: 1.5 }).success).toBe(false);
  });

  it('accepts the layers that failed to run, and nothing else there', () => {
    expect(ScanEventSchema.safeParse({ ...event, failedLayers: ['l3'] }).success).toBe(true);
    expect(ScanEventSchema.safeParse({ ...event, failedLayers: ['judge timed out'] }).success).toBe(
      false,
    );
  });
});
