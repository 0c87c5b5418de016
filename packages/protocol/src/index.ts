export type { IngestEventResult, IngestRequest, IngestResponse } from './ingest.js';
export { IngestEventResultSchema, IngestRequestSchema, IngestResponseSchema } from './ingest.js';
export type {
  PolicyBundle,
  PolicyBundleSubtleCrypto,
  PolicyBundleVerification,
} from './policy-bundle.js';
export {
  canonicalJson,
  POLICY_BUNDLE_FORMAT,
  PolicyBundleSchema,
  policyBundleSigningInput,
  verifyPolicyBundle,
} from './policy-bundle.js';
export type { ScanEvent } from './scan-event.js';
export { ScanEventSchema } from './scan-event.js';
export type { ScanErrorLine, ScanRequestLine, ScanResultLine } from './scan-line.js';
export { ScanErrorLineSchema, ScanRequestLineSchema, ScanResultLineSchema } from './scan-line.js';
