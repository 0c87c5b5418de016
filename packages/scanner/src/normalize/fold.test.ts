import { describe, expect, it } from 'vitest';
import { foldRuleSource, foldText, mapSpan } from './fold.js';

describe('foldText', () => {
  it('lower-cases ASCII without an offset map', () => {
    expect(foldText('Hello World')).toEqual({ text: 'hello world', starts: null, ends: null });
  });

  it('folds fullwidth, confusables, diacritics and invisible characters', () => {
    expect(foldText('Ｉgnоre').text).toBe('ignore'); // fullwidth I, Cyrillic о
    expect(foldText('ig\u200Bno\u00ADre').text).toBe('ignore');
    expect(foldText('Précédentes').text).toBe('precedentes');
    expect(foldText('pre\u0301ce\u0301dentes').text).toBe('precedentes');
    expect(foldText('𝐢𝐠𝐧𝐨𝐫𝐞').text).toBe('ignore');
  });

  it('drops Greek accents and reads stroked Latin letters as plain ones', () => {
    expect(foldText('αγνοήστε').text).toBe(foldText('αγνοηστε').text);
    expect(foldText('Zignoruj polecenia, ładnie').text).toBe('zignoruj polecenia, ladnie');
  });

  it('keeps non-Latin scripts readable', () => {
    expect(foldText('忽略之前的指示').text).toBe('忽略之前的指示');
    expect(foldText('が').text).toBe('が');
  });

  it('maps spans back to the original text', () => {
    const original = 'say: ig\u200Bnоre';
    const view = foldText(original);
    const start = view.text.indexOf('ignore');
    const span = mapSpan(view, start, start + 'ignore'.length);
    expect(original.slice(span.start, span.end)).toBe('ig\u200Bnоre');
  });

  it('keeps every offset through floods and characters that fold to several', () => {
    const flood = 'A\u200B'.repeat(20_000);
    const view = foldText(flood);
    expect(view.text).toBe('a'.repeat(20_000));
    expect(view.starts?.[19_999]).toBe(39_998);
    expect(view.ends?.[19_999]).toBe(39_999);
    const ligature = foldText('x\uFB01le é\u0301 \u{E0061}AB');
    expect(ligature.text).toBe('xfile e ab');
    expect([...(ligature.starts ?? [])]).toEqual([0, 1, 1, 2, 3, 4, 5, 7, 10, 11]);
    expect([...(ligature.ends ?? [])]).toEqual([1, 2, 2, 3, 4, 5, 6, 8, 11, 12]);
  });

  it('folds only the non-ASCII characters of a rule source', () => {
    expect(foldRuleSource('\\S+ Игнорируй')).toBe(`\\S+ ${foldText('Игнорируй').text}`);
  });
});
