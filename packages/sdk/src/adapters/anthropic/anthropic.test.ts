import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isWardenBlockedError, type WardenBlockedError } from '../../errors.js';
import {
  blocked,
  caught,
  DANGEROUS_COMMAND,
  INJECTED_PAGE,
  INJECTION,
  PII,
  SECRET,
} from '../../testing/adapter-cases.js';
import {
  anthropicEvents,
  anthropicMessage,
  type FakeServer,
  startFakeServer,
} from '../../testing/anthropic-server.js';
import { type CheckReport, createWarden, type WardenOptions } from '../../warden.js';
import { wrapAnthropic } from './index.js';

const SHELL_INPUT = { command: DANGEROUS_COMMAND };
const MODEL = 'claude-sonnet-4-6';

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
  const raw = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 });
  return { warden, reports, raw, anthropic: wrapAnthropic(raw, warden) };
}

const question: MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
const base = { model: MODEL, max_tokens: 1024 } as const;

describe('wrapAnthropic: messages.create', () => {
  it('passes a benign round trip through unchanged', async () => {
    const { anthropic, reports } = setup();
    const reply = anthropicMessage([{ type: 'text', text: 'It is sunny in Paris today.' }]);
    server.reply({ json: reply });
    const message = await anthropic.messages.create({
      ...base,
      system: 'Be brief.',
      messages: question,
    });
    expect(JSON.parse(JSON.stringify(message))).toEqual(reply);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(sentBody<{ messages: unknown }>(0).messages).toEqual(question);
    expect(reports.map((r) => [r.surface, r.decision])).toEqual([
      ['input', 'allow'],
      ['output', 'allow'],
    ]);
  });

  it('blocks an injected user message (string or text block) before any request', async () => {
    const { anthropic } = setup();
    const error = await blocked(() =>
      anthropic.messages.create({ ...base, messages: [{ role: 'user', content: INJECTION }] }),
    );
    expect(error.surface).toBe('input');
    await blocked(() =>
      anthropic.messages.create({
        ...base,
        messages: [{ role: 'user', content: [{ type: 'text', text: INJECTION }] }],
      }),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('blocks a poisoned tool_result, naming the tool from its tool_use block', async () => {
    const { anthropic } = setup();
    const messages: MessageParam[] = [
      ...question,
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_1',
            name: 'fetch_url',
            input: { url: 'https://w.example' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [{ type: 'text', text: INJECTED_PAGE }],
          },
        ],
      },
    ];
    const error = await blocked(() => anthropic.messages.create({ ...base, messages }));
    expect(error.surface).toBe('tool_result');
    expect(error.tool).toBe('fetch_url');
    expect(server.requests).toHaveLength(0);
  });

  it('blocks a dangerous tool_use in the response before the caller sees it', async () => {
    const { anthropic } = setup();
    server.reply({
      json: anthropicMessage([
        { type: 'text', text: 'Let me list the files.' },
        { type: 'tool_use', id: 'toolu_2', name: 'run_shell', input: SHELL_INPUT },
      ]),
    });
    const error = await blocked(() => anthropic.messages.create({ ...base, messages: question }));
    expect(error.surface).toBe('tool_args');
    expect(error.tool).toBe('run_shell');
    expect(server.requests).toHaveLength(1);
  });

  it('lets a benign tool_use through and names its tool_result on the next turn', async () => {
    const { anthropic, reports } = setup();
    server.reply({
      json: anthropicMessage([
        { type: 'tool_use', id: 'toolu_3', name: 'get_weather', input: { city: 'Paris' } },
      ]),
    });
    const first = await anthropic.messages.create({ ...base, messages: question });
    expect(first.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Paris' } });
    server.reply({ json: anthropicMessage([{ type: 'text', text: 'Sunny, 21°C.' }]) });
    await anthropic.messages.create({
      ...base,
      messages: [
        ...question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_3', content: 'Sunny, 21C' }],
        },
      ],
    });
    expect(reports.find((r) => r.surface === 'tool_result')).toMatchObject({
      tool: 'get_weather',
      decision: 'allow',
    });
  });

  it('redacts personal data in text blocks', async () => {
    const { anthropic } = setup();
    server.reply({ json: anthropicMessage([{ type: 'text', text: PII }]) });
    const message = await anthropic.messages.create({ ...base, messages: question });
    const block = message.content[0];
    expect(block?.type).toBe('text');
    const text = block?.type === 'text' ? block.text : '';
    expect(text).not.toContain('123-45-6789');
    expect(text).toContain('[REDACTED');
  });

  it('redacts secrets in a tool_result sent and in a tool_use input returned', async () => {
    const { anthropic } = setup();
    server.reply({
      json: anthropicMessage([
        { type: 'tool_use', id: 'toolu_8', name: 'query_db', input: { url: SECRET } },
      ]),
    });
    const first = await anthropic.messages.create({ ...base, messages: question });
    expect(first.content[0]).toMatchObject({
      type: 'tool_use',
      input: { url: expect.stringContaining('[REDACTED:secret]') },
    });
    expect(JSON.stringify(first)).not.toContain('Vq8#rT2mZx');
    server.reply({ json: anthropicMessage([{ type: 'text', text: 'Connected.' }]) });
    await anthropic.messages.create({
      ...base,
      messages: [
        ...question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_8', content: `DATABASE_URL=${SECRET}` },
          ],
        },
      ],
    });
    const sent = JSON.stringify(sentBody<unknown>(1));
    expect(sent).not.toContain('Vq8#rT2mZx');
    expect(sent).toContain('[REDACTED:secret]');
  });

  it('scans each message once across turns', async () => {
    const { anthropic, reports } = setup();
    server.reply({ json: anthropicMessage([{ type: 'text', text: 'Sunny.' }]) });
    await anthropic.messages.create({ ...base, messages: question });
    server.reply({ json: anthropicMessage([{ type: 'text', text: 'Rainy.' }]) });
    await anthropic.messages.create({
      ...base,
      messages: [
        ...question,
        { role: 'assistant', content: 'Sunny.' },
        { role: 'user', content: 'And London?' },
      ],
    });
    expect(reports.filter((r) => r.surface === 'input')).toHaveLength(2);
  });

  it('in monitor mode never blocks, but reports the policy decision', async () => {
    const { anthropic, reports } = setup({ mode: 'monitor' });
    server.reply({
      json: anthropicMessage([
        { type: 'tool_use', id: 'toolu_4', name: 'run_shell', input: SHELL_INPUT },
      ]),
    });
    const message = await anthropic.messages.create({
      ...base,
      messages: [{ role: 'user', content: INJECTION }],
    });
    expect(server.requests).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'tool_use', input: SHELL_INPUT });
    expect(reports.find((r) => r.surface === 'input')).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
    });
    expect(reports.find((r) => r.surface === 'tool_args')).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
      tool: 'run_shell',
    });
  });

  it('guards beta.messages.create too', async () => {
    const { anthropic } = setup();
    await blocked(() =>
      anthropic.beta.messages.create({ ...base, messages: [{ role: 'user', content: INJECTION }] }),
    );
    server.reply({
      json: anthropicMessage([
        { type: 'tool_use', id: 'toolu_b', name: 'run_shell', input: SHELL_INPUT },
      ]),
    });
    const error = await blocked(() =>
      anthropic.beta.messages.create({ ...base, messages: question }),
    );
    expect(error.tool).toBe('run_shell');
    expect(server.requests).toHaveLength(1);
  });

  it('keeps withResponse() and other methods working', async () => {
    const { anthropic } = setup();
    server.reply({ json: anthropicMessage([{ type: 'text', text: PII }]) });
    const { data, response } = await anthropic.messages
      .create({ ...base, messages: question })
      .withResponse();
    expect(response.status).toBe(200);
    expect(JSON.stringify(data)).not.toContain('123-45-6789');
    server.reply({ json: { input_tokens: 12 } });
    const count = await anthropic.messages.countTokens({ model: MODEL, messages: question });
    expect(count.input_tokens).toBe(12);
  });
});

describe('wrapAnthropic: streaming', () => {
  it('streams a benign answer unchanged', async () => {
    const { anthropic } = setup();
    server.reply({
      sse: anthropicEvents([{ type: 'text', text: 'Sunny today.', pieces: ['Sunny ', 'today.'] }]),
    });
    const stream = await anthropic.messages.create({ ...base, messages: question, stream: true });
    expect(stream.controller).toBeInstanceOf(AbortController);
    const [copy, original] = stream.tee();
    let copied = 0;
    for await (const _event of copy) copied += 1;
    let text = '';
    const types: string[] = [];
    for await (const event of original) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    expect(text).toBe('Sunny today.');
    expect(types.at(-1)).toBe('message_stop');
    expect(copied).toBe(types.length);
  });

  it('stops a stream that turns malicious, before the malicious delta', async () => {
    const { anthropic } = setup();
    const benign = 'The weather in Paris is sunny and warm. '.repeat(6);
    server.reply({
      sse: anthropicEvents([
        {
          type: 'text',
          text: '',
          pieces: [...benign.match(/.{1,40}/gs)!, ` Now ${INJECTION}`, ' More.'],
        },
      ]),
    });
    const stream = await anthropic.messages.create({ ...base, messages: question, stream: true });
    let received = '';
    const error = await caught(async () => {
      for await (const event of stream)
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          received += event.delta.text;
    });
    expect(isWardenBlockedError(error)).toBe(true);
    expect(received).toBe(benign);
  });

  it('blocks a streamed dangerous tool_use before its content_block_stop', async () => {
    const { anthropic } = setup();
    const json = JSON.stringify(SHELL_INPUT);
    server.reply({
      sse: anthropicEvents([
        {
          type: 'tool_use',
          id: 'toolu_5',
          name: 'run_shell',
          input: SHELL_INPUT,
          pieces: [json.slice(0, 12), json.slice(12)],
        },
      ]),
    });
    const stream = await anthropic.messages.create({ ...base, messages: question, stream: true });
    const types: string[] = [];
    const error = await caught(async () => {
      for await (const event of stream) types.push(event.type);
    });
    expect((error as WardenBlockedError).tool).toBe('run_shell');
    expect(types).toContain('content_block_delta');
    expect(types).not.toContain('content_block_stop');
    expect(types).not.toContain('message_stop');
  });

  it('guards messages.stream() too', async () => {
    const { anthropic } = setup();
    server.reply({
      sse: anthropicEvents([
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_6', name: 'get_weather', input: { city: 'Paris' } },
      ]),
    });
    const final = await anthropic.messages.stream({ ...base, messages: question }).finalMessage();
    expect(final.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });

    server.reply({
      sse: anthropicEvents([
        { type: 'tool_use', id: 'toolu_7', name: 'run_shell', input: SHELL_INPUT },
      ]),
    });
    const error = await caught(() =>
      anthropic.messages.stream({ ...base, messages: question }).finalMessage(),
    );
    // The helper wraps errors in an AnthropicError; the WardenBlockedError is its cause.
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect(isWardenBlockedError((error as Error).cause)).toBe(true);
  });

  it('in monitor mode streams everything and reports the block', async () => {
    const { anthropic, reports } = setup({ mode: 'monitor' });
    server.reply({ sse: anthropicEvents([{ type: 'text', text: INJECTION }]) });
    const stream = await anthropic.messages.create({ ...base, messages: question, stream: true });
    let text = '';
    for await (const event of stream)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    expect(text).toBe(INJECTION);
    expect(reports.find((r) => r.surface === 'output')).toMatchObject({
      decision: 'alert',
      policyDecision: 'block',
    });
  });
});
