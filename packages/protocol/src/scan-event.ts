import { CATEGORIES } from '@warden/scanner';
import { z } from 'zod';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RULE_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const HEX_DIGEST = /^[a-f0-9]{64}$/;

const identifier = z
  .string()
  .regex(IDENTIFIER, 'expected an identifier: letters, digits, . _ : - (at most 128)');

/**
 * What an SDK or gateway reports about one scan: metadata only. Every string is an identifier,
 * an enum or a hex digest, so there is no field that can carry a prompt, an output or a tool value;
 * unknown fields are rejected.
 */
export const ScanEventSchema = z
  .object({
    /** Idempotency key chosen by the reporter (a UUID). */
    id: z.uuid(),
    timestamp: z.iso.datetime({ offset: true }),
    agentId: identifier,
    projectId: identifier.optional(),
    type: z.enum(['scan']),
    surface: z.enum(['input', 'output', 'tool_args', 'tool_result', 'document']),
    decision: z.enum(['allow', 'alert', 'redact', 'block']),
    policyDecision: z.enum(['allow', 'alert', 'redact', 'block']),
    risk: z.number().min(0).max(1),
    categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length),
    ruleIds: z.array(z.string().regex(RULE_ID).max(128)).max(64),
    matchedRule: z.string().regex(RULE_ID).max(128).nullable(),
    layers: z
      .array(z.enum(['l1', 'l2', 'l3']))
      .min(1)
      .max(3),
    latencyMs: z.number().min(0).max(600_000),
    /**
     * Layers that failed to run on this scan (a rule threw, a judge timed out). With a
     * `policyDecision` other than `block` the scan failed open: it let the content through
     * unchecked by those layers. Absent or empty when every layer ran.
     */
    failedLayers: z
      .array(z.enum(['l1', 'l2', 'l3']))
      .max(3)
      .optional(),
    policy: z.object({ name: identifier, revision: identifier.optional() }).strict(),
    toolName: identifier.optional(),
    /** Keyed hashes (HMAC-SHA256, hex) of tool argument values: never the values. */
    argumentHashes: z
      .record(z.string().regex(/^[A-Za-z0-9_.[\]-]{1,128}$/), z.string().regex(HEX_DIGEST))
      .optional(),
    sdkVersion: z.string().regex(/^[0-9A-Za-z.+-]{1,32}$/),
  })
  .strict();

export type ScanEvent = z.infer<typeof ScanEventSchema>;
