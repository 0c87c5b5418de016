import type { Category, Decision, Layer, ScanKind, Severity } from '../types.js';

/** What happens when a layer that can fail (a rule, the model, the judge) does fail. */
export type FailMode = 'open' | 'closed';

/** Per-category settings. Every field is optional; absent fields fall back to the policy's defaults. */
export interface CategoryPolicy {
  /** `false` ignores the category entirely (findings are still reported). */
  enabled?: boolean;
  /** The action for findings of this category, overriding `severityActions`. */
  action?: Decision;
  /** Actions per surface, overriding `action` (e.g. PII allowed in input, redacted in output). */
  surfaces?: Partial<Record<ScanKind, Decision>>;
  /** Findings scoring below this are recorded but do not act. */
  minScore?: number;
  /** Findings below this severity are recorded but do not act. */
  minSeverity?: Severity;
  /** Whether `redact` is allowed for this category; when `false` a redact action becomes `alert`. */
  redact?: boolean;
}

/** Per-rule overrides, keyed by rule id. */
export interface RulePolicy {
  enabled?: boolean;
  action?: Decision;
  minScore?: number;
}

/** Which tools an agent may call. Names may use `*` as a wildcard. */
export interface ToolPolicy {
  /** What happens to a tool no list mentions. */
  default?: 'allow' | 'deny';
  allow?: string[];
  deny?: string[];
  allowTags?: string[];
  denyTags?: string[];
  /** Tags per tool name, merged with the tags a scan input carries. */
  tags?: Record<string, string[]>;
}

/** When a scan goes to the LLM judge (layer l3). See docs/judge.md. */
export interface JudgePolicy {
  /**
   * `band` (default): when the strongest local score of `categories` lies within `band`, or the
   * tool matches `tools`. `always`: every scan of the `surfaces`. `never`: the judge is off.
   * A scan the local layers already block is never sent.
   */
  escalate: 'never' | 'band' | 'always';
  /** Inclusive `[low, high]` range of local scores that are ambiguous enough to ask the judge. */
  band: [number, number];
  /** Categories whose findings' scores are compared with the band. */
  categories: Category[];
  /** Surfaces that may be judged. */
  surfaces: ScanKind[];
  /** Tools (`*` as a wildcard) whose calls and results are judged whatever the score. */
  tools: string[];
}

/** A declarative, versioned scanning policy. See docs/policy.md. */
export interface Policy {
  /** Policy format version. Only `1` exists. */
  version: 1;
  name: string;
  /** A label of your own for this revision (a date, a git sha). */
  revision?: string;
  /** `monitor` never blocks or redacts: it alerts and records what it would have done. */
  mode: 'enforce' | 'monitor';
  /** The action for a finding of each severity, unless its category or rule says otherwise. */
  severityActions: Record<Severity, Decision>;
  /** Findings scoring below this are recorded but do not act, unless a category or rule says otherwise. */
  minScore: number;
  categories: Partial<Record<Category, CategoryPolicy>>;
  rules: Record<string, RulePolicy>;
  tools: ToolPolicy;
  failMode: Record<Layer, FailMode>;
  judge: JudgePolicy;
}

/** A policy as written by a user: everything but `version` may be left out. */
export type PolicyInput = { version: 1 } & Partial<Omit<Policy, 'version' | 'judge'>> & {
    judge?: Partial<JudgePolicy>;
  };
