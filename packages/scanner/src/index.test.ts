import { describe, expect, it } from 'vitest';
import * as scanner from './index.js';

describe('public surface', () => {
  it('exports exactly these names (a change here is a decision)', () => {
    expect(Object.keys(scanner).sort()).toEqual([
      'CATEGORIES',
      'DEFAULT_POLICY',
      'SEVERITIES',
      'WardenError',
      'builtinRules',
      'createScanner',
      'isWardenError',
      'parsePolicy',
    ]);
  });
});
