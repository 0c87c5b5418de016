import type { DetectorRule, Rule, RuleHit } from './rule.js';
import { decodeBackslashEscapes, decodeHtmlEntities, percentDecode } from './tool-args-decode.js';
import { blankFencedCode } from './tool-args-markdown.js';

/*
 * Active content in model output. When an answer is rendered as HTML or permissive markdown,
 * a script tag, an event handler or a javascript: URL runs in the user's session. Payload
 * lists hide these behind entities, escapes, null bytes and split keywords, so the text is
 * decoded first. Fenced code blocks are skipped: code shown as code does not run.
 */

interface PreparedHtml {
  text: string;
  exact: boolean;
  length: number;
}

const UTF7 = /\+AD[w4IcA]-/g;
const UTF7_CHARS: Readonly<Record<string, string>> = {
  '+ADw-': '<',
  '+AD4-': '>',
  '+ACI-': '"',
  '+ACc-': "'",
  '+ADA-': '0',
};
/** CDATA markers and short comments that split a keyword for old parsers. */
const SPLITTERS = /<!\[CDATA\[|\]\]>|\/\*[^*]{0,40}\*\//g;
/** Control and zero-width characters browsers skip inside a scheme or tag name (not \t\n\f\r). */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]/g;

/** CSS hex escapes (`\\0075` is `u`) that spell a scheme or function name inside a style. */
const CSS_ESCAPE = /\\0{0,4}([0-9a-f]{2,4})(?![0-9a-f])[ \t]?/gi;

/** Removes `<!-- ... -->` comments of up to 40 characters (`javas<!-- -->cript:`). */
function removeShortComments(text: string): string {
  if (text.indexOf('<!--') < 0) return text;
  let out = '';
  let index = 0;
  let open = text.indexOf('<!--');
  while (open >= 0) {
    const close = text.indexOf('-->', open + 4);
    if (close < 0) break;
    // Only comments that hide nothing: `<!--[if]><script>` keeps its markup visible to us.
    if (close - open <= 44 && !/[<>]/.test(text.slice(open + 4, close))) {
      out += text.slice(index, open);
      index = close + 3;
    }
    open = text.indexOf('<!--', Math.max(open + 4, index));
  }
  return out + text.slice(index);
}

function prepare(value: string): PreparedHtml {
  const blanked = blankFencedCode(value);
  let text = decodeHtmlEntities(blanked);
  if (/\\0{0,4}[0-9a-f]{2}/i.test(text)) {
    text = text.replace(CSS_ESCAPE, (_escape, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
  text = decodeBackslashEscapes(text);
  text = percentDecode(text);
  // Entities can hide escapes and the other way round; one more round covers both orders.
  text = decodeHtmlEntities(text);
  if (text.indexOf('+AD') >= 0) text = text.replace(UTF7, (code) => UTF7_CHARS[code] ?? code);
  text = removeShortComments(text.replace(SPLITTERS, '').replace(CONTROL, ''));
  return { text, exact: text === blanked, length: value.length };
}

let lastValue: string | null = null;
let lastPrepared: PreparedHtml | null = null;
function prepared(value: string): PreparedHtml {
  if (lastValue !== value || lastPrepared === null) {
    lastPrepared = prepare(value);
    lastValue = value;
  }
  return lastPrepared;
}

function hitsFor(html: PreparedHtml, pattern: RegExp, limit = 16): RuleHit[] {
  const hits: RuleHit[] = [];
  pattern.lastIndex = 0;
  let match = pattern.exec(html.text);
  while (match !== null && hits.length < limit) {
    if (!html.exact) return [{ start: 0, end: html.length }];
    hits.push({ start: match.index, end: match.index + match[0].length });
    if (match[0].length === 0) pattern.lastIndex += 1;
    match = pattern.exec(html.text);
  }
  return hits;
}

const SCRIPT_TAG = /<\s{0,4}script(?=[\s/>]|$)/gi;

const scriptTag: DetectorRule = {
  id: 'xss.script-tag',
  type: 'detector',
  category: 'xss',
  severity: 'high',
  rationale:
    'A <script> element in output: if the answer is rendered as HTML it runs in the reader\u2019s session, whatever the encoding used to hide it.',
  score: 0.95,
  kinds: ['output'],
  target: 'raw',
  keywords: ['script', '+adw-', '%73', '%53', '&#'],
  detect: (text) => hitsFor(prepared(text), SCRIPT_TAG),
};

/** An `on...=` attribute inside a tag, or right after a quote that ends an attribute value. */
const EVENT_HANDLER =
  /<[a-z!?/%][^<>]{0,600}?[\s/"'`;]on[a-z]{3,40}\s{0,4}\/?=|["'`][\s/]{0,4}on[a-z]{3,40}\s{0,4}=\s{0,4}["'`]?[\w$([{!.]|[\s/"'`;]on[a-z]{3,40}\s{0,4}=\s{0,4}["'`]?\s{0,4}\(?\s{0,4}(?:alert|confirm|prompt|eval|javascript:|document\.|window\.|location\b|fetch\s{0,4}\(|import\s{0,4}\()|\battributename\s{0,4}=\s{0,4}["']?on[a-z]{3,40}\b/gi;

const eventHandler: DetectorRule = {
  id: 'xss.event-handler',
  type: 'detector',
  category: 'xss',
  severity: 'high',
  rationale:
    'An HTML event-handler attribute (onerror=, onload=, onmouseover=...): script that runs as soon as the element renders or is touched.',
  score: 0.9,
  kinds: ['output'],
  target: 'raw',
  keywords: ['on', '%6f', '%4f', '&#'],
  detect: (text) => hitsFor(prepared(text), EVENT_HANDLER),
};

/** `javascript:` spelt with blanks or control characters between its letters. */
const SCRIPT_SCHEME =
  '(?:j\\s{0,4}a\\s{0,4}v\\s{0,4}a|v\\s{0,4}b|l\\s{0,4}i\\s{0,4}v\\s{0,4}e|m\\s{0,4}o\\s{0,4}c\\s{0,4}h\\s{0,4}a)\\s{0,4}s\\s{0,4}c\\s{0,4}r\\s{0,4}i\\s{0,4}p\\s{0,4}t\\s{0,4}:';
/** Where a URL starts: an attribute value, a markdown link target, a CSS url(), a refresh. */
const URL_POSITION =
  '(?:=\\s{0,4}["\'`]?|\\]\\(\\s{0,4}<?|url\\s{0,4}\\(\\s{0,4}["\']?|url\\s{0,4}=\\s{0,4}|&\\{)\\s{0,8}';
const JAVASCRIPT_URL = new RegExp(
  `${URL_POSITION}${SCRIPT_SCHEME}|(?:^|[\\s>"'(\\[:])${SCRIPT_SCHEME}\\s{0,3}(?:[\\w$.]{1,40}\\s{0,3}[(\`=.]|\\/[/*]|\\{)`,
  'gi',
);

const javascriptUrl: DetectorRule = {
  id: 'xss.javascript-url',
  type: 'detector',
  category: 'xss',
  severity: 'high',
  rationale:
    'A javascript:, vbscript: or livescript: URL in a link, attribute or CSS url(): clicking or loading it runs script.',
  score: 0.9,
  kinds: ['output'],
  target: 'raw',
  keywords: ['script', 'java', 'mocha', '&#', '\\x', '\\u', '\\00', '%'],
  detect: (text) => hitsFor(prepared(text), JAVASCRIPT_URL),
};

/** Attributes that load a document or navigate; an <img> never runs an SVG's script. */
const DOCUMENT_POSITION =
  '(?:\\b(?:href|src|data|action|formaction|codebase|srcdoc)\\s{0,4}=\\s{0,4}["\'`]?|\\]\\(\\s{0,4}<?|url\\s{0,4}=\\s{0,4})\\s{0,8}';
const DATA_URL = new RegExp(
  `(?:^|[\\s>"'(])data:text\\/html(?:;charset=[\\w-]{1,20})?(?:;base64,|,\\s{0,4}<)|${DOCUMENT_POSITION}data\\s{0,4}:\\s{0,4}(?:text\\/html|text\\/javascript|application\\/(?:x-)?(?:xhtml\\+xml|javascript|ecmascript)|image\\/svg\\+xml|text\\/xml|application\\/xml)`,
  'gi',
);

const dataUrl: DetectorRule = {
  id: 'xss.data-url',
  type: 'detector',
  category: 'xss',
  severity: 'high',
  rationale:
    'A data: URL carrying HTML, SVG or script in a link, frame or source attribute: a whole attacker document delivered inline.',
  score: 0.85,
  kinds: ['output'],
  target: 'raw',
  keywords: ['data:', 'data%3a', 'data&#'],
  detect: (text) => hitsFor(prepared(text), DATA_URL),
};

const EMBEDDING_TAG =
  /<\s{0,4}(?:iframe|frame|frameset|object|embed|applet|portal|isindex|bgsound|layer|ilayer)(?=[\s/>]|$)|<\s{0,4}base\s[^<>]{0,200}?href\s{0,4}=|<\s{0,4}meta\s[^<>]{0,200}?http-equiv\s{0,4}=\s{0,4}["']?(?:refresh|set-cookie)|<\s{0,4}link\s[^<>]{0,200}?rel\s{0,4}=\s{0,4}["']?import|<\?import\b|<\s{0,4}xml:namespace\b/gi;

const embeddedContent: DetectorRule = {
  id: 'xss.embedded-content',
  type: 'detector',
  category: 'xss',
  severity: 'medium',
  rationale:
    'Markup that loads or redirects to other content (iframe, object, embed, meta refresh, base href, HTML imports): a frame for phishing or script even without a visible script tag.',
  score: 0.75,
  kinds: ['output'],
  target: 'raw',
  keywords: [
    'iframe',
    'frame',
    'object',
    'embed',
    'applet',
    'portal',
    'isindex',
    'bgsound',
    'layer',
    'base',
    'meta',
    'import',
    'xml:namespace',
  ],
  detect: (text) => hitsFor(prepared(text), EMBEDDING_TAG),
};

const CSS_SCRIPT =
  /:[^\w;:"'<>]{0,12}expression\(|-moz-binding\s{0,4}:|behavior\s{0,4}:\s{0,4}url\s{0,4}\(|@import\s{0,4}["']?\s{0,4}(?:javascript|data):/gi;

const cssExpression: DetectorRule = {
  id: 'xss.css-expression',
  type: 'detector',
  category: 'xss',
  severity: 'high',
  rationale:
    'CSS that executes script (expression(), -moz-binding, behavior: url(), @import of a script URL): old-browser XSS that filters keyed on <script> miss.',
  score: 0.85,
  kinds: ['output'],
  target: 'raw',
  keywords: ['expression', 'expr', 'pression', 'binding', 'behavior', '@import', '\\00'],
  detect: (text) => hitsFor(prepared(text), CSS_SCRIPT),
};

/**
 * The canonical proof-of-concept calls, after a quote or brace that ends a string or block:
 * `';alert(1)//`, `"-confirm(1)-"`, `}alert(/x/);{`.
 */
const SCRIPT_BREAKOUT =
  /(?:['"`][\s)]{0,4}[;,+\-*|&}]{1,3}|[;}])\s{0,4}(?:alert|confirm|prompt)\s{0,4}[(`]|\b(?:alert|confirm|prompt)\s{0,4}(?:\(\s{0,4}(?:document\.(?:cookie|domain|location)|\/[^/\n]{1,30}\/(?:\.source)?|String\.fromCharCode|\d{1,6}\s{0,4}\))|`[^`\n]{0,20}`)|\(\s{0,4}(?:alert|confirm|prompt)\s{0,4}\)\s{0,4}\(|&\{\s{0,4}(?:alert|confirm|prompt)\s{0,4}\(/gi;

const scriptBreakout: DetectorRule = {
  id: 'xss.script-breakout',
  type: 'detector',
  category: 'xss',
  severity: 'medium',
  rationale:
    "A string or block break-out followed by alert/confirm/prompt (';alert(1)//), or a call that reads document.cookie: a script-context injection probe.",
  score: 0.7,
  kinds: ['output'],
  target: 'raw',
  keywords: ['alert', 'confirm', 'prompt'],
  detect: (text) => hitsFor(prepared(text), SCRIPT_BREAKOUT),
};

export const xssRules: readonly Rule[] = [
  scriptTag,
  eventHandler,
  javascriptUrl,
  dataUrl,
  cssExpression,
  embeddedContent,
  scriptBreakout,
];
