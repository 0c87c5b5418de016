import { z } from 'zod';

const KINDS = ['input', 'output', 'tool_args', 'tool_result', 'document'] as const;

/**
 * One line of `warden scan --jsonl`: what to scan. Extra fields (labels, notes) are ignored so
 * labelled datasets can be piped in as they are. A stable contract: change only by adding.
 */
export const ScanRequestLineSchema = z.object({
  id: z.union([z.string().min(1).max(512), z.number().finite()]),
  text: z.string(),
  kind: z.enum(KINDS).optional(),
  /** For `tool_args` (and `tool_result`): the tool's name. */
  tool: z.string().min(1).max(256).optional(),
  /** For `tool_args`: the argument whose value `text` is. */
  argument: z.string().min(1).max(256).optional(),
});

export type ScanRequestLine = z.infer<typeof ScanRequestLineSchema>;

/** One line written by `warden scan --jsonl` per input line. A stable contract. */
export const ScanResultLineSchema = z.object({
  id: z.union([z.string(), z.number()]),
  /** True when the decision under the policy is anything but `allow`. */
  flagged: z.boolean(),
  decision: z.enum(['allow', 'alert', 'redact', 'block']),
  risk: z.number().min(0).max(1),
  categories: z.array(z.string()),
  findings: z.array(
    z.object({
      ruleId: z.string(),
      category: z.string(),
      layer: z.enum(['l1', 'l2', 'l3']),
      score: z.number().min(0).max(1),
    }),
  ),
  latencyUs: z.number().int().nonnegative(),
});

export type ScanResultLine = z.infer<typeof ScanResultLineSchema>;

/** Written instead of a result when an input line is unusable; the batch goes on. */
export const ScanErrorLineSchema = z.object({
  id: z.union([z.string(), z.number(), z.null()]),
  error: z.object({ code: z.string(), message: z.string() }),
});

export type ScanErrorLine = z.infer<typeof ScanErrorLineSchema>;
