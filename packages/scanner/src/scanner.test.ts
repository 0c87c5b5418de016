import { describe, expect, it } from 'vitest';
import { isWardenError } from './errors.js';
import type { Rule } from './rules/rule.js';
import { createScanner } from './scanner.js';

// Test-only rules with ids of their own, so these tests pin the engine, not the built-in pack.
const OPEN_SESAME: Rule = {
  id: 'test.open-sesame',
  type: 'pattern',
  category: 'prompt_injection',
  severity: 'high',
  target: 'folded',
  rationale: 'Test rule: the magic words.',
  keywords: ['sesame'],
  pattern: /open\s+sesame/,
};

const PASSWORD_SHAPE: Rule = {
  id: 'test.password-shape',
  type: 'pattern',
  category: 'secret',
  severity: 'high',
  target: 'raw',
  rationale: 'Test rule: a made-up credential format.',
  keywords: ['pw_'],
  pattern: /pw_[A-Z0-9]{8}/,
};

const SHELL_ONLY: Rule = {
  id: 'test.shell-semicolon',
  type: 'pattern',
  category: 'shell_injection',
  severity: 'high',
  target: 'raw',
  kinds: ['tool_args'],
  roles: ['shell'],
  rationale: 'Test rule: a semicolon in a shell argument.',
  keywords: [';'],
  pattern: /;\s*\w+/,
};

const EXPLODES: Rule = {
  id: 'test.explodes',
  type: 'detector',
  category: 'jailbreak',
  severity: 'low',
  target: 'raw',
  rationale: 'Test rule: always throws.',
  keywords: ['kaboom'],
  detect: () => {
    throw new Error('boom');
  },
};

const rules = [OPEN_SESAME, PASSWORD_SHAPE, SHELL_ONLY, EXPLODES];
const scanner = createScanner({ rules });

function ids(text: string) {
  return scanner.scan(text).findings.filter((finding) => finding.ruleId.startsWith('test.'));
}

describe('createScanner().scan', () => {
  it('reports a finding with its span in the original text', () => {
    const text = 'Please OPEN   Sesame now';
    const result = scanner.scan(text);
    const finding = result.findings.find((item) => item.ruleId === 'test.open-sesame');
    expect(finding).toMatchObject({
      category: 'prompt_injection',
      severity: 'high',
      layer: 'l1',
      action: 'block',
    });
    expect(text.slice(finding!.span.start, finding!.span.end)).toBe('OPEN   Sesame');
    expect(result.decision).toBe('block');
    expect(result.matchedRule).toBe('test.open-sesame');
    expect(result.layers).toEqual(['l1', 'l2']);
  });

  it('sees through homoglyphs, invisible characters, leetspeak, spacing and ROT13', () => {
    for (const text of [
      'оpen sеsame',
      'op\u200Ben ses\u200Bame',
      '0p3n 5354m3',
      'o p e n   s e s a m e',
      'bcra frfnzr',
    ]) {
      expect(
        ids(text).map((finding) => finding.ruleId),
        text,
      ).toContain('test.open-sesame');
    }
    const leet = ids('0p3n 5354m3')[0]!;
    expect(leet.encodings).toEqual(['leetspeak']);
  });

  it('decodes base64, hex, percent-encoding, HTML entities and tag characters, with bounded depth', () => {
    const base64 = btoa('open sesame');
    const hex = [...'open sesame'].map((char) => char.charCodeAt(0).toString(16)).join('');
    const tags = [...'open sesame']
      .map((char) => String.fromCodePoint(0xe0000 + char.charCodeAt(0)))
      .join('');
    expect(ids(`note: ${base64}`)[0]).toMatchObject({
      encodings: ['base64'],
      span: { start: 6, end: 6 + base64.length },
    });
    expect(ids(hex)[0]?.encodings).toEqual(['hex']);
    expect(ids('open%20sesame%20now%20please')[0]?.encodings).toEqual(['url']);
    expect(ids('open&#32;sesame&#32;now')[0]?.encodings).toEqual(['html-entities']);
    expect(ids(`hi${tags}`).map((finding) => finding.encodings)).toContainEqual(['unicode-tags']);
    // base64 inside base64: two levels are decoded by default, a third is not.
    const twice = btoa(btoa('open sesame'));
    expect(ids(twice)[0]?.encodings).toEqual(['base64', 'base64']);
    expect(ids(btoa(twice))).toEqual([]);
    expect(
      createScanner({ rules, maxDecodeDepth: 3 }).scan(btoa(twice)).findings[0]?.encodings,
    ).toEqual(['base64', 'base64', 'base64']);
  });

  it('matches raw rules case-sensitively on the original text', () => {
    expect(ids('token pw_AB12CD34 here').map((finding) => finding.ruleId)).toEqual([
      'test.password-shape',
    ]);
    expect(ids('token pw_ab12cd34 here')).toEqual([]);
  });

  it('reports a rule that fails as an error, never as clean, and fails closed by default', () => {
    const result = scanner.scan('kaboom');
    expect(result.errors).toEqual([
      expect.objectContaining({ ruleId: 'test.explodes', code: 'WARDEN_RULE_FAILED', layer: 'l1' }),
    ]);
    expect(result.decision).toBe('block');
    expect(result.matchedRule).toBe('policy.fail-closed');
    const failOpen = createScanner({ rules, policy: { version: 1, failMode: { l1: 'open' } } });
    expect(failOpen.scan('kaboom').decision).toBe('alert');
  });

  it('reports a rule that a keyword flood pushes past its validation budget as failed', () => {
    const picky: Rule = {
      ...OPEN_SESAME,
      id: 'test.picky',
      keywords: ['knock'],
      pattern: /knock/,
      validate: () => false,
    };
    const flooded = createScanner({ rules: [picky] }).scan('knock '.repeat(6000));
    expect(flooded.errors.map((error) => error.ruleId)).toEqual(['test.picky']);
    expect(flooded.decision).toBe('block');
    expect(createScanner({ rules: [picky] }).scan('knock '.repeat(100)).errors).toEqual([]);
  });

  it('runs tool-argument rules only on arguments of the right role, and reports the path', () => {
    const result = scanner.scan({
      kind: 'tool_args',
      tool: 'run_shell',
      arguments: { command: 'ls; whoami' },
    });
    expect(
      result.findings.find((finding) => finding.ruleId === 'test.shell-semicolon'),
    ).toMatchObject({
      path: 'command',
      span: { start: 2, end: 10 },
    });
    const message = scanner.scan({
      kind: 'tool_args',
      tool: 'send_message',
      arguments: { body: 'hi; there' },
    });
    expect(message.findings.some((finding) => finding.ruleId === 'test.shell-semicolon')).toBe(
      false,
    );
    const text = scanner.scan({ kind: 'input', text: 'ls; whoami' });
    expect(text.findings.some((finding) => finding.ruleId === 'test.shell-semicolon')).toBe(false);
  });

  it('walks nested arguments and JSON strings', () => {
    const result = scanner.scan({
      kind: 'tool_args',
      tool: 'run_shell',
      arguments: JSON.stringify({ steps: [{ command: 'echo ok' }, { command: 'cd /; rm x' }] }),
    });
    expect(result.findings.find((finding) => finding.ruleId === 'test.shell-semicolon')?.path).toBe(
      'steps[1].command',
    );
  });

  it('redacts text and tool arguments when the policy says redact', () => {
    const result = scanner.scan({ kind: 'output', text: 'use pw_AB12CD34 and pw_ZZ99YY88.' });
    expect(result.decision).toBe('redact');
    expect(result.redactedText).toBe('use [REDACTED:secret] and [REDACTED:secret].');
    const call = scanner.scan({
      kind: 'tool_args',
      tool: 'send_email',
      arguments: { body: 'pw_AB12CD34', to: ['x'] },
    });
    expect(call.redactedArguments).toEqual({ body: '[REDACTED:secret]', to: ['x'] });
  });

  it('in monitor mode alerts instead of blocking and records what enforce would do', () => {
    const monitor = createScanner({ rules, policy: { version: 1, mode: 'monitor' } });
    const result = monitor.scan('open sesame');
    expect(result).toMatchObject({ decision: 'alert', policyDecision: 'block', mode: 'monitor' });
  });

  it('applies tool allow and deny lists by name, wildcard and tag', () => {
    const guarded = createScanner({
      rules,
      policy: {
        version: 1,
        tools: {
          default: 'deny',
          allow: ['read_*'],
          deny: ['read_secrets'],
          allowTags: ['safe'],
          denyTags: ['destructive'],
          tags: { wipe_disk: ['destructive'] },
        },
      },
    });
    const decide = (tool: string, tags?: string[]) =>
      guarded.scan({ kind: 'tool_args', tool, arguments: {}, ...(tags ? { tags } : {}) });
    expect(decide('read_file').decision).toBe('allow');
    expect(decide('read_secrets').matchedRule).toBe('policy.tool-denied');
    expect(decide('wipe_disk').matchedRule).toBe('policy.tool-denied-tag');
    expect(decide('calculator', ['safe']).decision).toBe('allow');
    expect(decide('calculator').matchedRule).toBe('policy.tool-not-allowed');
  });

  it('scans long inputs in overlapping windows without losing the tail or a match across a boundary', () => {
    const small = createScanner({ rules, windowLength: 4096, windowOverlap: 512 });
    const filler = 'x '.repeat(2048); // 4096 characters: the magic words straddle the first boundary
    const text = `${filler.slice(0, 4090)}open sesame${filler}open sesame`;
    const found = small
      .scan(text)
      .findings.filter((finding) => finding.ruleId === 'test.open-sesame');
    expect(found.map((finding) => finding.span.start)).toEqual([4090, text.length - 11]);
  });

  it('rejects bad input and bad configuration with stable codes', () => {
    const codeOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return isWardenError(error) ? error.code : 'not a WardenError';
      }
      return 'did not throw';
    };
    expect(codeOf(() => scanner.scan({ kind: 'nope' } as never))).toBe('WARDEN_INPUT_INVALID');
    expect(codeOf(() => scanner.scan({ kind: 'tool_args', arguments: {} } as never))).toBe(
      'WARDEN_INPUT_INVALID',
    );
    expect(codeOf(() => scanner.scan({ kind: 'output' } as never))).toBe('WARDEN_INPUT_INVALID');
    expect(codeOf(() => createScanner({ layers: ['l2'] }))).toBe('WARDEN_INPUT_INVALID');
    expect(codeOf(() => createScanner({ rules: [OPEN_SESAME, OPEN_SESAME] }))).toBe(
      'WARDEN_RULE_INVALID',
    );
    expect(codeOf(() => createScanner({ rules: [{ ...OPEN_SESAME, pattern: /x/g }] }))).toBe(
      'WARDEN_RULE_INVALID',
    );
    expect(
      codeOf(() =>
        createScanner({ policy: { version: 1, rules: { 'no.such-rule': { enabled: false } } } }),
      ),
    ).toBe('WARDEN_POLICY_INVALID');
  });

  it('honours per-rule and per-category overrides', () => {
    const relaxed = createScanner({
      rules,
      policy: {
        version: 1,
        rules: { 'test.open-sesame': { action: 'alert' } },
        categories: { secret: { enabled: false } },
      },
    });
    expect(relaxed.scan('open sesame').decision).toBe('alert');
    expect(relaxed.scan({ kind: 'output', text: 'pw_AB12CD34' }).decision).toBe('allow');
  });
});
