import type { Decision, Finding, ScanError, ScanKind, Severity } from '../types.js';
import type { Policy } from './types.js';

const DECISION_RANK: Record<Decision, number> = { allow: 0, alert: 1, redact: 2, block: 3 };
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The stricter of two decisions. */
export function stricter(a: Decision, b: Decision): Decision {
  return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b;
}

/**
 * The action a policy takes on one finding on one surface: rule override, then category (per
 * surface), then severity. Findings below the score or severity floor are recorded but allowed.
 */
export function actionFor(policy: Policy, finding: Finding, kind: ScanKind): Decision {
  const rulePolicy = policy.rules[finding.ruleId];
  const categoryPolicy = policy.categories[finding.category];
  if (rulePolicy?.enabled === false || categoryPolicy?.enabled === false) return 'allow';
  const minScore = rulePolicy?.minScore ?? categoryPolicy?.minScore ?? policy.minScore;
  if (finding.score < minScore) return 'allow';
  if (categoryPolicy?.minSeverity !== undefined) {
    if (SEVERITY_RANK[finding.severity] < SEVERITY_RANK[categoryPolicy.minSeverity]) return 'allow';
  }
  let action =
    rulePolicy?.action ??
    categoryPolicy?.surfaces?.[kind] ??
    categoryPolicy?.action ??
    policy.severityActions[finding.severity];
  if (action === 'redact' && categoryPolicy?.redact === false) action = 'alert';
  return action;
}

export interface PolicyOutcome {
  /** What the policy says to do when enforced. */
  policyDecision: Decision;
  /** What to do now: equal to `policyDecision`, except in monitor mode (never more than alert). */
  decision: Decision;
  /** The rule id (or `policy.*` reason) that set the decision; null when allowed. */
  matchedRule: string | null;
  /** Per finding, the action it triggered (same order as the findings). */
  actions: Decision[];
}

/** Combines findings and errors into one decision under a policy. */
export function evaluatePolicy(
  policy: Policy,
  findings: readonly Finding[],
  errors: readonly ScanError[],
  kind: ScanKind,
): PolicyOutcome {
  let policyDecision: Decision = 'allow';
  let matchedRule: string | null = null;
  let matchedWeight = -1;
  const actions = findings.map((finding) => {
    const action = actionFor(policy, finding, kind);
    // The decision names the strictest action's most severe, most confident finding.
    const weight = SEVERITY_RANK[finding.severity] + finding.score;
    const rank = DECISION_RANK[action];
    if (
      rank > DECISION_RANK[policyDecision] ||
      (rank > 0 && rank === DECISION_RANK[policyDecision] && weight > matchedWeight)
    ) {
      policyDecision = action;
      matchedRule = finding.ruleId;
      matchedWeight = weight;
    }
    return action;
  });
  for (const error of errors) {
    // A failed layer never passes as clean: fail closed blocks, fail open alerts.
    const action: Decision = policy.failMode[error.layer] === 'closed' ? 'block' : 'alert';
    if (DECISION_RANK[action] > DECISION_RANK[policyDecision]) {
      policyDecision = action;
      matchedRule = `policy.fail-${policy.failMode[error.layer]}`;
    }
  }
  const decision =
    policy.mode === 'monitor' && policyDecision !== 'allow' ? 'alert' : policyDecision;
  return { policyDecision, decision, matchedRule, actions };
}

/** Glob with `*` only, anchored, case-sensitive: tool names are identifiers. */
function matchesName(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!name.startsWith(first) || !name.endsWith(last) || name.length < first.length + last.length)
    return false;
  let position = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, position);
    if (found < 0 || found + part.length > name.length - last.length) return false;
    position = found + part.length;
  }
  return true;
}

/** Why a tool call is refused by the tool lists, or null when the lists let it run. */
export function toolRefusal(
  policy: Policy,
  tool: string,
  inputTags: readonly string[],
): { ruleId: string; message: string } | null {
  const tools = policy.tools;
  const tags = new Set(inputTags);
  for (const [pattern, list] of Object.entries(tools.tags ?? {})) {
    if (matchesName(pattern, tool)) for (const tag of list) tags.add(tag);
  }
  if (tools.deny?.some((pattern) => matchesName(pattern, tool))) {
    return {
      ruleId: 'policy.tool-denied',
      message: `Tool "${tool}" is on the policy's deny list.`,
    };
  }
  if (tools.allow?.some((pattern) => matchesName(pattern, tool))) return null;
  const deniedTag = tools.denyTags?.find((tag) => tags.has(tag));
  if (deniedTag !== undefined) {
    return {
      ruleId: 'policy.tool-denied-tag',
      message: `Tool "${tool}" carries the denied tag "${deniedTag}".`,
    };
  }
  if (tools.allowTags?.some((tag) => tags.has(tag))) return null;
  if (tools.default === 'deny') {
    return {
      ruleId: 'policy.tool-not-allowed',
      message: `Tool "${tool}" is not on the policy's allow lists.`,
    };
  }
  return null;
}

/** Whether a scan goes to the LLM judge, and why (or why not). */
export type JudgeEscalation =
  | { escalate: true; trigger: 'band' | 'tool' | 'always'; score: number }
  | { escalate: false; reason: string; score: number };

/**
 * Applies the policy's `judge` section to a finished local scan. The judge is never asked about
 * a clear decision: a scan the local layers already block is not sent, whatever the section says.
 */
export function judgeEscalation(
  policy: Policy,
  kind: ScanKind,
  tool: string | undefined,
  findings: readonly Finding[],
  policyDecision: Decision,
): JudgeEscalation {
  const judge = policy.judge;
  let score = 0;
  for (const finding of findings) {
    if (finding.layer !== 'l3' && judge.categories.includes(finding.category))
      score = Math.max(score, finding.score);
  }
  if (judge.escalate === 'never')
    return { escalate: false, reason: 'the policy never escalates (judge.escalate: never)', score };
  if (!judge.surfaces.includes(kind))
    return { escalate: false, reason: `surface ${kind} is not in judge.surfaces`, score };
  if (policyDecision === 'block')
    return { escalate: false, reason: 'the local layers already block this scan', score };
  if (judge.escalate === 'always') return { escalate: true, trigger: 'always', score };
  if (tool !== undefined && judge.tools.some((pattern) => matchesName(pattern, tool)))
    return { escalate: true, trigger: 'tool', score };
  const [low, high] = judge.band;
  if (score >= low && score <= high) return { escalate: true, trigger: 'band', score };
  return {
    escalate: false,
    reason: `local score ${score} is outside the judge band [${low}, ${high}]`,
    score,
  };
}
