import type { ScanEvent } from '@warden/protocol';
import { CATEGORIES } from '@warden/scanner';
import { z } from 'zod';

/**
 * The highest risk a finding below critical severity can reach: the scanner weighs a finding's
 * score by its severity (high = 0.85, critical = 1, `SEVERITY_WEIGHT` in
 * packages/scanner/src/scanner.ts), so only a critical finding lifts an event's risk above it.
 */
export const CRITICAL_RISK_ABOVE = 0.85;

const decision = z.enum(['allow', 'alert', 'redact', 'block']);
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

/** Narrows which events a rule looks at; every field is optional. */
const EventFilterSchema = z
  .object({
    /** The project (its id) the events were ingested for. */
    projectId: z.uuid().optional(),
    agentId: identifier.optional(),
  })
  .strict();

/** The condition of an alert rule, one of three kinds. */
export const AlertConditionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      /** At least `count` events with `decision` in `category` within `windowMinutes`. */
      kind: z.literal('event_threshold'),
      category: z.enum(CATEGORIES),
      decision: decision.default('block'),
      count: z.number().int().min(1).max(1_000_000),
      windowMinutes: z.number().int().min(1).max(10_080),
      filter: EventFilterSchema.optional(),
    })
    .strict(),
  z
    .object({
      /** Any event whose risk is above `riskAbove` (default: only critical findings). */
      kind: z.literal('critical_finding'),
      riskAbove: z.number().min(0).max(0.999).default(CRITICAL_RISK_ABOVE),
      filter: EventFilterSchema.optional(),
    })
    .strict(),
  z
    .object({
      /** Any scan where a layer failed and the policy let it through (fail open). */
      kind: z.literal('policy_fail_open'),
      filter: EventFilterSchema.optional(),
    })
    .strict(),
]);

export type AlertCondition = z.infer<typeof AlertConditionSchema>;

/** What a rule's evaluation needs from the store, so the evaluator stays pure. */
export interface AlertEvaluationContext {
  now: Date;
  /** When the rule last fired; a burst inside the cooldown sends nothing more. */
  lastTriggeredAt: Date | null;
  cooldownMinutes: number;
  /**
   * For `event_threshold`: events in the store (new ones included) that match the rule within
   * its window. Without it only the given events are counted.
   */
  countInWindow?: (since: Date) => Promise<number>;
}

/** The verdict of one rule over newly arrived events. */
export type AlertEvaluation =
  | { fire: false; reason: 'no-match' | 'below-threshold' | 'cooldown' }
  | { fire: true; matched: ScanEvent[]; eventCount: number; summary: string };

/**
 * True when an event is one this condition looks at (the count of a threshold rule aside).
 * @example events.filter((event) => eventMatches(condition, event))
 */
export function eventMatches(condition: AlertCondition, event: ScanEvent): boolean {
  const filter = condition.filter;
  if (filter?.projectId !== undefined && event.projectId !== filter.projectId) return false;
  if (filter?.agentId !== undefined && event.agentId !== filter.agentId) return false;
  switch (condition.kind) {
    case 'event_threshold':
      return event.decision === condition.decision && event.categories.includes(condition.category);
    case 'critical_finding':
      return event.risk > condition.riskAbove;
    case 'policy_fail_open':
      return isFailOpen(event);
  }
}

/**
 * A scan failed open when a layer did not run and the policy still did not block: the content
 * went through unchecked by that layer. Older reporters without `failedLayers` are recognised
 * by the scanner's `policy.fail-open` matched rule.
 */
export function isFailOpen(event: ScanEvent): boolean {
  if (event.matchedRule === 'policy.fail-open') return true;
  return (event.failedLayers?.length ?? 0) > 0 && event.policyDecision !== 'block';
}

/**
 * Evaluates one rule against events that just arrived. Fires at most once per cooldown, so a
 * burst of matching events sends one notification.
 * @example const verdict = await evaluateAlertRule(condition, events, { now, lastTriggeredAt, cooldownMinutes: 15 })
 */
export async function evaluateAlertRule(
  condition: AlertCondition,
  events: readonly ScanEvent[],
  context: AlertEvaluationContext,
): Promise<AlertEvaluation> {
  const matched = events.filter((event) => eventMatches(condition, event));
  if (matched.length === 0) return { fire: false, reason: 'no-match' };
  if (
    context.lastTriggeredAt !== null &&
    context.now.getTime() - context.lastTriggeredAt.getTime() < context.cooldownMinutes * 60_000
  ) {
    return { fire: false, reason: 'cooldown' };
  }
  if (condition.kind !== 'event_threshold') {
    const summary =
      condition.kind === 'critical_finding'
        ? `${matched.length} event(s) with risk above ${condition.riskAbove}`
        : `${matched.length} scan(s) failed open`;
    return { fire: true, matched, eventCount: matched.length, summary };
  }
  const since = new Date(context.now.getTime() - condition.windowMinutes * 60_000);
  const inWindow = matched.filter((event) => Date.parse(event.timestamp) >= since.getTime());
  const count = context.countInWindow ? await context.countInWindow(since) : inWindow.length;
  if (count < condition.count) return { fire: false, reason: 'below-threshold' };
  return {
    fire: true,
    matched: inWindow.length > 0 ? inWindow : matched,
    eventCount: count,
    summary: `${count} ${condition.decision} event(s) of category ${condition.category} within ${condition.windowMinutes} minute(s)`,
  };
}
