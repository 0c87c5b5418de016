import { withoutAsides } from '../rules/retractions.js';
import type { Rule } from '../rules/rule.js';
import type { Category, Finding, ScanKind } from '../types.js';
import type { Model, ModelClass } from './model.js';
import type { SignatureIndex } from './signatures.js';
import { forSurface } from './surface.js';
import { collapseRepeats, readWindows } from './windows.js';

type RuleInfo = Pick<Rule, 'id' | 'category' | 'severity' | 'rationale'>;

/** The findings layer l2 can report, listed like rules (docs, policy overrides by id). */
export const MODEL_RULES: readonly RuleInfo[] = [
  {
    id: 'l2.prompt-injection',
    category: 'prompt_injection',
    severity: 'high',
    rationale:
      'The local model reads the text as an attempt to replace the instructions the agent follows.',
  },
  {
    id: 'l2.jailbreak',
    category: 'jailbreak',
    severity: 'high',
    rationale:
      'The local model reads the text as an attempt to lift the model’s safety rules (persona, fiction, refusal suppression).',
  },
  {
    id: 'l2.indirect-injection',
    category: 'indirect_injection',
    severity: 'high',
    rationale:
      'The local model reads data (a tool result or document) as carrying orders for the agent.',
  },
  {
    id: 'l2.system-prompt-extraction',
    category: 'system_prompt_extraction',
    severity: 'high',
    rationale:
      'The local model reads the text as an attempt to make the agent disclose its instructions.',
  },
  {
    id: 'l2.signature',
    category: 'prompt_injection',
    severity: 'high',
    rationale:
      'The text is close to a known attack in the model’s embedding space (shipped or added signature); the finding carries the signature’s category.',
  },
];

const RULE_OF_CLASS: Record<Exclude<ModelClass, 'benign'>, RuleInfo> = {
  prompt_injection: MODEL_RULES[0]!,
  jailbreak: MODEL_RULES[1]!,
  indirect_injection: MODEL_RULES[2]!,
  system_prompt_extraction: MODEL_RULES[3]!,
};

/** Surfaces the model reads: prompts and the data an agent takes in (not outputs or tool calls). */
export function modelReads(kind: ScanKind): boolean {
  return kind === 'input' || kind === 'tool_result' || kind === 'document';
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * A finding's score from the model's probability: the operating point chosen by cross-validation
 * maps to 0.5 (the policy's default minScore), certainty to 1. Raising minScore for an `l2.*` rule
 * asks for more certainty than the default.
 */
export function scoreAbove(probability: number, threshold: number): number {
  if (probability <= threshold)
    return probability >= threshold ? 0.5 : (0.5 * probability) / threshold;
  return 0.5 + (0.5 * (probability - threshold)) / (1 - threshold);
}

/**
 * Layer l2 on one text: every window is scored and the strongest counts, so an attack weighs the same
 * wherever it sits. Reports a class finding at or above the model's threshold for the surface and a
 * signature finding at or above the signature threshold.
 */
export function detectWithModel(
  model: Model,
  signatures: SignatureIndex,
  text: string,
  kind: ScanKind,
): Finding[] {
  if (!modelReads(kind) || text.trim() === '') return [];
  const { thresholds, signatureThreshold } = model.meta;
  const threshold = forSurface(thresholds, kind);
  // Written by `read` below (`as`: TypeScript does not follow assignments inside a closure).
  let best = null as {
    score: number;
    attackClass: Exclude<ModelClass, 'benign'>;
    start: number;
    end: number;
  } | null;
  let nearest = null as {
    similarity: number;
    category: Category;
    start: number;
    end: number;
  } | null;
  /** Scores one window, keeps the strongest and the nearest signature; returns its attack score. */
  const read = (start: number, end: number): number => {
    const window = text.slice(start, end);
    let { prediction, embedding } = model.analyse(collapseRepeats(window), kind);
    // A user taking back their own message, reporting someone's instruction to them, or naming
    // system prompts in general gives the agent no order: a suspect prompt is read again without
    // these asides, and what is left counts on its own (clean traffic pays nothing for this).
    if (kind === 'input' && prediction.attackScore >= threshold / 2) {
      const rest = withoutAsides(window);
      if (rest !== window) ({ prediction, embedding } = model.analyse(collapseRepeats(rest), kind));
    }
    // On a tie (a sure verdict saturates), the shorter window is the finer span.
    if (
      best === null ||
      prediction.attackScore > best.score ||
      (prediction.attackScore === best.score && end - start < best.end - best.start)
    ) {
      best = { score: prediction.attackScore, attackClass: prediction.attackClass, start, end };
    }
    // The shipped signatures are the training attacks, which the model itself scores high: they
    // are searched only for windows the model already finds suspect (half the threshold), which
    // keeps clean traffic fast. Signatures added at run time are always searched.
    const match = signatures.nearest(embedding, prediction.attackScore >= threshold / 2);
    if (match !== null && (nearest === null || match.similarity > nearest.similarity)) {
      nearest = { similarity: match.similarity, category: match.category, start, end };
    }
    return prediction.attackScore;
  };
  // Data a full window finds suspect is read again in short windows (see shortWindows).
  readWindows(text.length, kind, read);
  const findings: Finding[] = [];
  if (best !== null && best.score >= threshold) {
    const rule = RULE_OF_CLASS[best.attackClass];
    findings.push({
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      score: round(scoreAbove(best.score, threshold)),
      layer: 'l2',
      span: { start: best.start, end: best.end },
      message: rule.rationale,
      action: 'allow',
    });
  }
  if (nearest !== null && nearest.similarity >= signatureThreshold) {
    const rule = MODEL_RULES[4]!;
    findings.push({
      ruleId: rule.id,
      category: nearest.category,
      severity: rule.severity,
      score: round(scoreAbove(Math.min(1, nearest.similarity), signatureThreshold)),
      layer: 'l2',
      span: { start: nearest.start, end: nearest.end },
      message: rule.rationale,
      action: 'allow',
    });
  }
  return findings;
}
