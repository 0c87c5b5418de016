import type { ScanEvent } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { AlertConditionSchema, evaluateAlertRule, isFailOpen } from './alerts-evaluate.js';

const now = new Date('2026-11-26T01:00:00.000Z');
let counter = 0;
function event(overrides: Partial<ScanEvent> = {}): ScanEvent {
  counter++;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    timestamp: new Date(now.getTime() - 60_000).toISOString(),
    agentId: 'support-bot',
    type: 'scan',
    surface: 'input',
    decision: 'block',
    policyDecision: 'block',
    risk: 0.8,
    categories: ['prompt_injection'],
    ruleIds: ['pi.ignore-previous'],
    matchedRule: 'pi.ignore-previous',
    layers: ['l1'],
    latencyMs: 0.1,
    policy: { name: 'default' },
    sdkVersion: '0.1.0',
    ...overrides,
  };
}
const fresh = { now, lastTriggeredAt: null, cooldownMinutes: 15 };

describe('alert rule evaluation', () => {
  const threshold = AlertConditionSchema.parse({
    kind: 'event_threshold',
    category: 'prompt_injection',
    count: 3,
    windowMinutes: 10,
  });

  it('fires when N blocked events of the category fall within the window', async () => {
    expect(await evaluateAlertRule(threshold, [event(), event()], fresh)).toEqual({
      fire: false,
      reason: 'below-threshold',
    });
    const verdict = await evaluateAlertRule(
      threshold,
      [event(), event(), event(), event({ decision: 'allow' })],
      fresh,
    );
    expect(verdict).toMatchObject({ fire: true, eventCount: 3 });
  });

  it('counts the store through countInWindow, and ignores events outside the window', async () => {
    const old = event({ timestamp: new Date(now.getTime() - 11 * 60_000).toISOString() });
    expect(await evaluateAlertRule(threshold, [old, old, old], fresh)).toMatchObject({
      fire: false,
    });
    let since: Date | undefined;
    const verdict = await evaluateAlertRule(threshold, [event()], {
      ...fresh,
      countInWindow: async (from) => {
        since = from;
        return 7;
      },
    });
    expect(verdict).toMatchObject({ fire: true, eventCount: 7 });
    expect(since?.toISOString()).toBe('2026-11-26T00:50:00.000Z');
  });

  it('sends one notification per burst: silent within the cooldown', async () => {
    const burst = [event(), event(), event()];
    const inCooldown = { ...fresh, lastTriggeredAt: new Date(now.getTime() - 5 * 60_000) };
    expect(await evaluateAlertRule(threshold, burst, inCooldown)).toEqual({
      fire: false,
      reason: 'cooldown',
    });
    const after = { ...fresh, lastTriggeredAt: new Date(now.getTime() - 16 * 60_000) };
    expect((await evaluateAlertRule(threshold, burst, after)).fire).toBe(true);
  });

  it('fires on critical findings only above the high-severity ceiling', async () => {
    const critical = AlertConditionSchema.parse({ kind: 'critical_finding' });
    expect(await evaluateAlertRule(critical, [event({ risk: 0.85 })], fresh)).toMatchObject({
      fire: false,
    });
    expect(await evaluateAlertRule(critical, [event({ risk: 0.95 })], fresh)).toMatchObject({
      fire: true,
      eventCount: 1,
    });
  });

  it('fires on scans that failed open', async () => {
    const failOpen = AlertConditionSchema.parse({ kind: 'policy_fail_open' });
    expect(
      isFailOpen(event({ failedLayers: ['l3'], policyDecision: 'alert', decision: 'alert' })),
    ).toBe(true);
    expect(isFailOpen(event({ failedLayers: ['l1'], policyDecision: 'block' }))).toBe(false);
    expect(isFailOpen(event({ matchedRule: 'policy.fail-open', decision: 'alert' }))).toBe(true);
    expect(isFailOpen(event())).toBe(false);
    expect(
      await evaluateAlertRule(
        failOpen,
        [event({ failedLayers: ['l2'], policyDecision: 'allow', decision: 'allow' })],
        fresh,
      ),
    ).toMatchObject({ fire: true });
  });

  it('applies project and agent filters', async () => {
    const filtered = AlertConditionSchema.parse({
      kind: 'critical_finding',
      filter: { agentId: 'ops-bot' },
    });
    expect((await evaluateAlertRule(filtered, [event({ risk: 1 })], fresh)).fire).toBe(false);
    expect(
      (await evaluateAlertRule(filtered, [event({ risk: 1, agentId: 'ops-bot' })], fresh)).fire,
    ).toBe(true);
  });

  it('rejects malformed conditions with a path', () => {
    const result = AlertConditionSchema.safeParse({
      kind: 'event_threshold',
      category: 'nope',
      count: 0,
      windowMinutes: 5,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual([
      'category',
      'count',
    ]);
    expect(AlertConditionSchema.safeParse({ kind: 'critical_finding', extra: 1 }).success).toBe(
      false,
    );
  });
});
