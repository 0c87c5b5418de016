import { evaluatePolicy, judgeEscalation } from '../policy/evaluate.js';
import type { Policy } from '../policy/types.js';
import type { ScanResult } from '../scanner.js';
import type { Finding, ScanError, ScanInput, Severity } from '../types.js';
import type { Judge } from './judge.js';
import { redactForJudge } from './redact.js';
import type { AsyncScanResult, JudgeReport, ScanAsyncOptions } from './types.js';

/** The rule id of every judge finding and judge failure. */
export const JUDGE_RULE_ID = 'l3.judge';
/** The code of a judge failure in `errors`. */
export const JUDGE_FAILED = 'WARDEN_JUDGE_FAILED';

const clock = (globalThis as { performance?: { now(): number } }).performance;
const now: () => number = clock === undefined ? () => Date.now() : () => clock.now();

/** What scanAsync needs from the scanner it belongs to. */
export interface JudgeContext {
  judge: Judge;
  policy: Policy;
  /** The scanner's risk weight per severity, so a judge finding weighs like any other. */
  severityWeight: Readonly<Record<Severity, number>>;
}

/**
 * Takes a finished local scan to the judge when the policy's `judge` section says so, and folds
 * the answer back in: an `attack` verdict becomes a finding of layer l3, a failure an entry in
 * `errors` (failMode.l3 decides), and the decision is evaluated again over everything.
 * A benign verdict adds nothing: the judge never lowers what the local layers decided.
 */
export async function judgeScan(
  context: JudgeContext,
  rawInput: ScanInput | string,
  local: ScanResult,
  options: ScanAsyncOptions = {},
): Promise<AsyncScanResult> {
  const started = now();
  const { policy, judge } = context;
  // scan() has validated the input already.
  const input: ScanInput =
    typeof rawInput === 'string' ? { kind: 'input', text: rawInput } : rawInput;
  const tool = input.tool;
  const escalation = judgeEscalation(
    policy,
    input.kind,
    tool,
    local.findings,
    local.policyDecision,
  );
  if (!escalation.escalate) {
    return {
      ...local,
      judge: {
        status: 'skipped',
        reason: escalation.reason,
        redactions: 0,
        localScore: escalation.score,
        latencyMs: 0,
      },
    };
  }
  const redacted = redactForJudge(input, local.findings);
  const answer = await judge.ask(input.kind, tool, redacted.text, options.signal);
  const report: JudgeReport = {
    ...answer,
    trigger: escalation.trigger,
    redactions: redacted.redactions,
    localScore: escalation.score,
  };
  const layers = local.layers.includes('l3') ? local.layers : [...local.layers, 'l3' as const];
  const latencyMs = local.latencyMs + (now() - started);
  const verdict = report.verdict;
  const failed = report.status !== 'ok' && report.status !== 'cached';
  if (!failed && verdict?.verdict !== 'attack')
    return { ...local, layers, latencyMs, judge: report };

  const findings: Finding[] = local.findings.map((finding) => ({ ...finding }));
  const errors: ScanError[] = [...local.errors];
  if (verdict !== undefined && verdict.category !== 'none') {
    findings.push({
      ruleId: JUDGE_RULE_ID,
      category: verdict.category,
      severity: 'high',
      score: verdict.confidence,
      layer: 'l3',
      // The judge reads the whole text; it does not point at a span.
      span: { start: 0, end: input.kind === 'tool_args' ? 0 : input.text.length },
      message: `LLM judge (${judge.model}): ${verdict.reason}`,
      action: 'allow',
    });
  } else {
    errors.push({
      ruleId: JUDGE_RULE_ID,
      layer: 'l3',
      code: JUDGE_FAILED,
      message: `The LLM judge failed (${report.status}): ${report.reason ?? 'no reason given'}.`,
    });
  }
  const outcome = evaluatePolicy(policy, findings, errors, input.kind);
  findings.forEach((finding, index) => {
    finding.action = outcome.actions[index]!;
  });
  let risk = local.risk;
  for (const finding of findings) {
    if (finding.layer === 'l3')
      risk = Math.max(risk, finding.score * context.severityWeight[finding.severity]);
  }
  const result: AsyncScanResult = {
    ...local,
    decision: outcome.decision,
    policyDecision: outcome.policyDecision,
    matchedRule: outcome.matchedRule,
    risk: Math.round(risk * 1000) / 1000,
    categories: [...new Set(findings.map((finding) => finding.category))].sort(),
    findings,
    errors,
    layers,
    latencyMs,
    judge: report,
  };
  delete result.redactedText;
  delete result.redactedArguments;
  if (outcome.policyDecision === 'redact') {
    const judged = findings.find(
      (finding) => finding.layer === 'l3' && finding.action === 'redact',
    );
    if (judged === undefined) {
      // The judge's finding did not ask for redaction: the local redaction stands as it was.
      if (local.redactedText !== undefined) result.redactedText = local.redactedText;
      if (local.redactedArguments !== undefined) result.redactedArguments = local.redactedArguments;
    } else if (input.kind === 'tool_args') {
      result.redactedArguments = `[REDACTED:${judged.category}]`;
    } else {
      // A verdict covers the whole text, so redacting it redacts everything.
      result.redactedText = `[REDACTED:${judged.category}]`;
    }
  }
  return result;
}
