import { describe, expect, it } from 'vitest';
import * as protocol from './index.js';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(protocol).sort()).toEqual([
      'IngestEventResultSchema',
      'IngestRequestSchema',
      'IngestResponseSchema',
      'POLICY_BUNDLE_FORMAT',
      'PolicyBundleSchema',
      'ScanErrorLineSchema',
      'ScanEventSchema',
      'ScanRequestLineSchema',
      'ScanResultLineSchema',
      'canonicalJson',
      'policyBundleSigningInput',
      'verifyPolicyBundle',
    ]);
  });
});
