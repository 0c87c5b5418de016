import { describe, expect, it } from 'vitest';
import { forSurface } from './surface.js';

describe('forSurface', () => {
  it('gives prompts their value and every kind of data the other', () => {
    const values = { prompt: 0.3, document: 0.4 };
    expect(forSurface(values, 'input')).toBe(0.3);
    expect(forSurface(values, 'tool_result')).toBe(0.4);
    expect(forSurface(values, 'document')).toBe(0.4);
  });
});
