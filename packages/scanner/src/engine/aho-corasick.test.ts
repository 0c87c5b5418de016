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
});
