export type { PolicyRefreshOutcome, PolicySync, PolicySyncOptions } from './policy-sync.js';
export { createPolicySync } from './policy-sync.js';
