/**
 * A local stand-in for the OpenAI chat-completions endpoint (`POST /v1/chat/completions`),
 * speaking the real wire format: a JSON completion, or SSE chunks when the request streams.
 * Tests of the AI SDK and LangChain adapters point the real provider clients at it, so the
 * HTTP boundary is the only thing replaced. Replies are scripted in order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted assistant reply. */
export interface ScriptedReply {
  /** The assistant's text (streamed in `chunks` when given, else in pieces of 16 characters). */
  text?: string;
  /** Explicit stream deltas of the text. */
  chunks?: readonly string[];
  toolCalls?: readonly { id: string; name: string; arguments: unknown }[];
}

/** A request the server received: the parsed JSON body and the path. */
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function argumentsJson(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const USAGE = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };

function completion(reply: ScriptedReply, model: string) {
  const toolCalls = reply.toolCalls ?? [];
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? (toolCalls.length > 0 ? null : ''),
          ...(toolCalls.length === 0
            ? {}
            : {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: argumentsJson(call.arguments) },
                })),
              }),
        },
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: USAGE,
  };
}

function textChunks(reply: ScriptedReply): string[] {
  if (reply.chunks !== undefined) return [...reply.chunks];
  const text = reply.text ?? '';
  const out: string[] = [];
  for (let index = 0; index < text.length; index += 16) out.push(text.slice(index, index + 16));
  return out;
}

async function stream(
  response: ServerResponse,
  reply: ScriptedReply,
  model: string,
  usage: boolean,
) {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
  };
  const send = (payload: unknown) =>
    new Promise<void>((resolve) => {
      if (response.destroyed) return resolve();
      response.write(`data: ${JSON.stringify(payload)}\n\n`, () => resolve());
    });
  await send({
    ...base,
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
  });
  for (const delta of textChunks(reply)) {
    await send({
      ...base,
      choices: [{ index: 0, delta: { content: delta }, finish_reason: null }],
    });
  }
  const toolCalls = reply.toolCalls ?? [];
  for (const [index, call] of toolCalls.entries()) {
    const json = argumentsJson(call.arguments);
    const half = Math.ceil(json.length / 2);
    await send({
      ...base,
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: json.slice(0, half) },
              },
            ],
          },
          finish_reason: null,
        },
      ],
    });
    await send({
      ...base,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index, function: { arguments: json.slice(half) } }] },
          finish_reason: null,
        },
      ],
    });
  }
  await send({
    ...base,
    choices: [{ index: 0, delta: {}, finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop' }],
  });
  if (usage) await send({ ...base, choices: [], usage: USAGE });
  if (!response.destroyed) response.end('data: [DONE]\n\n');
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startOpenAIServer(): Promise<OpenAIServer> {
  const queue: ScriptedReply[] = [];
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const path = request.url ?? '';
      const body = JSON.parse(raw === '' ? '{}' : raw) as ReceivedRequest['body'];
      requests.push({ path, body });
      const reply = queue.shift();
      if (!path.endsWith('/chat/completions') || reply === undefined) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { message: `no scripted reply for ${path}`, type: 'server_error' },
          }),
        );
        return;
      }
      const model = body.model ?? 'gpt-test';
      if (body.stream === true) {
        const options = body.stream_options as { include_usage?: boolean } | undefined;
        await stream(response, reply, model, options?.include_usage === true);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion(reply, model)));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(...replies) {
      queue.push(...replies);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
