import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import type { Severity } from '../types.js';
import { analyseUrl } from './ssrf.js';
import { classifyIPv4, classifyIPv6, formatIPv4, parseIPv4, parseIPv6 } from './tool-args-ip.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });
const ACTING: readonly Severity[] = ['medium', 'high', 'critical'];

function scanUrl(url: string): { acting: string[]; recorded: string[] } {
  const findings = scanner
    .scan({ kind: 'tool_args', tool: 'fetch_url', arguments: { url } })
    .findings.filter((finding) => finding.category === 'ssrf');
  return {
    acting: findings.filter((finding) => ACTING.includes(finding.severity)).map((f) => f.ruleId),
    recorded: findings.map((finding) => finding.ruleId),
  };
}

describe('IP parsing', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', true],
    ['127.1', '127.0.0.1', false],
    ['0x7f000001', '127.0.0.1', false],
    ['0x7f.0.0.1', '127.0.0.1', false],
    ['2130706433', '127.0.0.1', false],
    ['0177.0.0.1', '127.0.0.1', false],
    ['0251.0376.0251.0376', '169.254.169.254', false],
    ['425.510.425.510', '169.254.169.254', false],
    ['7147006462', '169.254.169.254', false],
  ])('reads %s as %s (canonical: %s)', (host, dotted, canonical) => {
    const parsed = parseIPv4(host);
    expect(parsed).not.toBeNull();
    expect(formatIPv4(parsed?.value ?? -1)).toBe(dotted);
    expect(parsed?.canonical).toBe(canonical);
  });

  it('rejects names that only look numeric', () => {
    expect(parseIPv4('1.2.3.4.5')).toBeNull();
    expect(parseIPv4('example.com')).toBeNull();
    expect(parseIPv4('0x7g.0.0.1')).toBeNull();
  });

  it('classifies IPv4 ranges', () => {
    expect(classifyIPv4(parseIPv4('10.1.2.3')?.value ?? 0)).toBe('private');
    expect(classifyIPv4(parseIPv4('172.20.0.1')?.value ?? 0)).toBe('private');
    expect(classifyIPv4(parseIPv4('172.32.0.1')?.value ?? 0)).toBe('public');
    expect(classifyIPv4(parseIPv4('100.100.100.200')?.value ?? 0)).toBe('metadata');
    expect(classifyIPv4(parseIPv4('8.8.8.8')?.value ?? 0)).toBe('public');
  });

  it('parses and classifies IPv6, including IPv4 carried inside it', () => {
    const classify = (text: string) => classifyIPv6(parseIPv6(text) ?? []);
    expect(classify('::1').addressClass).toBe('loopback');
    expect(classify('::ffff:127.0.0.1')).toEqual({
      addressClass: 'loopback',
      embeddedIPv4: 0x7f000001,
    });
    expect(classify('0:0:0:0:0:ffff:7f00:1').addressClass).toBe('loopback');
    expect(classify('fd00:ec2::254').addressClass).toBe('metadata');
    expect(classify('fd12:3456::1').addressClass).toBe('private');
    expect(classify('fe80::1').addressClass).toBe('link-local');
    expect(classify('2001:db8::1').addressClass).toBe('public');
    expect(parseIPv6('1::2::3')).toBeNull();
  });

  it('sees every host a parser might pick', () => {
    expect(analyseUrl('http://127.1.1.1:80\\@203.0.113.9/').hosts).toEqual(
      expect.arrayContaining(['127.1.1.1', '203.0.113.9']),
    );
    expect(analyseUrl('localhost:8080/api').hosts).toEqual(['localhost']);
  });
});

describe('SSRF rules: attacks', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'ssrf.metadata-endpoint'],
    ['http://metadata.google.internal/computeMetadata/v1/project/', 'ssrf.metadata-endpoint'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'ssrf.metadata-endpoint'],
    [
      'http://100.100.100.200/latest/meta-data/ram/security-credentials/probe',
      'ssrf.metadata-endpoint',
    ],
    ['http://rancher-metadata/latest/self/container', 'ssrf.metadata-endpoint'],
    ['https://proxy.example.com/fetch/169.254.169.254/latest/', 'ssrf.metadata-endpoint'],
    ['http://2852039166/', 'ssrf.obfuscated-address'],
    ['http://0xA9FEA9FE/', 'ssrf.obfuscated-address'],
    ['http://127.1/admin', 'ssrf.obfuscated-address'],
    ['http://0x7f.0.0.1/', 'ssrf.obfuscated-address'],
    ['http://0177.0.0.1:8080/', 'ssrf.obfuscated-address'],
    ['http://[::ffff:127.0.0.1]:8080/', 'ssrf.obfuscated-address'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'ssrf.obfuscated-address'],
    ['http://127.0.0.1.nip.io/', 'ssrf.obfuscated-address'],
    ['http://10-0-0-5.sslip.io/', 'ssrf.obfuscated-address'],
    ['http://app.localtest.me/', 'ssrf.obfuscated-address'],
    ['http://0/', 'ssrf.obfuscated-address'],
    ['http://localhost:6379/', 'ssrf.private-address'],
    ['http://api.localhost/', 'ssrf.private-address'],
    ['http://10.0.0.5/internal', 'ssrf.private-address'],
    ['http://192.168.1.1/', 'ssrf.private-address'],
    ['http://[::1]/', 'ssrf.private-address'],
    ['http://[fe80::1%25eth0]/', 'ssrf.private-address'],
    ['http://[fd12:3456::1]/', 'ssrf.private-address'],
    ['http://kubernetes.default.svc/', 'ssrf.private-address'],
    ['http://user@192.168.1.1/', 'ssrf.private-address'],
    ['http://trusted.example@127.0.0.1/', 'ssrf.parser-confusion'],
    ['http://127.1.1.1:80\\@203.0.113.9/', 'ssrf.parser-confusion'],
    ['file:///etc/passwd', 'ssrf.dangerous-scheme'],
    ['gopher://127.0.0.1:6379/_SET%20x%201', 'ssrf.dangerous-scheme'],
    ['dict://localhost:11211/stats', 'ssrf.dangerous-scheme'],
    ['php://filter/convert.base64-encode/resource=index.php', 'ssrf.dangerous-scheme'],
    ['jar:http://example.com/evil.jar!/', 'ssrf.dangerous-scheme'],
    ['ldap://127.0.0.1/dc=example', 'ssrf.dangerous-scheme'],
    ['tftp://203.0.113.9/boot', 'ssrf.unusual-scheme'],
  ])('flags %j as %s', (url, ruleId) => {
    expect(scanUrl(url).acting).toContain(ruleId);
  });
});

describe('SSRF rules: ordinary URLs', () => {
  it.each([
    'https://github.com/org/repo/pull/42',
    'https://api.example.com/v1/items?limit=10&cursor=abc',
    'http://1.1.1.1/',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
    'https://user:token@git.example.com/repo.git',
    'https://en.wikipedia.org/wiki/Bracket_(disambiguation)',
    'https://ipinfo.io/8.8.8.8/json',
    'https://registry.npmjs.org/@scope%2fpkg',
    'https://github.com/org/repo/compare/v1.0.0...@scope/pkg-v1.1.0',
    'https://metadata.example.com/api',
    'https://10.example.com/',
  ])('does not act on %j', (url) => {
    expect(scanUrl(url).acting).toEqual([]);
  });

  it('records an OAuth callback to localhost at low severity', () => {
    const { acting, recorded } = scanUrl(
      'https://auth.example.com/authorize?redirect_uri=http://localhost:3000/callback',
    );
    expect(acting).toEqual([]);
    expect(recorded).toEqual(['ssrf.nested-internal-url']);
  });
});
