/** Where the scanned text sits in an agent's traffic. */
export type ScanKind = 'input' | 'output' | 'tool_args' | 'tool_result' | 'document';

/** What the policy does about a scan. Ordered from least to most severe: allow < alert < redact < block. */
export type Decision = 'allow' | 'alert' | 'redact' | 'block';

/** How bad a finding is when it is real. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** The layer that produced a finding. Later layers (l2 model, l3 judge) arrive in later releases. */
export type Layer = 'l1' | 'l2' | 'l3';

/** Stable category names. A policy acts per category. */
export const CATEGORIES = [
  'prompt_injection',
  'jailbreak',
  'system_prompt_extraction',
  'indirect_injection',
  'data_exfiltration',
  'secret',
  'pii',
  'shell_injection',
  'path_traversal',
  'ssrf',
  'sql_injection',
  'xss',
  'obfuscation',
  'tool_policy',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/**
 * What an argument of a tool call is used as. Inferred from the tool name, the argument name
 * and the value's shape, so that a shell rule is not run on a chat message and vice versa.
 */
export type ArgumentRole = 'shell' | 'path' | 'url' | 'sql' | 'text';

/** A half-open range `[start, end)` of UTF-16 code units in the original text. */
export interface Span {
  start: number;
  end: number;
}

/** One thing a rule found. Findings are data: a stable rule id, never free-form verdicts. */
export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** Confidence that this finding is real, 0..1. */
  score: number;
  layer: Layer;
  /** Where it is in the original text (for tool calls: in the argument's value at `path`). */
  span: Span;
  /** For tool calls: the argument path, e.g. `command` or `options.headers[0]`. */
  path?: string;
  /** Decodings applied before the rule matched, outermost first, e.g. `['base64']`. */
  encodings?: string[];
  /** The rule's one-line rationale. */
  message: string;
  /** What the policy does about this finding on this surface (`allow` = recorded only). */
  action: Decision;
}

/** A rule that could not run. Reported, never mistaken for a clean result. */
export interface ScanError {
  ruleId: string;
  layer: Layer;
  code: string;
  message: string;
}

/** Text scanned as one surface. */
export interface TextScanInput {
  kind: 'input' | 'output' | 'tool_result' | 'document';
  text: string;
  /** For tool results: the tool that produced the text. */
  tool?: string;
}

/** A tool call, scanned argument by argument. */
export interface ToolArgsScanInput {
  kind: 'tool_args';
  tool: string;
  /** The arguments object as the model produced it (or a JSON string of it). */
  arguments: unknown;
  /** Tags of the tool, merged with the tags the policy assigns to it. */
  tags?: readonly string[];
}

export type ScanInput = TextScanInput | ToolArgsScanInput;
