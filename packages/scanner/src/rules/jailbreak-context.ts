import { foldRuleSource } from '../normalize/fold.js';

/**
 * Helpers shared by the jailbreak and indirect-injection rules: reading the text around a match,
 * telling a request that *uses* a jailbreak from a question *about* one, and clause indexes
 * (cheap literal anchors for the engine, small regular expressions for `validate`).
 */

const compiled: RegExp[] = [];

/** The text around a match, `before` characters before it and `after` characters after it. */
export function around(match: RegExpExecArray, before: number, after: number): string {
  const start = Math.max(0, match.index - before);
  return match.input.slice(start, match.index + match[0].length + after);
}

/** Text before a match, up to `length` characters. */
export function preceding(match: RegExpExecArray, length: number): string {
  return match.input.slice(Math.max(0, match.index - length), match.index);
}

// Asking what a jailbreak is, or studying one, rather than running one.
const ABOUT_JAILBREAKS = foldedRegExp(
  /\b(?:what (?:is|are|was|does)|what's|explain|define|definition|describe|tell me about|history of|how (?:do|does|did|can|could|to) (?:i |we |you )?(?:detect|spot|recogni[sz]e|prevent|defend|block|stop|mitigate|classify)|research|paper|article|classifier|detector|examples? of)\b/
    .source,
);
// Addressing the model and giving it a role or an order: what a jailbreak does.
const DIRECT_ORDER = foldedRegExp(
  /\b(?:from now on|you (?:are|will|must|shall|should|can|have)|you'(?:re|ll)|act as|pretend|roleplay|role-play|stay in|respond|reply|answer (?:as|me|my|every|all|in)|let's play|immerse yourself)\b/
    .source,
);

/**
 * True when the text reads like a question or study about a jailbreak ("What is a DAN prompt?")
 * and does not itself order the model to take the role.
 */
export function isAboutJailbreaks(text: string): boolean {
  return ABOUT_JAILBREAKS.test(text) && !DIRECT_ORDER.test(text);
}

/**
 * A regular expression for the folded view, compiled the way the engine compiles a rule's own
 * pattern: non-ASCII characters folded (Cyrillic "е" → "e"), so Russian words still match.
 */
export function foldedRegExp(source: string, flags = ''): RegExp {
  const regex = new RegExp(foldRuleSource(source), flags);
  compiled.push(regex);
  return regex;
}

/**
 * Every regular expression built with `foldedRegExp` (clauses, word lists, context checks), for
 * the ReDoS test: the engine checks a rule's own pattern, not the ones its `validate` runs.
 */
export function foldedRegExps(): readonly RegExp[] {
  return compiled;
}

/** A pattern matching any of the literals: the cheap anchor a clause rule wakes up on. */
export function anyOf(literals: readonly string[]): RegExp {
  return new RegExp(
    literals.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  );
}

/**
 * A clause: one regular expression, or a head and a tail when the phrase has two gaps. The tail
 * must match (it is anchored with `^`) right after the head; splitting keeps each part small
 * enough for the ReDoS analyser to prove safe without fuzzing.
 */
export type Clause = string | readonly [head: string, tail: string];

/** Clauses that share the anchors (literals) any of their matches contains. */
export interface ClauseGroup {
  anchors: readonly string[];
  clauses: readonly Clause[];
  /** How far either side of the anchor a clause may reach (default: the caller's). */
  reach?: number;
}

interface CompiledClause {
  head: RegExp;
  tail: RegExp | null;
  reach: number | undefined;
}

/**
 * A set of clause groups compiled for a pattern rule: the rule's pattern and keywords are the
 * anchors alone (literal alternation, trivially linear), and `validate` runs only the clauses
 * of the groups the matched anchor belongs to, on a bounded window around it.
 */
export class ClauseIndex {
  readonly keywords: readonly string[];
  readonly pattern: RegExp;
  private readonly byAnchor = new Map<string, CompiledClause[]>();

  constructor(groups: readonly ClauseGroup[]) {
    const anchors = new Set<string>();
    for (const group of groups) {
      const clauses = group.clauses.map(
        (clause): CompiledClause =>
          typeof clause === 'string'
            ? { head: foldedRegExp(clause), tail: null, reach: group.reach }
            : {
                head: foldedRegExp(clause[0], 'g'),
                tail: foldedRegExp(clause[1]),
                reach: group.reach,
              },
      );
      for (const anchor of group.anchors) {
        const key = foldRuleSource(anchor);
        anchors.add(anchor);
        const list = this.byAnchor.get(key) ?? [];
        for (const clause of clauses) if (!list.includes(clause)) list.push(clause);
        this.byAnchor.set(key, list);
      }
    }
    // Longest first: an alternation stops at its first matching branch, and the clause list
    // is looked up by the exact anchor text matched.
    const sorted = [...anchors].sort((a, b) => b.length - a.length);
    this.keywords = sorted;
    this.pattern = anyOf(sorted);
  }

  /** The first clause of the anchor's groups that matches around it (for a split clause, its head). */
  find(anchor: RegExpExecArray, reach: number): RegExpExecArray | null {
    const clauses = this.byAnchor.get(anchor[0]);
    if (clauses === undefined) return null;
    const input = anchor.input;
    const end = anchor.index + anchor[0].length;
    for (const clause of clauses) {
      const span = clause.reach ?? reach;
      const window = input.slice(Math.max(0, anchor.index - span), end + span);
      if (clause.tail === null) {
        const found = clause.head.exec(window);
        if (found !== null) return found;
        continue;
      }
      clause.head.lastIndex = 0;
      for (let found = clause.head.exec(window); found !== null; found = clause.head.exec(window)) {
        if (clause.tail.test(window.slice(found.index + found[0].length))) return found;
        if (found[0].length === 0) clause.head.lastIndex++;
      }
    }
    return null;
  }

  /** One anchor pattern and keyword list for several indexes that share a rule. */
  static union(indexes: readonly ClauseIndex[]): { keywords: readonly string[]; pattern: RegExp } {
    const keywords = [...new Set(indexes.flatMap((index) => index.keywords))].sort(
      (a, b) => b.length - a.length,
    );
    return { keywords, pattern: anyOf(keywords) };
  }
}
