import { WardenError } from '../errors.js';
import type { ScanKind } from '../types.js';
import { LruCache } from './lru-cache.js';
import { buildPrompt, createFence, shorten } from './prompt.js';
import {
  type Endpoint,
  endpointHeaders,
  endpointUrl,
  errorMessage,
  parseAnswer,
  rejectsStructuredOutput,
  requestBody,
} from './providers.js';
import { type AbortSignalLike, resolveRuntime } from './runtime.js';
import { Semaphore } from './semaphore.js';
import { sha256, toHex } from './sha256.js';
import type { JudgeOptions, JudgeReport, JudgeVerdict, StructuredOutput } from './types.js';
import { checkVerdict } from './verdict.js';

/** What one question to the judge produced (the scan-level fields are added by the caller). */
export type JudgeAnswer = Pick<
  JudgeReport,
  'status' | 'reason' | 'verdict' | 'truncated' | 'latencyMs' | 'httpStatus' | 'model'
>;

/** A configured judge: one endpoint, its cache, its concurrency limit. */
export interface Judge {
  readonly model: string;
  /** Asks about one already-redacted text. Rejects only when `signal` aborts. */
  ask(
    kind: ScanKind,
    tool: string | undefined,
    text: string,
    signal?: AbortSignalLike,
  ): Promise<JudgeAnswer>;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
const now: () => number = clock === undefined ? () => Date.now() : () => clock.now();

function invalid(message: string): WardenError {
  return new WardenError('WARDEN_INPUT_INVALID', `Scanner option judge.${message}`);
}

function integer(
  value: number | undefined,
  fallback: number,
  name: string,
  min: number,
  max: number,
) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(`${name} must be an integer from ${min} to ${max}.`);
  return value;
}

/**
 * Validates the judge options and prepares the endpoint. Throws WARDEN_INPUT_INVALID naming the
 * option at fault, or the platform feature that is missing.
 */
export function createJudge(options: JudgeOptions): Judge {
  if (typeof options !== 'object' || options === null) throw invalid('must be an object.');
  const provider = options.provider ?? 'openai';
  if (provider !== 'openai' && provider !== 'anthropic')
    throw invalid(`provider must be "openai" or "anthropic", got ${JSON.stringify(provider)}.`);
  if (typeof options.url !== 'string' || !/^https?:\/\/[^/?#\s]+/i.test(options.url))
    throw invalid('url must be an http:// or https:// URL.');
  if (typeof options.model !== 'string' || options.model.trim() === '')
    throw invalid("model must name the model (for Azure OpenAI, the deployment's model).");
  for (const name of ['apiKey', 'apiVersion'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw invalid(`${name} must be a non-empty string when given.`);
  }
  const structuredOutput: StructuredOutput = options.structuredOutput ?? 'json_schema';
  if (!['json_schema', 'json_object', 'none'].includes(structuredOutput))
    throw invalid('structuredOutput must be "json_schema", "json_object" or "none".');
  const timeoutMs = integer(options.timeoutMs, 2000, 'timeoutMs', 1, 120_000);
  const concurrency = integer(options.concurrency, 4, 'concurrency', 1, 1024);
  const maxQueue = integer(options.maxQueue, 64, 'maxQueue', 0, 1_000_000);
  const cacheSize = integer(options.cacheSize, 1000, 'cacheSize', 0, 1_000_000);
  const maxChars = integer(options.maxChars, 24_000, 'maxChars', 1000, 10_000_000);
  const maxTokens = integer(options.maxTokens, 300, 'maxTokens', 50, 100_000);
  const runtime = resolveRuntime(options.fetch);
  if (Array.isArray(runtime))
    throw invalid(`cannot run here: this platform lacks ${runtime.join(', ')}.`);

  const endpoint: Endpoint = {
    provider,
    url: endpointUrl(provider, options.url, options.apiVersion),
    model: options.model,
    headers: endpointHeaders(
      provider,
      options.url,
      options.apiKey,
      options.apiVersion,
      options.headers ?? {},
    ),
    maxTokens,
    body: options.body ?? {},
  };
  const cache = new LruCache<JudgeVerdict>(cacheSize);
  const slots = new Semaphore(concurrency, maxQueue);
  // Downgraded for good once the server says it has no structured output: no double request each time.
  let structured: StructuredOutput = provider === 'openai' ? structuredOutput : 'none';

  const cacheKey = async (kind: ScanKind, tool: string | undefined, text: string) => {
    const material = runtime.encodeUtf8(
      [endpoint.provider, endpoint.url, endpoint.model, kind, tool ?? '', text].join('\n'),
    );
    return toHex(
      runtime.subtleSha256 === undefined
        ? sha256(material)
        : new Uint8Array(await runtime.subtleSha256(material)),
    );
  };

  const send = async (
    kind: ScanKind,
    tool: string | undefined,
    text: string,
    signal: AbortSignalLike,
  ) => {
    const fence = createFence(text, runtime.randomBytes);
    const mode = structured;
    const prompt = buildPrompt(
      kind,
      tool,
      text,
      fence,
      mode !== 'json_schema' && provider === 'openai',
    );
    const response = await runtime.fetch(endpoint.url, {
      method: 'POST',
      headers: endpoint.headers,
      body: requestBody(endpoint, prompt, mode),
      signal,
    });
    return { response, body: await response.text(), mode };
  };

  const ask: Judge['ask'] = async (kind, tool, rawText, callerSignal) => {
    const started = now();
    const { text, truncated } = shorten(rawText, maxChars);
    const base = { model: endpoint.model, ...(truncated ? { truncated } : {}) };
    const elapsed = () => Math.round((now() - started) * 1000) / 1000;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const key = cacheSize > 0 ? await cacheKey(kind, tool, text) : '';
    const hit = cacheSize > 0 ? cache.get(key) : undefined;
    if (hit !== undefined) return { ...base, status: 'cached', verdict: hit, latencyMs: elapsed() };

    const controller = runtime.createAbortController();
    let timedOut = false;
    const timer = runtime.setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`The judge did not answer within ${timeoutMs} ms.`));
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const fail = (
      status: JudgeReport['status'],
      reason: string,
      httpStatus?: number,
    ): JudgeAnswer => ({
      ...base,
      status,
      reason,
      latencyMs: elapsed(),
      ...(httpStatus === undefined ? {} : { httpStatus }),
    });
    const request = async (): Promise<JudgeAnswer> => {
      try {
        let sent = await send(kind, tool, text, controller.signal);
        if (sent.mode !== 'none' && rejectsStructuredOutput(sent.response.status, sent.body)) {
          structured = 'none';
          sent = await send(kind, tool, text, controller.signal);
        }
        const { response, body } = sent;
        if (!response.ok)
          return fail('error', `HTTP ${response.status}: ${errorMessage(body)}`, response.status);
        const parsed = parseAnswer(provider, body);
        if (!parsed.ok) return fail('invalid', parsed.problem, response.status);
        const checked = checkVerdict(parsed.answer);
        if (!checked.ok) return fail('invalid', checked.problem, response.status);
        if (cacheSize > 0) cache.set(key, checked.verdict);
        return {
          ...base,
          status: 'ok',
          verdict: checked.verdict,
          latencyMs: elapsed(),
          httpStatus: response.status,
        };
      } catch (error) {
        if (timedOut) return fail('timeout', `no answer within ${timeoutMs} ms`);
        return fail('error', `request failed: ${describeError(error)}`);
      }
    };
    try {
      const slot = await slots.acquire(controller.signal);
      if (callerSignal?.aborted) {
        if (typeof slot === 'function') slot();
        throw callerSignal.reason;
      }
      if (slot === 'overloaded')
        return fail(
          'overloaded',
          `${concurrency} judge requests in flight and ${maxQueue} waiting`,
        );
      if (slot === 'aborted') return fail('timeout', `no free judge slot within ${timeoutMs} ms`);
      // The slot is held until the request settles, so `concurrency` bounds real requests even
      // with a fetch that ignores its signal; the caller gets its answer at the deadline anyway.
      const answer = request();
      void answer.finally(slot);
      const deadline = new Promise<undefined>((resolve) => {
        if (controller.signal.aborted) resolve(undefined);
        controller.signal.addEventListener('abort', () => resolve(undefined), { once: true });
      });
      const settled = await Promise.race([answer, deadline]);
      if (callerSignal?.aborted) throw callerSignal.reason;
      return settled ?? fail('timeout', `no answer within ${timeoutMs} ms`);
    } finally {
      runtime.clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  };

  return { model: endpoint.model, ask };
}

/** A network error's message with its cause's code (`fetch failed (ECONNREFUSED)`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${error.message}${code}`.slice(0, 200);
}
