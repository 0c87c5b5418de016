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
  // Asked only about ambiguous scores, around the default minScore of 0.5; the band is to be
  // recalibrated on bench:detect once layer l2 gives scores across the whole range.
  judge: {
    escalate: 'band',
    band: [0.3, 0.7],
    categories: [
      'prompt_injection',
      'jailbreak',
      'system_prompt_extraction',
      'indirect_injection',
      'data_exfiltration',
    ],
    surfaces: ['input', 'output', 'tool_args', 'tool_result', 'document'],
    tools: [],
  },
};
