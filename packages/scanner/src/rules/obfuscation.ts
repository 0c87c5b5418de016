import type { Rule, RuleHit } from './rule.js';

const TAG_RUN = /(?:\udb40[\udc00-\udc7f])+/g;
const BIDI_OVERRIDE = /[\u202a-\u202e\u2066-\u2069]/g;
const SPLIT_WORD = /[A-Za-z](?:[\u200b-\u200d\u2060\ufeff\u00ad]{1,8}[A-Za-z]){2,}/g;

function* matchAll(pattern: RegExp, text: string, score?: number): Iterable<RuleHit> {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    yield score === undefined
      ? { start: match.index, end: match.index + match[0].length }
      : { start: match.index, end: match.index + match[0].length, score };
  }
}

/** Hidden-content rules: characters a human reviewer cannot see but a model reads. */
export const obfuscationRules: readonly Rule[] = [
  {
    id: 'obfuscation.unicode-tags',
    type: 'detector',
    category: 'obfuscation',
    severity: 'high',
    target: 'raw',
    score: 0.95,
    rationale:
      'Unicode tag characters are invisible yet spell ASCII a model can read: a known way to smuggle instructions.',
    detect: (text) => (text.includes('\udb40') ? matchAll(TAG_RUN, text) : []),
  },
  {
    id: 'obfuscation.bidi-override',
    type: 'detector',
    category: 'obfuscation',
    severity: 'medium',
    target: 'raw',
    score: 0.6,
    rationale:
      'Bidirectional override characters make text display differently from how it is read (Trojan Source).',
    // The characters themselves are the keywords: ASCII text never wakes the rule.
    keywords: [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ],
    detect: (text) => matchAll(BIDI_OVERRIDE, text),
  },
  {
    id: 'obfuscation.split-word',
    type: 'detector',
    category: 'obfuscation',
    severity: 'low',
    target: 'raw',
    score: 0.5,
    rationale:
      'Zero-width characters between the letters of a word hide it from keyword filters while models still read it.',
    keywords: ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'],
    detect: (text) => matchAll(SPLIT_WORD, text),
  },
];
