import { WardenError } from '../errors.js';
import { foldRuleSource, foldText } from '../normalize/fold.js';
import type { Rule, RuleTarget } from '../rules/rule.js';
import { CATEGORIES, SEVERITIES } from '../types.js';
import { type KeywordFilter, KeywordMatcher } from './aho-corasick.js';

export interface CompiledRule {
  rule: Rule;
  /** The pattern with the `g` flag, its non-ASCII characters folded for `folded` rules. */
  regex: RegExp | null;
  window: number;
  score: number;
}

/** Keyword index for one target: which rules each keyword wakes up. */
export interface TargetIndex {
  keywordRules: number[][];
  keywordLengths: number[];
  /** Rules of this target that run without a keyword hit. */
  alwaysRules: number[];
}

/**
 * The pack as one surface (a scan kind and argument role) sees it: only the rules that apply
 * there, and keyword filters so that keywords of other surfaces' rules (`on`, `or` of the XSS
 * and SQL rules in a prompt) cost nothing.
 */
export interface SurfaceIndex {
  raw: TargetIndex;
  folded: TargetIndex;
  combinedFilter: KeywordFilter;
  readonly rawFilter: KeywordFilter;
  readonly foldedFilter: KeywordFilter;
}

export interface RulePack {
  rules: CompiledRule[];
  raw: TargetIndex;
  folded: TargetIndex;
  readonly rawMatcher: KeywordMatcher;
  /** Folded keywords, then their ROT13 forms (ids from `folded.keywordLengths.length` on). */
  readonly foldedMatcher: KeywordMatcher;
  /** Raw, folded, then ROT13 keywords: one pass serves every target on ASCII text. */
  combinedMatcher: KeywordMatcher;
  /** The index for the rules marked 1 in `applicable`; built once per mask object. */
  surface(applicable: Uint8Array): SurfaceIndex;
  /**
   * How far a change in the text can move a folded rule's result: its longest keyword plus its
   * widest window. Variants are keyword-scanned only this close to where they differ.
   */
  foldedReach: number;
}

/** `index` restricted to the applicable rules. */
function restrict(index: TargetIndex, applicable: Uint8Array): TargetIndex {
  return {
    keywordRules: index.keywordRules.map((rules) =>
      rules.filter((ruleIndex) => applicable[ruleIndex] === 1),
    ),
    keywordLengths: index.keywordLengths,
    alwaysRules: index.alwaysRules.filter((ruleIndex) => applicable[ruleIndex] === 1),
  };
}

/** 1 for each keyword that wakes a rule of `index`; `extra` trailing ids (ROT13 forms) stay on. */
function activeKeywords(index: TargetIndex, extra: number): Uint8Array {
  const active = new Uint8Array(index.keywordRules.length + extra);
  index.keywordRules.forEach((rules, id) => {
    if (rules.length > 0) active[id] = 1;
  });
  active.fill(1, index.keywordRules.length);
  return active;
}

function buildSurface(pack: RulePack, applicable: Uint8Array, rot13Count: number): SurfaceIndex {
  const raw = restrict(pack.raw, applicable);
  const folded = restrict(pack.folded, applicable);
  const rawActive = activeKeywords(raw, 0);
  const foldedActive = activeKeywords(folded, rot13Count);
  const combinedActive = new Uint8Array(rawActive.length + foldedActive.length);
  combinedActive.set(rawActive);
  combinedActive.set(foldedActive, rawActive.length);
  let rawFilter: KeywordFilter | undefined;
  let foldedFilter: KeywordFilter | undefined;
  return {
    raw,
    folded,
    combinedFilter: pack.combinedMatcher.filter(combinedActive),
    // Non-ASCII text only: built on first use, like the matchers.
    get rawFilter() {
      rawFilter ??= pack.rawMatcher.filter(rawActive);
      return rawFilter;
    },
    get foldedFilter() {
      foldedFilter ??= pack.foldedMatcher.filter(foldedActive);
      return foldedFilter;
    },
  };
}

const RULE_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const DEFAULT_WINDOW = 256;
const DEFAULT_SCORE = 0.9;

function invalid(rule: Rule, message: string): WardenError {
  return new WardenError('WARDEN_RULE_INVALID', `Rule "${rule.id}": ${message}`);
}

function checkRule(rule: Rule, seen: Set<string>): void {
  if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id)) {
    throw new WardenError(
      'WARDEN_RULE_INVALID',
      `Rule id ${JSON.stringify(rule.id)} is invalid: use lower-case words joined by "." or "-", e.g. "pi.ignore-previous".`,
    );
  }
  if (seen.has(rule.id)) throw invalid(rule, 'the id is used by another rule; ids must be unique.');
  seen.add(rule.id);
  if (!(CATEGORIES as readonly string[]).includes(rule.category)) {
    throw invalid(
      rule,
      `unknown category "${rule.category}"; expected one of ${CATEGORIES.join(', ')}.`,
    );
  }
  if (!SEVERITIES.includes(rule.severity)) {
    throw invalid(
      rule,
      `unknown severity "${rule.severity}"; expected one of ${SEVERITIES.join(', ')}.`,
    );
  }
  if (rule.score !== undefined && !(rule.score >= 0 && rule.score <= 1)) {
    throw invalid(rule, 'score must be a number between 0 and 1.');
  }
  if (rule.type === 'pattern' && /[gy]/.test(rule.pattern.flags)) {
    throw invalid(rule, 'the pattern must not carry the "g" or "y" flag; the engine adds "g".');
  }
}

function foldKeyword(keyword: string, target: RuleTarget): string {
  return target === 'folded' ? foldText(keyword).text : keyword.toLowerCase();
}

/** Validates rules and builds their keyword automata. Throws WARDEN_RULE_INVALID on a bad rule. */
export function compileRules(rules: readonly Rule[]): RulePack {
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  const keywordIds = { raw: new Map<string, number>(), folded: new Map<string, number>() };
  const raw: TargetIndex = { keywordRules: [], keywordLengths: [], alwaysRules: [] };
  const folded: TargetIndex = { keywordRules: [], keywordLengths: [], alwaysRules: [] };

  rules.forEach((rule, index) => {
    checkRule(rule, seen);
    const target = rule.target;
    const targetIndex = target === 'raw' ? raw : folded;
    let regex: RegExp | null = null;
    if (rule.type === 'pattern') {
      const source =
        target === 'folded' ? foldRuleSource(rule.pattern.source) : rule.pattern.source;
      try {
        regex = new RegExp(source, `${rule.pattern.flags}g`);
      } catch (error) {
        throw new WardenError(
          'WARDEN_RULE_INVALID',
          `Rule "${rule.id}": the folded pattern does not compile.`,
          {
            cause: error,
          },
        );
      }
    }
    compiled.push({
      rule,
      regex,
      // 0 marks a detector (it reads the whole text); a pattern's window is at least 1.
      window: rule.type === 'pattern' ? Math.max(1, rule.window ?? DEFAULT_WINDOW) : 0,
      score: rule.score ?? DEFAULT_SCORE,
    });

    const keywords = rule.keywords ?? [];
    if (keywords.length === 0) {
      targetIndex.alwaysRules.push(index);
      return;
    }
    for (const keyword of keywords) {
      const key = foldKeyword(keyword, target);
      if (key.length === 0)
        throw invalid(rule, `keyword ${JSON.stringify(keyword)} is empty once folded.`);
      const ids = keywordIds[target];
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        targetIndex.keywordRules.push([]);
        targetIndex.keywordLengths.push(key.length);
      }
      const wakes = targetIndex.keywordRules[id]!;
      if (!wakes.includes(index)) wakes.push(index);
    }
  });

  const rawKeywords = [...keywordIds.raw.keys()];
  const foldedKeywords = [...keywordIds.folded.keys()];
  // A ciphered keyword in the text is what makes decoding ROT13 worth it; short ones would
  // fire on ordinary words, so only keywords with four letters or more are enciphered.
  const rot13Keywords = [
    ...new Set(
      foldedKeywords
        .filter((keyword) => (keyword.match(/[a-z]/g) ?? []).length >= 4)
        .map((keyword) =>
          keyword.replace(/[a-z]/g, (char) =>
            String.fromCharCode(((char.charCodeAt(0) - 84) % 26) + 97),
          ),
        ),
    ),
  ].filter((keyword) => !keywordIds.folded.has(keyword));
  let rawMatcher: KeywordMatcher | undefined;
  let foldedMatcher: KeywordMatcher | undefined;
  const surfaces = new WeakMap<Uint8Array, SurfaceIndex>();
  const surfacesByContent = new Map<string, SurfaceIndex>();
  let foldedReach = 0;
  for (const { rule, window } of compiled) {
    if (rule.target === 'folded') foldedReach = Math.max(foldedReach, window);
  }
  foldedReach += Math.max(0, ...folded.keywordLengths);
  const pack: RulePack = {
    rules: compiled,
    foldedReach,
    raw,
    folded,
    // Built on first use: ASCII text (most traffic) only ever needs the combined automaton.
    get rawMatcher() {
      rawMatcher ??= new KeywordMatcher(rawKeywords);
      return rawMatcher;
    },
    get foldedMatcher() {
      foldedMatcher ??= new KeywordMatcher([...foldedKeywords, ...rot13Keywords]);
      return foldedMatcher;
    },
    combinedMatcher: new KeywordMatcher([...rawKeywords, ...foldedKeywords, ...rot13Keywords]),
    surface(applicable) {
      let surface = surfaces.get(applicable);
      if (surface === undefined) {
        // A new mask object with known contents reuses the index built for them.
        const key = applicable.join('');
        surface = surfacesByContent.get(key);
        if (surface === undefined) {
          surface = buildSurface(pack, applicable, rot13Keywords.length);
          surfacesByContent.set(key, surface);
        }
        surfaces.set(applicable, surface);
      }
      return surface;
    },
  };
  return pack;
}
