/**
 * A local stand-in for the OpenAI API (and the base of the Anthropic one): a node:http server on
 * 127.0.0.1 that answers with queued replies in the provider's wire format, JSON or SSE, and
 * records every request it got. Tests point the real SDK client at it with `baseURL`.
 * `startOpenAIServer` is the same server in a scripted mode: one assistant reply at a time,
 * answered as a JSON completion or as SSE chunks as the request's `stream` flag asks (the AI SDK
 * and LangChain tests use it).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** One SSE event: `event:` line (when named) and `data:` line (JSON unless already a string). */
export interface SseEvent {
  event?: string;
  data: unknown;
}

export type Reply =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { sse: SseEvent[]; status?: number; headers?: Record<string, string> };

/** A reply, or what builds it from the request it answers. */
export type Responder = Reply | ((request: RecordedRequest) => Reply);

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues the reply to the next request (requests without a queued reply get a 500). */
  reply(reply: Responder): void;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        // keep the raw text
      }
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      requests.push(request);
      const next = queue.shift();
      const reply = typeof next === 'function' ? next(request) : next;
      if (reply === undefined) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'no reply queued', type: 'server_error' } }));
        return;
      }
      const headers = { 'x-request-id': `req_${requests.length}`, ...reply.headers };
      if ('json' in reply) {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(reply.json));
        return;
      }
      res.writeHead(reply.status ?? 200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...headers,
      });
      for (const event of reply.sse) {
        const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
        res.write(`${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${data}\n\n`);
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(reply) {
      queue.push(reply);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Chat Completions wire format

export interface FakeToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them (a JSON string). */
  arguments: string;
}

const CREATED = 1_767_000_000;

/** A `chat.completion` object as `POST /v1/chat/completions` returns it. */
export function chatCompletion(options: {
  content?: string | null;
  toolCalls?: FakeToolCall[];
  model?: string;
}) {
  const toolCalls = options.toolCalls ?? [];
  return {
    id: 'chatcmpl-test123',
    object: 'chat.completion',
    created: CREATED,
    model: options.model ?? MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: options.content ?? null,
          refusal: null,
          annotations: [],
          ...(toolCalls.length === 0
            ? {}
            : {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }),
        },
        logprobs: null,
        finish_reason: toolCalls.length === 0 ? 'stop' : 'tool_calls',
      },
    ],
    usage: USAGE,
    service_tier: 'default',
    system_fingerprint: 'fp_test',
  };
}

const MODEL = 'gpt-4o-mini-2024-07-18';

const USAGE = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

function chunkOf(model: string, choices: unknown[], extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-test123',
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_test',
    choices,
    ...extra,
  };
}

/**
 * The SSE events of a streamed chat completion, as the API sends them: a first chunk with the
 * role, one chunk per content delta, tool calls (name first, then argument pieces), a chunk with
 * the finish_reason, a usage chunk when `usage` (the request's `stream_options.include_usage`),
 * then `data: [DONE]`.
 */
export function chatChunks(options: {
  deltas?: string[];
  toolCalls?: Array<FakeToolCall & { pieces?: string[] }>;
  model?: string;
  usage?: boolean;
}): SseEvent[] {
  const model = options.model ?? MODEL;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    chunkOf(model, [{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
  const events: SseEvent[] = [
    { data: chunk({ role: 'assistant', content: '', refusal: null }, null) },
  ];
  for (const delta of options.deltas ?? []) events.push({ data: chunk({ content: delta }, null) });
  const toolCalls = options.toolCalls ?? [];
  toolCalls.forEach((call, index) => {
    events.push({
      data: chunk(
        {
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        },
        null,
      ),
    });
    for (const piece of call.pieces ?? [call.arguments])
      events.push({
        data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null),
      });
  });
  events.push({ data: chunk({}, toolCalls.length === 0 ? 'stop' : 'tool_calls') });
  if (options.usage === true) events.push({ data: chunkOf(model, [], { usage: USAGE }) });
  events.push({ data: '[DONE]' });
  return events;
}

// ---------------------------------------------------------------------------------------------
// Scripted mode: chat completions, JSON or SSE as the request asks

/** One scripted assistant reply. */
export interface ScriptedReply {
  /** The assistant's text (streamed in `chunks` when given, else in pieces of 16 characters). */
  text?: string;
  /** Explicit stream deltas of the text. */
  chunks?: readonly string[];
  /** Arguments as a JSON string, or a value written as JSON (streamed in two halves). */
  toolCalls?: readonly { id: string; name: string; arguments: unknown }[];
}

/** A request the scripted server received: the parsed JSON body and the path. */
export interface ReceivedRequest {
  path: string;
  body: {
    model?: string;
    stream?: boolean;
    messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown }[];
    [key: string]: unknown;
  };
}

export interface OpenAIServer {
  /** Base URL including `/v1`, as the clients' `baseURL` takes it. */
  readonly baseURL: string;
  readonly requests: ReceivedRequest[];
  /** Queues replies, answered in order; a request with none queued gets a 500. */
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

function textChunks(reply: ScriptedReply): string[] {
  if (reply.chunks !== undefined) return [...reply.chunks];
  const text = reply.text ?? '';
  const out: string[] = [];
  for (let index = 0; index < text.length; index += 16) out.push(text.slice(index, index + 16));
  return out;
}

/** The reply to one request: a completion, or its chunks when the request streams. */
export function scripted(reply: ScriptedReply): (request: RecordedRequest) => Reply {
  return (request) => {
    if (!request.path.endsWith('/chat/completions')) {
      return {
        status: 500,
        json: { error: { message: `no scripted reply for ${request.path}`, type: 'server_error' } },
      };
    }
    const body = (request.body ?? {}) as ReceivedRequest['body'];
    const model = body.model ?? 'gpt-test';
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id,
      name: call.name,
      arguments:
        typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    if (body.stream === true) {
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      return {
        sse: chatChunks({
          deltas: textChunks(reply),
          toolCalls: toolCalls.map((call) => {
            const half = Math.ceil(call.arguments.length / 2);
            return { ...call, pieces: [call.arguments.slice(0, half), call.arguments.slice(half)] };
          }),
          model,
          usage: options?.include_usage === true,
        }),
      };
    }
    return {
      json: chatCompletion({
        content: reply.text ?? (toolCalls.length > 0 ? null : ''),
        toolCalls,
        model,
      }),
    };
  };
}

/** The server in scripted mode, on 127.0.0.1 with a free port. */
export async function startOpenAIServer(): Promise<OpenAIServer> {
  const server = await startFakeServer();
  return {
    baseURL: `${server.url}/v1`,
    requests: server.requests as unknown as ReceivedRequest[],
    reply(...replies) {
      for (const reply of replies) server.reply(scripted(reply));
    },
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Responses wire format

export type FakeOutputItem =
  | { type: 'message'; text: string }
  | { type: 'function_call'; callId: string; name: string; arguments: string };

function outputItem(item: FakeOutputItem, index: number, status: 'in_progress' | 'completed') {
  if (item.type === 'message') {
    return {
      id: `msg_${index}`,
      type: 'message',
      status,
      role: 'assistant',
      content:
        status === 'completed'
          ? [{ type: 'output_text', text: item.text, annotations: [], logprobs: [] }]
          : [],
    };
  }
  return {
    id: `fc_${index}`,
    type: 'function_call',
    status,
    call_id: item.callId,
    name: item.name,
    arguments: status === 'completed' ? item.arguments : '',
  };
}

/** A `response` object as `POST /v1/responses` returns it. */
export function responseObject(
  items: FakeOutputItem[],
  status: 'in_progress' | 'completed' = 'completed',
) {
  return {
    id: 'resp_test123',
    object: 'response',
    created_at: CREATED,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'gpt-4.1-2025-04-14',
    output:
      status === 'completed'
        ? items.map((item, index) => outputItem(item, index, 'completed'))
        : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage:
      status === 'completed'
        ? {
            input_tokens: 36,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 87,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 123,
          }
        : null,
    user: null,
    metadata: {},
  };
}

/**
 * The SSE events of a streamed response, as the API sends them (`event: <type>` then `data:`),
 * text in the given pieces and function call arguments in the given pieces.
 */
export function responseEvents(items: Array<FakeOutputItem & { pieces?: string[] }>): SseEvent[] {
  const events: SseEvent[] = [];
  let sequence = 0;
  const push = (data: Record<string, unknown>) =>
    events.push({ event: String(data.type), data: { ...data, sequence_number: sequence++ } });
  push({ type: 'response.created', response: responseObject(items, 'in_progress') });
  push({ type: 'response.in_progress', response: responseObject(items, 'in_progress') });
  items.forEach((item, index) => {
    push({
      type: 'response.output_item.added',
      output_index: index,
      item: outputItem(item, index, 'in_progress'),
    });
    if (item.type === 'message') {
      const id = `msg_${index}`;
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      push({
        type: 'response.content_part.added',
        item_id: id,
        output_index: index,
        content_index: 0,
        part,
      });
      for (const delta of item.pieces ?? [item.text])
        push({
          type: 'response.output_text.delta',
          item_id: id,
          output_index: index,
          content_index: 0,
          delta,
          logprobs: [],
        });
      push({
        type: 'response.output_text.done',
        item_id: id,
        output_index: index,
        content_index: 0,
        text: item.text,
        logprobs: [],
      });
      push({
        type: 'response.content_part.done',
        item_id: id,
        output_index: index,
        content_index: 0,
        part: { ...part, text: item.text },
      });
    } else {
      const id = `fc_${index}`;
      for (const delta of item.pieces ?? [item.arguments])
        push({
          type: 'response.function_call_arguments.delta',
          item_id: id,
          output_index: index,
          delta,
        });
      push({
        type: 'response.function_call_arguments.done',
        item_id: id,
        name: item.name,
        output_index: index,
        arguments: item.arguments,
      });
    }
    push({
      type: 'response.output_item.done',
      output_index: index,
      item: outputItem(item, index, 'completed'),
    });
  });
  push({ type: 'response.completed', response: responseObject(items, 'completed') });
  return events;
}
