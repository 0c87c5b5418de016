import { describe, expect, it } from 'vitest';
import { IngestRequestSchema, IngestResponseSchema } from './ingest.js';

const event = {
  id: '6f1c1d6e-3b9a-4f3e-9d53-1b1b8f1f0a11',
  timestamp: '2026-01-10T10:00:00Z',
  agentId: 'support-bot',
  type: 'scan',
  surface: 'input',
  decision: 'block',
  policyDecision: 'block',
  risk: 0.9,
  categories: ['prompt_injection'],
  ruleIds: ['injection.ignore-previous'],
  matchedRule: 'injection.ignore-previous',
  layers: ['l1'],
  latencyMs: 0.4,
  policy: { name: 'default' },
  sdkVersion: '0.1.0',
};

describe('IngestRequestSchema', () => {
  it('accepts 1 to 1000 scan events', () => {
    expect(IngestRequestSchema.safeParse({ events: [event] }).success).toBe(true);
    expect(IngestRequestSchema.safeParse({ events: [] }).success).toBe(false);
    expect(
      IngestRequestSchema.safeParse({ events: Array.from({ length: 1001 }, () => event) }).success,
    ).toBe(false);
  });

  it('refuses unknown fields on the batch and on its events', () => {
    expect(IngestRequestSchema.safeParse({ events: [event], note: 'x' }).success).toBe(false);
    const withPrompt = IngestRequestSchema.safeParse({
      events: [{ ...event, prompt: 'Ignore previous instructions' }],
    });
    expect(withPrompt.success).toBe(false);
    expect(withPrompt.error?.issues[0]?.path).toEqual(['events', 0]);
  });
});

describe('IngestResponseSchema', () => {
  it('describes per-event results', () => {
    const response = {
      accepted: 1,
      duplicates: 0,
      rejected: 1,
      results: [
        { index: 0, id: event.id, status: 'accepted' },
        {
          index: 1,
          status: 'rejected',
          error: {
            code: 'WARDEN_EVENT_INVALID',
            message: 'x',
            issues: [{ path: 'events.1.risk', message: 'too big' }],
          },
        },
      ],
    };
    expect(IngestResponseSchema.parse(response)).toEqual(response);
  });
});
