import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtrackingVerdict } from './backtracking.js';

describe('backtrackingVerdict', () => {
  it('analyses a pattern it has not seen and reports what is wrong', () => {
    expect(backtrackingVerdict('^(?:a|a)*$')).toMatch(/^vulnerable, exponential/);
    expect(backtrackingVerdict(String.raw`^\s*x\s*\s*y$`)).toMatch(/^vulnerable, polynomial/);
  });

  it('reports safe patterns as safe', () => {
    expect(backtrackingVerdict(String.raw`\bhello\s+world\b`, 'gu')).toBe('safe');
  });

  it('remembers verdicts as hashes only, never the patterns', () => {
    const lines = readFileSync(new URL('./backtracking-verdicts.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(100);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64}$/);
  });
});
