import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../engine/compile.js';
import { BACKTRACKING_CHECK_LIMIT_MS, backtrackingVerdict } from '../testing/backtracking.js';
import { builtinRules } from './index.js';

const pack = compileRules(builtinRules);

describe('the built-in rule pack', () => {
  it('gives every rule a stable id, a category, a severity and a one-line rationale', () => {
    expect(builtinRules.length).toBeGreaterThan(50);
    for (const rule of builtinRules) {
      expect(rule.rationale.length, rule.id).toBeGreaterThan(20);
      expect(rule.rationale.length, rule.id).toBeLessThanOrEqual(240);
      expect(rule.rationale, rule.id).not.toContain('\n');
    }
  });

  it('documents every rule id in docs/scanner.md', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../../../docs/scanner.md'), 'utf8');
    const missing = builtinRules
      .filter((rule) => !docs.includes(`\`${rule.id}\``))
      .map((rule) => rule.id);
    expect(missing).toEqual([]);
  });

  // recheck explores each pattern for inputs that make a backtracking engine take
  // super-linear time; "safe" means it proved there are none.
  it.each(
    pack.rules
      .filter((compiled) => compiled.regex !== null)
      .map((compiled) => [compiled.rule.id, compiled.regex!] as const),
  )(
    '%s is safe from catastrophic backtracking',
    (_id, regex) => {
      expect(backtrackingVerdict(regex.source, regex.flags)).toBe('safe');
    },
    BACKTRACKING_CHECK_LIMIT_MS,
  );
});
