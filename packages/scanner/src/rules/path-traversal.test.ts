import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import type { Severity } from '../types.js';
import { analysePath } from './path-traversal.js';
import { percentDecodeRepeatedly } from './tool-args-decode.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });
const ACTING: readonly Severity[] = ['medium', 'high', 'critical'];

function scanPath(path: string): { acting: string[]; recorded: string[] } {
  const findings = scanner
    .scan({ kind: 'tool_args', tool: 'read_file', arguments: { path } })
    .findings.filter((finding) => finding.category === 'path_traversal');
  return {
    acting: findings.filter((finding) => ACTING.includes(finding.severity)).map((f) => f.ruleId),
    recorded: findings.map((finding) => finding.ruleId),
  };
}

describe('path decoding', () => {
  it('undoes double encoding, overlong UTF-8 and %u escapes', () => {
    expect(percentDecodeRepeatedly('%252e%252e%252f')).toBe('../');
    expect(percentDecodeRepeatedly('%c0%ae%c0%ae%c0%af')).toBe('../');
    expect(percentDecodeRepeatedly('%e0%80%ae%e0%80%ae/')).toBe('../');
    expect(percentDecodeRepeatedly('%%32%65%%32%65/')).toBe('../');
    expect(percentDecodeRepeatedly('%u002e%u002e%u2215')).toBe('..\u2215');
  });

  it('measures how far a path climbs', () => {
    expect(analysePath('../../a/b.md').escapeDepth).toBe(2);
    expect(analysePath('a/b/../../../c').escapeDepth).toBe(1);
    expect(analysePath('docs/./guide.md').escapeDepth).toBe(0);
    expect(analysePath('%2e%2e%5c%2e%2e%5cboot.ini').encoded).toBe(true);
  });
});

describe('path rules: attacks', () => {
  it.each([
    ['../../../../../../etc/passwd', 'path.traversal'],
    ['../../../../../../etc/passwd', 'path.sensitive-file'],
    ['..%2f..%2f..%2fetc%2fpasswd', 'path.traversal'],
    ['..%2f..%2f..%2fetc%2fpasswd', 'path.encoded-path'],
    ['%252e%252e%252fsecret.txt', 'path.traversal'],
    ['..%c0%af..%c0%afwindows/win.ini', 'path.encoded-path'],
    ['\uff0e\uff0e/\uff0e\uff0e/etc/hosts', 'path.traversal'],
    ['....//....//etc/hosts', 'path.traversal'],
    ['..\\..\\..\\Windows\\win.ini', 'path.traversal'],
    ['/var/www/../../etc/group', 'path.traversal'],
    ['../../../', 'path.traversal'],
    ['report.pdf%00.png', 'path.null-byte'],
    ['/proc/self/environ', 'path.sensitive-file'],
    ['C:\\Windows\\System32\\config\\SAM', 'path.sensitive-file'],
    ['/home/dev/.aws/credentials', 'path.sensitive-file'],
    ['~/.ssh/id_ed25519', 'path.sensitive-file'],
    ['/var/log/auth.log', 'path.system-location'],
    ['C:/inetpub/wwwroot/web.config', 'path.system-location'],
    ['.env', 'path.secrets-file'],
    ['config/.env.production', 'path.secrets-file'],
  ])('flags %j as %s', (path, ruleId) => {
    expect(scanPath(path).acting).toContain(ruleId);
  });
});

describe('path rules: ordinary paths', () => {
  it.each([
    'src/index.ts',
    './docs/images/architecture.png',
    'packages/app/src/[id]/page.tsx',
    'apps/docs/[[...slug]]/route.ts',
    'docs/My%20Notes.md',
    '/home/dev/project/src/app.ts',
    '/tmp/output.json',
    'C:\\Users\\dev\\project\\main.py',
    '.env.example',
    'config/settings.yaml',
    'deploy/nginx/nginx.conf',
  ])('does not act on %j', (path) => {
    expect(scanPath(path).acting).toEqual([]);
  });

  it.each([
    '../README.md',
    '../../docs/guide/setup.md',
    './../_static/report.html',
    '../../../../packages/shared/src/server/index.ts',
  ])('records the parent escape of %j at low severity only', (path) => {
    const { acting, recorded } = scanPath(path);
    expect(acting).toEqual([]);
    expect(recorded).toEqual(['path.parent-escape']);
  });
});
