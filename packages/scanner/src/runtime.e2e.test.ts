import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', 'dist');

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the built scanner runs outside Node', () => {
  it('imports nothing from Node or anywhere else', () => {
    const sources = filesUnder(dist).filter((path) => path.endsWith('.js'));
    expect(sources.length).toBeGreaterThan(5);
    for (const path of sources) {
      const code = readFileSync(path, 'utf8');
      const imports = [
        ...code.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g),
      ].map((match) => match[1]!);
      expect(
        imports.filter((specifier) => !specifier.startsWith('.')),
        path,
      ).toEqual([]);
      // Node globals used as code (a quoted 'process.env' in a placeholder list is fine).
      expect(code, path).not.toMatch(/(?<![\w'"`.])(?:process\.|Buffer\.|__dirname|__filename)/);
    }
  });

  it('bundles for a neutral platform and scans inside a bare JavaScript context', async () => {
    const bundle = await build({
      entryPoints: [join(dist, 'index.js')],
      bundle: true,
      platform: 'neutral',
      format: 'iife',
      globalName: 'Warden',
      write: false,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]!.text;
    // Only what every browser and edge runtime has: no require, process or Buffer.
    const context = { TextDecoder, performance, console, result: undefined as unknown };
    runInNewContext(
      `${code}\nresult = Warden.createScanner().scan({ kind: 'input', text: 'hello \\u{E0069}\\u{E0067}' });`,
      context,
    );
    expect(context.result).toMatchObject({ layers: ['l1', 'l2'], errors: [] });
    expect(
      (context.result as { findings: Array<{ ruleId: string }> }).findings.map(
        (finding) => finding.ruleId,
      ),
    ).toContain('obfuscation.unicode-tags');
  });
});
