import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isWardenBlockedError, type WardenBlockedError } from '../../errors.js';
import {
  blocked,
  DANGEROUS_COMMAND,
  INJECTED_PAGE,
  INJECTION,
  PII,
  SECRET,
} from '../../testing/adapter-cases.js';
import {
  chatChunks,
  chatCompletion,
  type FakeServer,
  responseEvents,
  responseObject,
  startFakeServer,
} from '../../testing/openai-server.js';
import { type CheckReport, createWarden, type WardenOptions } from '../../warden.js';
import { wrapOpenAI } from './index.js';

const SHELL_ARGS = JSON.stringify({ command: DANGEROUS_COMMAND });
const MODEL = 'gpt-4o-mini';

let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

/** The JSON body of a request the server got. */
function sentBody<T>(index: number): T {
  return (server.requests[index]?.body ?? {}) as T;
}

function setup(options: WardenOptions = {}) {
  const reports: CheckReport[] = [];
  const warden = createWarden({ ...options, onCheck: (report) => reports.push(report) });
  const raw = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  return { warden, reports, raw, openai: wrapOpenAI(raw, warden) };
}

const weatherTurn: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'What is the weather in Paris?' },
];

describe('wrapOpenAI: chat completions', () => {
  it('passes a benign round trip through unchanged', async () => {
    const { openai, reports } = setup();
    const reply = chatCompletion({ content: 'It is sunny in Paris today.' });
    server.reply({ json: reply });
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
    });
    expect(JSON.parse(JSON.stringify(completion))).toEqual(reply);
    expect(completion._request_id).toBe('req_1');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(sentBody<{ messages: unknown }>(0).messages).toEqual(weatherTurn);
    expect(reports.map((r) => r.surface)).toEqual(['input', 'output']);
    expect(reports.every((r) => r.decision === 'allow')).toBe(true);
  });

  it('blocks an injected user message before any request is made', async () => {
    const { openai } = setup();
    const error = await blocked(
      openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: INJECTION }],
      }),
    );
    expect(error.surface).toBe('input');
    expect(error.code).toBe('WARDEN_BLOCKED');
    expect(server.requests).toHaveLength(0);
  });

  it('blocks an injection in a text part of a user message', async () => {
    const { openai } = setup();
    await blocked(
      openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: [{ type: 'text', text: INJECTION }] }],
      }),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('blocks a poisoned tool result, naming the tool from the assistant tool call', async () => {
    const { openai } = setup();
    const messages: ChatCompletionMessageParam[] = [
      ...weatherTurn,
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'fetch_url', arguments: '{"url":"https://w.example"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: INJECTED_PAGE },
    ];
    const error = await blocked(openai.chat.completions.create({ model: MODEL, messages }));
    expect(error.surface).toBe('tool_result');
    expect(error.tool).toBe('fetch_url');
    expect(server.requests).toHaveLength(0);
  });

  it('blocks a dangerous tool call in the response before the caller sees it', async () => {
    const { openai } = setup();
    server.reply({
      json: chatCompletion({
        toolCalls: [{ id: 'call_9', name: 'run_shell', arguments: SHELL_ARGS }],
      }),
    });
    const error = await blocked(
      openai.chat.completions.create({ model: MODEL, messages: weatherTurn }),
    );
    expect(error.surface).toBe('tool_args');
    expect(error.tool).toBe('run_shell');
    expect(server.requests).toHaveLength(1);
  });

  it('lets a benign tool call through and resolves its result on the next turn', async () => {
    const { openai, reports } = setup();
    server.reply({
      json: chatCompletion({
        toolCalls: [{ id: 'call_2', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      }),
    });
    const first = await openai.chat.completions.create({ model: MODEL, messages: weatherTurn });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.arguments).toBe('{"city":"Paris"}');
    server.reply({ json: chatCompletion({ content: 'Sunny, 21°C.' }) });
    await openai.chat.completions.create({
      model: MODEL,
      messages: [
        ...weatherTurn,
        first.choices[0]?.message as ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: 'call_2', content: 'Sunny, 21C' },
      ],
    });
    const toolResult = reports.find((r) => r.surface === 'tool_result');
    expect(toolResult?.tool).toBe('get_weather');
  });

  it('redacts personal data in the returned content', async () => {
    const { openai } = setup();
    server.reply({ json: chatCompletion({ content: PII }) });
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).not.toContain('123-45-6789');
    expect(content).not.toContain('555 0100');
    expect(content).toContain('[REDACTED');
  });

  it('sends a redacted user message, and redacts it again on later turns without a new scan', async () => {
    const { openai, reports } = setup();
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: `Connect to ${SECRET} and count rows.` },
    ];
    server.reply({ json: chatCompletion({ content: 'Done.' }) });
    await openai.chat.completions.create({ model: MODEL, messages });
    server.reply({ json: chatCompletion({ content: 'Still done.' }) });
    await openai.chat.completions.create({
      model: MODEL,
      messages: [
        ...messages,
        { role: 'assistant', content: 'Done.' },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    for (const index of [0, 1]) {
      const sent =
        sentBody<{ messages: Array<{ content: string }> }>(index).messages[0]?.content ?? '';
      expect(sent).not.toContain('Vq8#rT2mZx');
      expect(sent).toContain('[REDACTED:secret]');
    }
    expect(messages[0]?.content).toContain('Vq8#rT2mZx');
    expect(reports.filter((r) => r.surface === 'input').map((r) => r.decision)).toEqual([
      'redact',
      'allow',
    ]);
  });

  it('redacts a secret in tool call arguments, keeping them a JSON string', async () => {
    const { openai } = setup();
    server.reply({
      json: chatCompletion({
        toolCalls: [
          { id: 'call_db', name: 'query_db', arguments: JSON.stringify({ url: SECRET }) },
        ],
      }),
    });
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    const args = call?.type === 'function' ? call.function.arguments : '';
    expect(JSON.parse(args)).toEqual({ url: expect.stringContaining('[REDACTED:secret]') });
    expect(args).not.toContain('Vq8#rT2mZx');
  });

  it('replaces a blocked output with the refusal message when onBlock.output is replace', async () => {
    const { openai } = setup({ onBlock: { output: 'replace' }, refusalMessage: 'Withheld.' });
    server.reply({ json: chatCompletion({ content: `Sure. ${INJECTION}` }) });
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
    });
    expect(completion.choices[0]?.message.content).toBe('Withheld.');
  });

  it('scans each message once: a later turn checks only what is new', async () => {
    const { openai, reports } = setup();
    server.reply({ json: chatCompletion({ content: 'Sunny.' }) });
    await openai.chat.completions.create({ model: MODEL, messages: weatherTurn });
    const afterFirst = reports.filter((r) => r.surface === 'input').length;
    server.reply({ json: chatCompletion({ content: 'Rainy.' }) });
    await openai.chat.completions.create({
      model: MODEL,
      messages: [
        ...weatherTurn,
        { role: 'assistant', content: 'Sunny.' },
        { role: 'user', content: 'And in London?' },
      ],
    });
    expect(afterFirst).toBe(1);
    expect(reports.filter((r) => r.surface === 'input').length).toBe(2);
  });

  it('in monitor mode never blocks, but reports the policy decision', async () => {
    const { openai, reports, warden } = setup({ mode: 'monitor' });
    server.reply({
      json: chatCompletion({ toolCalls: [{ id: 'c', name: 'run_shell', arguments: SHELL_ARGS }] }),
    });
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: INJECTION }],
    });
    expect(server.requests).toHaveLength(1);
    expect(sentBody<{ messages: Array<{ content: string }> }>(0).messages[0]?.content).toBe(
      INJECTION,
    );
    expect(completion.choices[0]?.message.tool_calls).toHaveLength(1);
    const input = reports.find((r) => r.surface === 'input');
    const toolArgs = reports.find((r) => r.surface === 'tool_args');
    expect(input).toMatchObject({ decision: 'alert', policyDecision: 'block' });
    expect(toolArgs).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
      tool: 'run_shell',
    });
    expect(warden.stats().wouldBlock).toBe(2);
  });

  it('keeps withResponse() and asResponse() working, on checked data', async () => {
    const { openai } = setup();
    server.reply({ json: chatCompletion({ content: PII }) });
    const { data, response, request_id } = await openai.chat.completions
      .create({ model: MODEL, messages: weatherTurn })
      .withResponse();
    expect(response.status).toBe(200);
    expect(request_id).toBe('req_1');
    expect(data.choices[0]?.message.content).not.toContain('123-45-6789');
    server.reply({ json: chatCompletion({ content: PII }) });
    const raw = await openai.chat.completions
      .create({ model: MODEL, messages: weatherTurn })
      .asResponse();
    const text = await raw.text();
    expect(text).not.toContain('123-45-6789');
  });

  it('guards the parse() and runTools() helpers', async () => {
    const { openai } = setup();
    server.reply({ json: chatCompletion({ content: PII }) });
    const parsed = await openai.chat.completions.parse({ model: MODEL, messages: weatherTurn });
    expect(parsed.choices[0]?.message.content).not.toContain('123-45-6789');

    // The runner calls the tool, appends its (poisoned) result, and asks again: that request is blocked.
    server.reply({
      json: chatCompletion({
        toolCalls: [{ id: 'call_rt', name: 'fetch_url', arguments: '{"url":"https://w.example"}' }],
      }),
    });
    const runner = openai.chat.completions.runTools({
      model: MODEL,
      messages: weatherTurn,
      tools: [
        {
          type: 'function',
          function: {
            name: 'fetch_url',
            description: 'Fetches a web page',
            function: async () => INJECTED_PAGE,
            parse: JSON.parse,
            parameters: { type: 'object', properties: { url: { type: 'string' } } },
          },
        },
      ],
    });
    const error = await runner.finalContent().then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = (error as Error).cause;
    expect(isWardenBlockedError(cause)).toBe(true);
    expect((cause as WardenBlockedError).tool).toBe('fetch_url');
    expect(server.requests).toHaveLength(2);
  });

  it('keeps other methods and withOptions() working, guarded', async () => {
    const { openai } = setup();
    expect(openai.baseURL).toBe(`${server.url}/v1`);
    server.reply({
      json: {
        object: 'list',
        data: [{ id: MODEL, object: 'model', created: 1, owned_by: 'openai' }],
      },
    });
    const models = await openai.models.list();
    expect(models.data[0]?.id).toBe(MODEL);
    const copy = openai.withOptions({ timeout: 5_000 });
    await blocked(
      copy.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: INJECTION }],
      }),
    );
  });
});

describe('wrapOpenAI: chat completions streaming', () => {
  it('streams a benign answer unchanged', async () => {
    const { openai } = setup();
    server.reply({ sse: chatChunks({ deltas: ['It is ', 'sunny ', 'in Paris.'] }) });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
      stream: true,
    });
    expect(stream.controller).toBeInstanceOf(AbortController);
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('It is sunny in Paris.');
    expect(finish).toBe('stop');
  });

  it('stops a stream that turns malicious, before the malicious delta', async () => {
    const { openai } = setup();
    const benign =
      'The weather in Paris is sunny and warm, with a light breeze from the west. '.repeat(3);
    const deltas = [
      ...benign.match(/.{1,40}/gs)!,
      ` Now ${INJECTION} `,
      'More text after.',
      ' And more.',
    ];
    server.reply({ sse: chatChunks({ deltas }) });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
      stream: true,
    });
    let received = '';
    const error = await (async () => {
      try {
        for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isWardenBlockedError(error)).toBe(true);
    expect((error as WardenBlockedError).surface).toBe('output');
    expect(received).toBe(benign);
    expect(received).not.toContain('Ignore all previous');
  });

  it('blocks a streamed dangerous tool call before the finish chunk', async () => {
    const { openai } = setup();
    const pieces = [SHELL_ARGS.slice(0, 10), SHELL_ARGS.slice(10, 30), SHELL_ARGS.slice(30)];
    server.reply({
      sse: chatChunks({
        toolCalls: [{ id: 'call_s', name: 'run_shell', arguments: SHELL_ARGS, pieces }],
      }),
    });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
      stream: true,
    });
    const finishes: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const chunk of stream) finishes.push(chunk.choices[0]?.finish_reason);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isWardenBlockedError(error)).toBe(true);
    expect((error as WardenBlockedError).tool).toBe('run_shell');
    expect(finishes.filter((f) => f !== null && f !== undefined)).toEqual([]);
  });

  it('rebuilds asResponse() of a stream from the checked chunks', async () => {
    const { openai } = setup();
    server.reply({ sse: chatChunks({ deltas: ['Sunny ', 'today.'] }) });
    const response = await openai.chat.completions
      .create({ model: MODEL, messages: weatherTurn, stream: true })
      .asResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const body = await response.text();
    expect(body).toContain('"content":"Sunny "');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);

    server.reply({ sse: chatChunks({ deltas: ['Rainy. '.repeat(36), INJECTION, ' end'] }) });
    const bad = await openai.chat.completions
      .create({ model: MODEL, messages: weatherTurn, stream: true })
      .asResponse();
    const error = await bad.text().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWardenBlockedError(error)).toBe(true);
  });

  it('lets a benign streamed tool call through', async () => {
    const { openai, reports } = setup();
    server.reply({
      sse: chatChunks({
        toolCalls: [
          {
            id: 'call_w',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
            pieces: ['{"ci', 'ty":"Paris"}'],
          },
        ],
      }),
    });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
      stream: true,
    });
    let args = '';
    for await (const chunk of stream)
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(args).toBe('{"city":"Paris"}');
    expect(reports.find((r) => r.surface === 'tool_args')).toMatchObject({
      tool: 'get_weather',
      decision: 'allow',
    });
  });

  it('guards the SDK stream() helper too', async () => {
    const { openai } = setup();
    server.reply({ sse: chatChunks({ deltas: ['Sunny ', 'today.'] }) });
    const runner = openai.chat.completions.stream({ model: MODEL, messages: weatherTurn });
    expect(await runner.finalContent()).toBe('Sunny today.');
    // The helper wraps errors in an OpenAIError; the WardenBlockedError is its cause.
    const blocked = openai.chat.completions.stream({
      model: MODEL,
      messages: [{ role: 'user', content: INJECTION }],
    });
    const error = await blocked.finalContent().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.OpenAIError);
    expect(isWardenBlockedError((error as Error).cause)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('in monitor mode streams everything and reports the block', async () => {
    const { openai, reports } = setup({ mode: 'monitor' });
    const benign = 'Sunny. '.repeat(36);
    server.reply({ sse: chatChunks({ deltas: [benign, INJECTION, ' end'] }) });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: weatherTurn,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(`${benign}${INJECTION} end`);
    expect(reports.filter((r) => r.surface === 'output').at(-1)).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
    });
  });
});

describe('wrapOpenAI: responses', () => {
  it('passes a benign response through', async () => {
    const { openai } = setup();
    server.reply({ json: responseObject([{ type: 'message', text: 'It is sunny in Paris.' }]) });
    const response = await openai.responses.create({
      model: MODEL,
      input: 'What is the weather in Paris?',
    });
    expect(response.output_text).toBe('It is sunny in Paris.');
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(sentBody<{ input: unknown }>(0).input).toBe('What is the weather in Paris?');
  });

  it('blocks injected string input and input items before any request', async () => {
    const { openai } = setup();
    await blocked(openai.responses.create({ model: MODEL, input: INJECTION }));
    await blocked(
      openai.responses.create({
        model: MODEL,
        input: [{ role: 'user', content: [{ type: 'input_text', text: INJECTION }] }],
      }),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('blocks a poisoned function_call_output, naming the tool from its function_call', async () => {
    const { openai } = setup();
    const error = await blocked(
      openai.responses.create({
        model: MODEL,
        input: [
          { role: 'user', content: 'Summarise https://w.example' },
          {
            type: 'function_call',
            call_id: 'call_r',
            name: 'fetch_url',
            arguments: '{"url":"https://w.example"}',
          },
          { type: 'function_call_output', call_id: 'call_r', output: INJECTED_PAGE },
        ],
      }),
    );
    expect(error.surface).toBe('tool_result');
    expect(error.tool).toBe('fetch_url');
    expect(server.requests).toHaveLength(0);
  });

  it('names the tool of a function_call_output from an earlier response (previous_response_id)', async () => {
    const { openai } = setup();
    server.reply({
      json: responseObject([
        {
          type: 'function_call',
          callId: 'call_p',
          name: 'fetch_url',
          arguments: '{"url":"https://w.example"}',
        },
      ]),
    });
    await openai.responses.create({ model: MODEL, input: 'Summarise https://w.example' });
    const error = await blocked(
      openai.responses.create({
        model: MODEL,
        previous_response_id: 'resp_test123',
        input: [{ type: 'function_call_output', call_id: 'call_p', output: INJECTED_PAGE }],
      }),
    );
    expect(error.tool).toBe('fetch_url');
    expect(server.requests).toHaveLength(1);
  });

  it('blocks a dangerous function_call in the response', async () => {
    const { openai } = setup();
    server.reply({
      json: responseObject([
        { type: 'function_call', callId: 'call_x', name: 'run_shell', arguments: SHELL_ARGS },
      ]),
    });
    const error = await blocked(openai.responses.create({ model: MODEL, input: 'List my files' }));
    expect(error.tool).toBe('run_shell');
  });

  it('redacts output_text and the output_text convenience field', async () => {
    const { openai } = setup();
    server.reply({ json: responseObject([{ type: 'message', text: PII }]) });
    const response = await openai.responses.create({ model: MODEL, input: 'Who do I call?' });
    expect(response.output_text).not.toContain('123-45-6789');
    const item = response.output[0];
    expect(
      item?.type === 'message' && item.content[0]?.type === 'output_text' && item.content[0].text,
    ).toContain('[REDACTED');
  });

  it('streams a benign response and stops one that turns malicious', async () => {
    const { openai } = setup();
    server.reply({
      sse: responseEvents([
        { type: 'message', text: 'Sunny today.', pieces: ['Sunny ', 'today.'] },
      ]),
    });
    const stream = await openai.responses.create({ model: MODEL, input: 'Weather?', stream: true });
    let text = '';
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe('Sunny today.');

    const benign = 'Rainy. '.repeat(36);
    const malicious = `${benign} ${INJECTION}`;
    server.reply({
      sse: responseEvents([
        { type: 'message', text: malicious, pieces: [benign, ` ${INJECTION}`] },
      ]),
    });
    const bad = await openai.responses.create({ model: MODEL, input: 'Weather?', stream: true });
    let received = '';
    const types: string[] = [];
    const error = await (async () => {
      try {
        for await (const event of bad) {
          types.push(event.type);
          if (event.type === 'response.output_text.delta') received += event.delta;
        }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isWardenBlockedError(error)).toBe(true);
    expect(received).toBe(benign);
    expect(types).not.toContain('response.output_text.done');
    expect(types).not.toContain('response.completed');
  });

  it('guards the responses.stream() helper', async () => {
    const { openai } = setup();
    server.reply({
      sse: responseEvents([
        { type: 'message', text: 'Sunny today.', pieces: ['Sunny ', 'today.'] },
      ]),
    });
    const final = await openai.responses
      .stream({ model: MODEL, input: 'Weather?' })
      .finalResponse();
    expect(final.output_text).toBe('Sunny today.');
    const error = await openai.responses
      .stream({ model: MODEL, input: INJECTION })
      .finalResponse()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isWardenBlockedError((error as Error).cause)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('blocks a streamed function call at function_call_arguments.done', async () => {
    const { openai } = setup();
    server.reply({
      sse: responseEvents([
        {
          type: 'function_call',
          callId: 'call_y',
          name: 'run_shell',
          arguments: SHELL_ARGS,
          pieces: [SHELL_ARGS],
        },
      ]),
    });
    const stream = await openai.responses.create({
      model: MODEL,
      input: 'List files',
      stream: true,
    });
    const types: string[] = [];
    const error = await (async () => {
      try {
        for await (const event of stream) types.push(event.type);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect((error as WardenBlockedError).tool).toBe('run_shell');
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types).not.toContain('response.function_call_arguments.done');
    expect(types).not.toContain('response.output_item.done');
  });
});
