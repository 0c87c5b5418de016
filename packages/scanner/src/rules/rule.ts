import type { ArgumentRole, Category, ScanKind, Severity } from '../types.js';

/**
 * The view of the text a rule matches against.
 * - `raw`: the original text, unchanged (secrets, PII, tool arguments: case and bytes matter).
 *   Decoded payloads (base64, hex, URL-encoding, HTML entities) are offered as raw text too.
 * - `folded`: NFKC, invisible/bidi/tag characters removed, confusables folded to Latin, diacritics
 *   removed from Latin letters, lower-cased. Also offered de-leeted, de-spaced and ROT13-decoded.
 *   Non-ASCII characters in a folded rule's pattern and keywords are folded the same way when the
 *   rule is compiled, so rules are written in plain lower-case text in any script.
 */
export type RuleTarget = 'raw' | 'folded';

/** What a rule knows about where the text sits. */
export interface RuleContext {
  kind: ScanKind;
  /** For tool arguments: what the argument is used as. */
  role?: ArgumentRole;
  tool?: string;
  /** For tool arguments: the argument's name (last path segment). */
  argument?: string;
}

interface RuleBase {
  /** Stable id, `family.name`, e.g. `pi.ignore-previous`. Never reused for another meaning. */
  id: string;
  category: Category;
  severity: Severity;
  /** One line, written by us: why this matters. */
  rationale: string;
  /** Confidence when the rule matches, 0..1 (default 0.9). */
  score?: number;
  /** Surfaces the rule applies to; absent means all. */
  kinds?: readonly ScanKind[];
  /** For `tool_args`: argument roles the rule applies to; absent means all roles. */
  roles?: readonly ArgumentRole[];
  target: RuleTarget;
}

/**
 * A regular expression rule. It runs only where one of its keywords occurs (a literal prefilter),
 * on a window around that occurrence, so the pack stays fast as it grows.
 */
export interface PatternRule extends RuleBase {
  type: 'pattern';
  /**
   * Literals, at least one of which every match contains. Matched case-insensitively.
   * An empty list means "always run" — only for cheap patterns.
   */
  keywords: readonly string[];
  /** Must not carry the `g` or `y` flag (the engine adds them). Checked for ReDoS in the tests. */
  pattern: RegExp;
  /** Characters before and after a keyword hit that a match may extend to (default 256 each). */
  window?: number;
  /** Rejects a match (`false`) or sets its score (a number). */
  validate?: (match: RegExpExecArray, context: RuleContext) => boolean | number;
  /**
   * Promise that `validate` reads no further than this many characters either side of the match.
   * The engine then reuses a verdict for a match with the same neighbourhood in the same text, so
   * a costly validator stays cheap on a flood of one repeated phrase.
   */
  validateReach?: number;
}

/** One hit of a detector, in the coordinates of the text it was given. */
export interface RuleHit {
  start: number;
  end: number;
  score?: number;
}

/** A rule written as code: validation-heavy checks (Luhn, entropy, IP parsing) or structure. */
export interface DetectorRule extends RuleBase {
  type: 'detector';
  /** When present, the detector runs only if one of them occurs in the text. */
  keywords?: readonly string[];
  /** Must run in time linear in `text.length`. */
  detect: (text: string, context: RuleContext) => Iterable<RuleHit>;
}

export type Rule = PatternRule | DetectorRule;
