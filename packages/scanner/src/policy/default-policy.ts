import type { Policy } from './types.js';

/**
 * The policy Warden starts with: block high-severity attacks, redact secrets everywhere and PII in
 * what the model says, alert on medium findings, record low ones. A rule that fails blocks (fail closed).
 */
export const DEFAULT_POLICY: Policy = {
  version: 1,
  name: 'warden-default',
  mode: 'enforce',
  severityActions: { low: 'allow', medium: 'alert', high: 'block', critical: 'block' },
  minScore: 0.5,
  categories: {
    secret: { action: 'redact', redact: true },
    // PII is redacted where the model says it. Where the agent reads or sends it (a user's own
    // email, a CRM lookup, a tool call addressed to someone) it is the job: recorded, not acted on.
    pii: {
      action: 'redact',
      surfaces: { input: 'allow', tool_args: 'allow', tool_result: 'allow', document: 'allow' },
      redact: true,
    },
  },
  rules: {},
  tools: { default: 'allow' },
  failMode: { l1: 'closed', l2: 'open', l3: 'open' },
};
