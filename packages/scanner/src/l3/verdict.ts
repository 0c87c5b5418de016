import { JUDGE_CATEGORIES, type JudgeVerdict } from './types.js';

const MAX_REASON = 300;

/**
 * The verdict's JSON schema, as OpenAI structured outputs (strict mode) and Anthropic tool input
 * schemas accept it: every field required, no extra fields, no numeric bounds (checked by hand).
 */
export const VERDICT_SCHEMA = {
  type: 'object',
  properties: {
    verdict: { type: 'string', enum: ['attack', 'benign'] },
    category: { type: 'string', enum: [...JUDGE_CATEGORIES, 'none'] },
    confidence: { type: 'number', description: 'Confidence in the verdict, from 0 to 1.' },
    reason: { type: 'string', description: 'One short sentence.' },
  },
  required: ['verdict', 'category', 'confidence', 'reason'],
  additionalProperties: false,
} as const;

/** A verdict, or why the answer is not one. */
export type VerdictCheck = { ok: true; verdict: JudgeVerdict } | { ok: false; problem: string };

/**
 * Validates what the judge answered. Narrow on purpose: a wrong type, an unknown category or a
 * confidence outside 0..1 is garbage, not something to guess at.
 */
export function checkVerdict(value: unknown): VerdictCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: 'the answer is not a JSON object' };
  const answer = value as Record<string, unknown>;
  const { verdict, category, confidence, reason } = answer;
  if (verdict !== 'attack' && verdict !== 'benign')
    return { ok: false, problem: 'verdict is not "attack" or "benign"' };
  const categories: readonly unknown[] = JUDGE_CATEGORIES;
  if (verdict === 'attack' && !categories.includes(category))
    return {
      ok: false,
      problem: `an attack verdict needs a category of ${JUDGE_CATEGORIES.join(', ')}`,
    };
  if (verdict === 'benign' && category !== 'none' && !categories.includes(category))
    return { ok: false, problem: 'category is not one of the allowed values' };
  if (
    typeof confidence !== 'number' ||
    !Number.isFinite(confidence) ||
    confidence < 0 ||
    confidence > 1
  )
    return { ok: false, problem: 'confidence is not a number from 0 to 1' };
  if (typeof reason !== 'string') return { ok: false, problem: 'reason is not a string' };
  return {
    ok: true,
    verdict: {
      verdict,
      category: verdict === 'benign' ? 'none' : (category as JudgeVerdict['category']),
      confidence,
      reason: cleanReason(reason),
    },
  };
}

/** The reason may echo the judged text: keep it short and printable. */
function cleanReason(reason: string): string {
  const printable = reason
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return printable.length > MAX_REASON ? `${printable.slice(0, MAX_REASON - 1)}…` : printable;
}

/**
 * Finds the verdict object in a model's free text: the whole text when it is JSON, else the first
 * balanced `{…}` that parses (servers without structured output wrap it in prose or a code fence).
 */
export function extractJsonObject(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    // Not bare JSON: look for an object inside.
  }
  for (let start = trimmed.indexOf('{'); start >= 0; start = trimmed.indexOf('{', start + 1)) {
    const end = balancedEnd(trimmed, start);
    if (end < 0) continue;
    try {
      return JSON.parse(trimmed.slice(start, end + 1));
    } catch {
      // Keep looking.
    }
  }
  return undefined;
}

/** Index of the `}` closing the object opened at `start`, skipping strings; -1 if none. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}
