import type { JudgePrompt } from './prompt.js';
import type { JudgeProvider, StructuredOutput } from './types.js';
import { extractJsonObject, VERDICT_SCHEMA } from './verdict.js';

/** The resolved endpoint: everything but the prompt. */
export interface Endpoint {
  provider: JudgeProvider;
  url: string;
  model: string;
  headers: Record<string, string>;
  maxTokens: number;
  body: Record<string, unknown>;
}

const AZURE_HOST =
  /^https?:\/\/[^/?#]+\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)(?::\d+)?(?:[/?#]|$)/i;
const TOOL_NAME = 'record_verdict';

/** The request URL from a base URL (or a full endpoint URL, kept as it is). */
export function endpointUrl(provider: JudgeProvider, url: string, apiVersion?: string): string {
  const queryAt = url.search(/[?#]/);
  let path = queryAt < 0 ? url : url.slice(0, queryAt);
  let query = queryAt < 0 ? '' : url.slice(queryAt);
  path = path.replace(/\/+$/, '');
  if (provider === 'openai') {
    if (!/\/chat\/completions$/.test(path)) path += '/chat/completions';
    if (apiVersion !== undefined && !/[?&]api-version=/.test(query)) {
      const parameter = `api-version=${encodeURIComponent(apiVersion)}`;
      query = query === '' ? `?${parameter}` : `${query}&${parameter}`;
    }
  } else if (!/\/messages$/.test(path)) {
    path += /\/v1$/.test(path) ? '/messages' : '/v1/messages';
  }
  return path + query;
}

/** Authentication and protocol headers, then the user's own on top. */
export function endpointHeaders(
  provider: JudgeProvider,
  url: string,
  apiKey: string | undefined,
  apiVersion: string | undefined,
  extra: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (provider === 'anthropic') {
    headers['anthropic-version'] = apiVersion ?? '2023-06-01';
    if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  } else if (apiKey !== undefined) {
    // Azure OpenAI takes its key in `api-key`; everyone else OpenAI-compatible takes a bearer token.
    if (apiVersion !== undefined || AZURE_HOST.test(url)) headers['api-key'] = apiKey;
    else headers.authorization = `Bearer ${apiKey}`;
  }
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  return headers;
}

/** The JSON body of one request. */
export function requestBody(
  endpoint: Endpoint,
  prompt: JudgePrompt,
  structured: StructuredOutput,
): string {
  let body: Record<string, unknown>;
  if (endpoint.provider === 'anthropic') {
    body = {
      model: endpoint.model,
      max_tokens: endpoint.maxTokens,
      temperature: 0,
      system: prompt.system,
      messages: [{ role: 'user', content: prompt.user }],
      // A forced tool call is how the Messages API returns a structured answer.
      tools: [
        {
          name: TOOL_NAME,
          description: 'Records the verdict about the untrusted data.',
          input_schema: VERDICT_SCHEMA,
        },
      ],
      tool_choice: { type: 'tool', name: TOOL_NAME },
    };
  } else {
    body = {
      model: endpoint.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      temperature: 0,
      max_tokens: endpoint.maxTokens,
    };
    if (structured === 'json_schema') {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: 'warden_verdict', strict: true, schema: VERDICT_SCHEMA },
      };
    } else if (structured === 'json_object') {
      body.response_format = { type: 'json_object' };
    }
  }
  for (const [key, value] of Object.entries(endpoint.body)) {
    if (value === null) delete body[key];
    else body[key] = value;
  }
  return JSON.stringify(body);
}

/** What came back: the verdict object to check, or why there is none. */
export type ParsedAnswer = { ok: true; answer: unknown } | { ok: false; problem: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the verdict out of a successful response body, per wire format. */
export function parseAnswer(provider: JudgeProvider, bodyText: string): ParsedAnswer {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return { ok: false, problem: 'the response body is not JSON' };
  }
  if (!isObject(body)) return { ok: false, problem: 'the response body is not a JSON object' };
  if (provider === 'anthropic') {
    if (!Array.isArray(body.content))
      return { ok: false, problem: 'the response has no content blocks' };
    const blocks = body.content.filter(isObject);
    const call = blocks.find((block) => block.type === 'tool_use' && block.name === TOOL_NAME);
    if (call !== undefined) return { ok: true, answer: call.input };
    const text = blocks.find((block) => block.type === 'text' && typeof block.text === 'string');
    if (text !== undefined) return fromText(text.text as string);
    return { ok: false, problem: `no ${TOOL_NAME} tool call in the response` };
  }
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  const message = isObject(choice) ? choice.message : undefined;
  if (!isObject(message)) return { ok: false, problem: 'the response has no choices[0].message' };
  if (typeof message.refusal === 'string' && message.refusal !== '')
    return { ok: false, problem: 'the judge refused to answer' };
  if (typeof message.content === 'string' && message.content.trim() !== '')
    return fromText(message.content);
  // Some OpenAI-compatible servers answer structured requests with a tool call instead.
  const call = Array.isArray(message.tool_calls) ? message.tool_calls[0] : undefined;
  const argumentsText =
    isObject(call) && isObject(call.function) ? call.function.arguments : undefined;
  if (typeof argumentsText === 'string') return fromText(argumentsText);
  return { ok: false, problem: 'the message has no content' };
}

function fromText(text: string): ParsedAnswer {
  const answer = extractJsonObject(text);
  return answer === undefined
    ? { ok: false, problem: 'no JSON object in the answer' }
    : { ok: true, answer };
}

/** The provider's own error message (OpenAI `error.message`, Anthropic `error.message`), short. */
export function errorMessage(bodyText: string): string {
  let message: unknown;
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isObject(body)) message = isObject(body.error) ? body.error.message : body.error;
  } catch {
    // Not JSON: a proxy's HTML page, say. Its text is not worth quoting.
  }
  if (typeof message !== 'string' || message.trim() === '') return 'no error message';
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

/** True when an OpenAI-compatible server rejected the request for its response_format. */
export function rejectsStructuredOutput(status: number, bodyText: string): boolean {
  return status === 400 && /response_format|json_schema|structured output/i.test(bodyText);
}
