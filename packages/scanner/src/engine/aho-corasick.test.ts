import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from './aho-corasick.js';

function occurrences(keywords: string[], text: string): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  new KeywordMatcher(keywords).scan(text, (id, end) => found.push([keywords[id]!, end]));
  return found;
}

describe('KeywordMatcher', () => {
  it('finds overlapping keywords, including ones that are suffixes of others', () => {
    expect(occurrences(['he', 'she', 'his', 'hers'], 'ushers')).toEqual([
      ['she', 4],
      ['he', 4],
      ['hers', 6],
    ]);
  });

  it('matches ASCII case-insensitively', () => {
    expect(occurrences(['ignore'], 'IgNoRe this')).toEqual([['ignore', 6]]);
  });

  it('returns to the root on characters no keyword has, mid-keyword too', () => {
    expect(occurrences(['игнор', 'ab'], 'иг\u{E0061}нор игнор a\u{1F600}b ab')).toEqual([
      ['игнор', 13],
      ['ab', 21],
    ]);
  });

  it('matches non-ASCII keywords through failure links', () => {
    expect(occurrences(['忽略', '忽略之前', 'игнор'], '请忽略之前的指示 игнорируй')).toEqual([
      ['忽略', 3],
      ['忽略之前', 5],
      ['игнор', 14],
    ]);
  });

  it('agrees with a naive search on random text', () => {
    const keywords = ['ab', 'abc', 'bca', 'caab', 'a', 'cc'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const text = Array.from({ length: 500 }, () => 'abc'[random() % 3]).join('');
    const naive: Array<[string, number]> = [];
    for (let end = 1; end <= text.length; end++) {
      for (const keyword of keywords) {
        if (text.slice(0, end).endsWith(keyword)) naive.push([keyword, end]);
      }
    }
    const sort = (list: Array<[string, number]>) =>
      [...list].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    expect(sort(occurrences(keywords, text))).toEqual(sort(naive));
  });

  it('reports only the keywords a filter keeps', () => {
    const keywords = ['on', 'ignore', 'or'];
    const matcher = new KeywordMatcher(keywords);
    const filter = matcher.filter(Uint8Array.of(0, 1, 0));
    const found: string[] = [];
    matcher.scan('or ignore on', (id) => found.push(keywords[id]!), filter);
    expect(found).toEqual(['ignore']);
  });

  it('scans only the range it is given', () => {
    const found: number[] = [];
    new KeywordMatcher(['ab']).scan('ab ab ab', (_, end) => found.push(end), undefined, 2, 6);
    expect(found).toEqual([5]);
  });

  it('collects runs of a character class in the same pass as the keywords', () => {
    const classes = new Uint8Array(128);
    for (const char of 'abcdefghijklmnopqrstuvwxyz0123456789') classes[char.charCodeAt(0)] = 4;
    // A one-class automaton that sets flag 1 once it has seen a '#'.
    classes['#'.charCodeAt(0)] = 1;
    const transitions = Uint8Array.of(0, 1, 0, 0, 1, 1, 1, 1);
    const runs = {
      classes,
      transitions,
      accepts: Uint8Array.of(0, 1),
      minLength: 5,
      found: [] as number[],
      flags: 0,
    };
    const matcher = new KeywordMatcher(['key']);
    const hits: number[] = [];
    const filter = matcher.filter(Uint8Array.of(1));
    matcher.scanWithRuns('a key abcdef1 é xy 123456', (_, end) => hits.push(end), filter, runs);
    expect(hits).toEqual([5]);
    expect(runs.found).toEqual([6, 13, 19, 25]);
    expect(runs.flags).toBe(0);
    matcher.scanWithRuns('tag #x', () => {}, filter, runs);
    expect(runs.flags).toBe(1);
  });
});
