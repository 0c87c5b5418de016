import { describe, expect, it } from 'vitest';
import * as cli from './index.js';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(cli).sort()).toEqual(['VERSION', 'loadPolicyFile', 'runCli']);
  });
});
