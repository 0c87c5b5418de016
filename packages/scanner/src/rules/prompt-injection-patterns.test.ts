import { describe, expect, it } from 'vitest';
import { foldRuleSource } from '../normalize/fold.js';
import { BACKTRACKING_CHECK_LIMIT_MS, backtrackingVerdict } from '../testing/backtracking.js';
import { PHRASE_SOURCES as INJECTION_PHRASES } from './prompt-injection.js';
import { patternAlternatives, QUOTATION_FRAME_PATTERNS } from './prompt-injection-context.js';
import { PHRASE_SOURCES as EXTRACTION_PHRASES } from './system-prompt-extraction.js';

/**
 * The rules' own patterns (anchor words) are checked by rules.test.ts. The phrase patterns that
 * their `validate` runs around an anchor only ever see a few hundred characters, but they are
 * held to the same standard, one alternative at a time: whole, they are too big to analyse in
 * reasonable time. Slow (minutes): recheck explores some 170 alternatives.
 */
describe('prompt-injection and extraction phrase patterns', () => {
  it.each(
    Object.entries({ ...INJECTION_PHRASES, ...EXTRACTION_PHRASES }).flatMap(([id, source]) =>
      patternAlternatives(source).map((part, index) => [`${id} #${index}`, part] as const),
    ),
  )(
    '%s is safe from catastrophic backtracking',
    (_name, source) => {
      expect(backtrackingVerdict(foldRuleSource(source))).toBe('safe');
    },
    BACKTRACKING_CHECK_LIMIT_MS,
  );
});

describe('the patterns that read who is quoted', () => {
  it.each(
    QUOTATION_FRAME_PATTERNS.map((pattern) => [pattern.source.slice(0, 40), pattern] as const),
  )(
    '%s… is safe from catastrophic backtracking',
    (_name, pattern) => {
      expect(backtrackingVerdict(pattern.source, pattern.flags)).toBe('safe');
    },
    BACKTRACKING_CHECK_LIMIT_MS,
  );
});
