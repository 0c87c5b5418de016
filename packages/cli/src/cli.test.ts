import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanErrorLineSchema, ScanResultLineSchema } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { runCaptured } from './testing/capture-io.js';

const run = (args: string[], stdin = '') => runCaptured((io) => runCli(args, io), stdin);

const directory = mkdtempSync(join(tmpdir(), 'warden-cli-'));

describe('warden scan', () => {
  it('prints findings and exits 1 when the decision is block', async () => {
    const result = await run([
      'scan',
      'Hidden order:\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^BLOCK/);
    expect(result.stdout).toContain('obfuscation.unicode-tags');
    // Invisible characters are shown escaped, never printed raw to the terminal.
    expect(result.stdout).toContain('\\u{e0069}');
  });

  it('exits 0 on allowed text and reads standard input when TEXT is absent', async () => {
    const result = await run(['scan', '--json'], 'What time is it in Lisbon?');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'allow',
      findings: [],
      layers: ['l1', 'l2'],
    });
  });

  it('scans a tool call given as JSON arguments', async () => {
    const result = await run([
      'scan',
      '--kind',
      'tool_args',
      '--tool',
      'fetch_url',
      '--json',
      '{"url": "https://example.com/docs?page=2"}',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).decision).toBe('allow');
  });

  it('applies a YAML policy and reports a bad one by field, exit 2', async () => {
    const good = join(directory, 'monitor.yaml');
    writeFileSync(good, 'version: 1\nname: watch-only\nmode: monitor\n');
    const monitored = await run([
      'scan',
      '--policy',
      good,
      '--json',
      'x\u{E0069}\u{E0067}\u{E006E}',
    ]);
    expect(monitored.code).toBe(0);
    expect(JSON.parse(monitored.stdout)).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
    });

    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nseverityActions:\n  high: blok\n');
    const rejected = await run(['scan', '--policy', bad, 'hello']);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('WARDEN_POLICY_INVALID');
    expect(rejected.stderr).toContain(
      'severityActions.high: expected one of "allow", "alert", "redact", "block", got "blok"',
    );

    const broken = join(directory, 'broken.yaml');
    writeFileSync(broken, 'version: 1\nmode: [unclosed\n');
    const unparsable = await run(['scan', '--policy', broken, 'hello']);
    expect(unparsable.code).toBe(2);
    expect(unparsable.stderr).toContain('is not valid YAML');
  });

  it('rejects unknown options, kinds and layers with exit 2', async () => {
    expect((await run(['scan', '--nope', 'x'])).code).toBe(2);
    expect((await run(['scan', '--kind', 'chat', 'x'])).stderr).toContain('Unknown --kind "chat"');
    expect((await run(['scan', '--layers', 'l9', 'x'])).stderr).toContain('Unknown layer "l9"');
    expect((await run(['scan', '--layers', 'l2', 'x'])).stderr).toContain('Layers must include l1');
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('warden scan --jsonl', () => {
  it('writes one contract line per input line, in order, and an error line for bad ones', async () => {
    const lines = [
      { id: 'a', text: 'Plain question about tides.' },
      { id: 2, text: 'tagged\u{E0068}\u{E0069}\u{E0064}\u{E0065}', kind: 'input', label: 1 },
      { id: 'c', text: 'ls -la', kind: 'tool_args', tool: 'run_shell', argument: 'command' },
      { id: 'd', kind: 'output' },
      { id: 'e', text: 'x', kind: 'tool_args' },
    ];
    const input = `${lines.map((line) => JSON.stringify(line)).join('\n')}\nnot json\n`;
    const result = await run(['scan', '--jsonl', '-'], input);
    expect(result.code).toBe(0);
    const output = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(output).toHaveLength(6);
    for (const line of output.slice(0, 3))
      expect(ScanResultLineSchema.strict().parse(line)).toEqual(line);
    expect(output.slice(0, 3).map((line) => [line.id, line.flagged])).toEqual([
      ['a', false],
      [2, true],
      ['c', false],
    ]);
    expect(output[1]).toMatchObject({ decision: 'block', categories: ['obfuscation'] });
    expect(output[1].findings[0]).toEqual({
      ruleId: 'obfuscation.unicode-tags',
      category: 'obfuscation',
      layer: 'l1',
      score: 0.95,
    });
    for (const line of output.slice(3)) expect(ScanErrorLineSchema.parse(line)).toEqual(line);
    expect(output[3].error.message).toContain('line 4: text');
    expect(output[4].error.message).toContain('needs a tool name');
    expect(output[5]).toEqual({
      id: null,
      error: { code: 'WARDEN_INPUT_INVALID', message: 'line 6: not valid JSON' },
    });
    expect(result.stderr).toContain('3 line(s) could not be scanned');
  });

  it('reports a missing file clearly', async () => {
    const result = await run(['scan', '--jsonl', join(directory, 'missing.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot read');
  });
});

describe('warden policy and rules', () => {
  it('prints the default policy, which validates', async () => {
    const printed = await run(['policy', 'default']);
    const file = join(directory, 'default.yaml');
    writeFileSync(file, printed.stdout);
    const validated = await run(['policy', 'validate', file]);
    expect(validated).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('valid policy "warden-default"'),
    });
  });

  it('rejects a policy that names a rule that does not exist', async () => {
    const file = join(directory, 'typo.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, rules: { 'pi.ignore-previus': { enabled: false } } }),
    );
    const result = await run(['policy', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('rules.pi.ignore-previus: no rule has this id');
  });

  it('lists the rules as JSON', async () => {
    const rules = JSON.parse((await run(['rules', '--json'])).stdout) as Array<{ id: string }>;
    expect(rules.map((rule) => rule.id)).toContain('obfuscation.unicode-tags');
  });
});
