import type { Policy } from './types.js';

/**
 * The policy Warden starts with: block high-severity attacks, redact secrets everywhere and PII in
 * what the model says or reads, alert on medium findings, record low ones. A rule that fails blocks (fail closed).
 */
export const DEFAULT_POLICY: Policy = {
  version: 1,
  name: 'warden-default',
  mode: 'enforce',
  severityActions: { low: 'allow', medium: 'alert', high: 'block', critical: 'block' },
  minScore: 0.5,
  categories: {
    secret: { action: 'redact', redact: true },
    // A user giving their own email in a prompt, or a tool call addressed to one, is the job.
    pii: { action: 'redact', surfaces: { input: 'allow', tool_args: 'allow' }, redact: true },
  },
  rules: {},
  tools: { default: 'allow' },
  failMode: { l1: 'closed', l2: 'open', l3: 'open' },
};
