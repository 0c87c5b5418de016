import type { ScanResult } from '../scanner.js';
import type { Category } from '../types.js';
import type { AbortSignalLike, JudgeFetch } from './runtime.js';

/** The wire format the judge endpoint speaks. */
export type JudgeProvider = 'openai' | 'anthropic';

/** How an OpenAI-compatible endpoint is asked for a structured verdict. */
export type StructuredOutput = 'json_schema' | 'json_object' | 'none';

/**
 * Where the LLM judge (layer l3) lives and how to talk to it: given in code, never in a policy
 * file, because it holds a secret. When to ask the judge comes from the policy's `judge` section.
 * @example createScanner({ judge: { url: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b' } })
 */
export interface JudgeOptions {
  /** Default `openai`: any OpenAI-compatible Chat Completions API. `anthropic`: the Messages API. */
  provider?: JudgeProvider;
  /**
   * The API's base URL (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`,
   * `https://api.anthropic.com`) or the full endpoint URL (ending in `/chat/completions` or
   * `/messages`), used as it is.
   */
  url: string;
  /** The model name (for Azure OpenAI: the deployment's model; the deployment is in the URL). */
  model: string;
  /** Sent as `Authorization: Bearer`, `api-key` (Azure OpenAI) or `x-api-key` (Anthropic). */
  apiKey?: string;
  /**
   * Azure OpenAI: the `api-version` query parameter (the key then goes in an `api-key` header).
   * Anthropic: the `anthropic-version` header (default `2023-06-01`).
   */
  apiVersion?: string;
  /** Headers of your own (a gateway's auth, an organisation id). */
  headers?: Record<string, string>;
  /** Milliseconds from escalation to verdict, waiting for a free slot included. Default 2000. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Escalations waiting for a slot beyond which new ones fail at once (`overloaded`). Default 64. */
  maxQueue?: number;
  /** Verdicts kept, least recently used evicted; 0 turns the cache off. Default 1000. */
  cacheSize?: number;
  /** Longer texts are sent as their head and tail with the middle elided. Default 24000 characters. */
  maxChars?: number;
  /** Output token limit of the verdict. Default 300. */
  maxTokens?: number;
  /**
   * OpenAI-compatible only. Default `json_schema`; a server that rejects it with HTTP 400 is
   * retried once without it, and the answer is parsed from the message text from then on.
   */
  structuredOutput?: StructuredOutput;
  /** Extra fields merged into the request body (a `null` value removes a field we send). */
  body?: Record<string, unknown>;
  /** A fetch of your own (a proxy agent, a test double). Default: the global `fetch`. */
  fetch?: JudgeFetch;
}

/** Categories the judge may name; they are the scanner's own categories. */
export const JUDGE_CATEGORIES = [
  'prompt_injection',
  'jailbreak',
  'system_prompt_extraction',
  'indirect_injection',
  'data_exfiltration',
] as const satisfies readonly Category[];

export type JudgeCategory = (typeof JUDGE_CATEGORIES)[number];

/** What the judge answered, validated. */
export interface JudgeVerdict {
  verdict: 'attack' | 'benign';
  /** The attack's category; `none` for a benign verdict. */
  category: JudgeCategory | 'none';
  /** 0..1: the judge's confidence in its verdict. */
  confidence: number;
  /** The judge's short reason (at most 300 characters). */
  reason: string;
}

/**
 * How the judge went: `ok` and `cached` carry a verdict; `skipped` means the policy did not
 * escalate; `timeout`, `error`, `invalid` and `overloaded` are failures, each also listed in
 * `errors` with code WARDEN_JUDGE_FAILED so the policy's `failMode.l3` decides.
 */
export type JudgeStatus =
  | 'ok'
  | 'cached'
  | 'skipped'
  | 'timeout'
  | 'error'
  | 'invalid'
  | 'overloaded';

/** Why the judge was asked. */
export type JudgeTrigger = 'band' | 'tool' | 'always';

/** What the judge did for one scan. Holds no scanned text. */
export interface JudgeReport {
  status: JudgeStatus;
  /** Why the judge was asked (absent when skipped). */
  trigger?: JudgeTrigger;
  /** Why it was skipped or what went wrong, in a sentence. */
  reason?: string;
  /** The validated verdict (status `ok` or `cached`). */
  verdict?: JudgeVerdict;
  /** Spans of secrets and PII replaced by placeholders before sending. */
  redactions: number;
  /** True when the text was longer than `maxChars` and its middle was not sent. */
  truncated?: boolean;
  /** The strongest local score of the watched categories, which the band is compared with. */
  localScore: number;
  /** Milliseconds spent on the judge (queue, request, parsing); 0 when skipped. */
  latencyMs: number;
  /** HTTP status of the last response, when there was one. */
  httpStatus?: number;
  model?: string;
}

/** A scan result that went past the local layers. */
export interface AsyncScanResult extends ScanResult {
  /** Present when layer l3 is configured: what the judge did. */
  judge?: JudgeReport;
}

/** Options of one scanAsync call. */
export interface ScanAsyncOptions {
  /** Aborting it rejects the scan with the signal's reason (nothing is decided for you). */
  signal?: AbortSignalLike;
}
