import type { Rule } from '../rules/rule.js';
import { createScanner } from '../scanner.js';
import type { ScanKind } from '../types.js';

type TextKind = Exclude<ScanKind, 'tool_args'>;

/** Layer 1 alone: rule tests are about the rules, not about what the model adds. */
const scanner = createScanner({ layers: ['l1'] });

/**
 * For a family's tests: the ids of these rules that fire on a text, sorted and without repeats
 * (findings of other families are not the test's business).
 * @example const fired = firedRules(jailbreakRules); expect(fired('…')).toEqual(['jailbreak.dan-persona'])
 */
export function firedRules(
  rules: readonly Rule[],
  defaultKind: TextKind = 'input',
): (text: string, kind?: TextKind) => string[] {
  const ids = new Set(rules.map((rule) => rule.id));
  return (text, kind = defaultKind) => {
    const found = scanner
      .scan({ kind, text })
      .findings.map((finding) => finding.ruleId)
      .filter((id) => ids.has(id));
    return [...new Set(found)].sort();
  };
}
