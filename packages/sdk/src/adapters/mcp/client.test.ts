import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isWardenBlockedError } from '../../errors.js';
import { blocked, DANGEROUS_COMMAND } from '../../testing/adapter-cases.js';
import {
  createFixtureServer,
  type FixtureCall,
  INJECTED_PAGE,
  LEAKED_TOKEN,
  PIXEL_PNG,
} from '../../testing/mcp-server.js';
import { type CheckReport, createWarden, type WardenOptions } from '../../warden.js';
import { type PoisonedTool, refusedMcpTools, wrapMcpClient } from './index.js';

const REPO = resolve(import.meta.dirname, '../../../../..');
const STDIO_SERVER = join(REPO, 'packages/sdk/src/testing/mcp-stdio-server.ts');
const DANGEROUS = { command: DANGEROUS_COMMAND };

interface Connection {
  client: Client;
  calls(): FixtureCall[];
  reset(): void;
  close(): Promise<void>;
}

async function connectInMemory(): Promise<Connection> {
  let calls: FixtureCall[] = [];
  const server = createFixtureServer((call) => calls.push(call));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'warden-test', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    calls: () => calls,
    reset: () => {
      calls = [];
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

async function connectStdio(): Promise<Connection> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-mcp-'));
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', STDIO_SERVER],
    cwd: REPO,
    env: { ...getDefaultEnvironment(), WARDEN_MCP_CALL_LOG: log },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'warden-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as FixtureCall),
    reset: () => writeFileSync(log, ''),
    close: async () => {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function guard(connection: Connection, options: WardenOptions = {}, reports: CheckReport[] = []) {
  const warden = createWarden({ ...options, onCheck: (report) => reports.push(report) });
  return { warden, client: wrapMcpClient(connection.client, warden), reports };
}

describe.each([
  ['in memory', connectInMemory],
  ['stdio', connectStdio],
] as const)('wrapMcpClient over %s', (_transport, connect) => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connect();
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
  });
  beforeEach(() => connection.reset());

  it('passes a benign call through unchanged', async () => {
    const { client, reports } = guard(connection);
    const direct = await connection.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    const wrapped = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(wrapped).toEqual(direct);
    expect(wrapped).toEqual({
      content: [{ type: 'text', text: 'The sum is 5.' }],
      structuredContent: { sum: 5 },
    });
    expect(connection.calls()).toEqual([
      { tool: 'add', arguments: { a: 2, b: 3 } },
      { tool: 'add', arguments: { a: 2, b: 3 } },
    ]);
    expect(reports.map((report) => [report.surface, report.tool, report.decision])).toEqual([
      ['tool_args', 'add', 'allow'],
      ['tool_result', 'add', 'allow'],
    ]);
  });

  it('blocks a dangerous call before it is sent: the server never runs it', async () => {
    const { client, warden } = guard(connection);
    const error = await blocked(client.callTool({ name: 'run_shell', arguments: DANGEROUS }));
    expect(error).toMatchObject({
      code: 'WARDEN_BLOCKED',
      surface: 'tool_args',
      tool: 'run_shell',
    });
    expect(error.category).toBe('shell_injection');
    expect(connection.calls()).toEqual([]);
    // The same tool with a harmless command does reach the server.
    await client.callTool({ name: 'run_shell', arguments: { command: 'ls -la' } });
    expect(connection.calls()).toEqual([{ tool: 'run_shell', arguments: { command: 'ls -la' } }]);
    expect(warden.stats()).toMatchObject({ blocked: 1 });
  });

  it('blocks an injected tool result, or replaces it with onBlock replace', async () => {
    const thrown = guard(connection);
    const error = await blocked(
      thrown.client.callTool({ name: 'fetch_url', arguments: { url: 'https://example.com' } }),
    );
    expect(error).toMatchObject({ surface: 'tool_result', tool: 'fetch_url' });
    expect(error.category).toBeDefined();
    expect(error.message).not.toContain('attacker@evil.example');

    const replaced = guard(connection, {
      onBlock: { toolResult: 'replace' },
      refusalMessage: 'withheld',
    });
    const result = await replaced.client.callTool({
      name: 'fetch_url',
      arguments: { url: 'https://example.com' },
    });
    expect(result).toEqual({ content: [{ type: 'text', text: 'withheld' }], isError: true });
    expect(connection.calls().map((call) => call.tool)).toEqual(['fetch_url', 'fetch_url']);
  });

  it('removes poisoned tools from listTools and refuses to call them', async () => {
    const reports: CheckReport[] = [];
    const poisoned: PoisonedTool[] = [];
    const warden = createWarden({ onCheck: (report) => reports.push(report) });
    const client = wrapMcpClient(connection.client, warden, {
      onPoisonedTool: (tool) => poisoned.push(tool),
    });
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(['add', 'run_shell', 'fetch_url', 'get_token']);
    expect(refusedMcpTools(client).sort()).toEqual(['daily_fact', 'secret_add']);
    expect(poisoned.map((tool) => [tool.tool, tool.action, tool.category])).toEqual([
      ['secret_add', 'removed', 'indirect_injection'],
      ['daily_fact', 'removed', 'indirect_injection'],
    ]);
    // Each definition was scanned (and recorded) as a tool result of its tool.
    const blockedDefinitions = reports.filter((report) => report.decision === 'block');
    expect(blockedDefinitions.map((report) => [report.surface, report.tool])).toEqual([
      ['tool_result', 'secret_add'],
      ['tool_result', 'daily_fact'],
    ]);
    expect(poisoned.map((tool) => tool.eventId)).toEqual(
      blockedDefinitions.map((report) => report.eventId),
    );

    const error = await blocked(client.callTool({ name: 'secret_add', arguments: { a: 1, b: 2 } }));
    expect(error).toMatchObject({
      surface: 'tool_args',
      tool: 'secret_add',
      eventId: poisoned[0]?.eventId,
    });
    await blocked(client.callTool({ name: 'daily_fact', arguments: { topic: 'bees' } }));
    expect(connection.calls()).toEqual([]);
    // The unwrapped client still lists everything: the filter is the wrapper's.
    expect((await connection.client.listTools()).tools).toHaveLength(6);
  });

  it('monitor mode lets everything through and reports what it would have blocked', async () => {
    const reports: CheckReport[] = [];
    const { client, warden } = guard(connection, { mode: 'monitor' }, reports);
    expect((await client.listTools()).tools).toHaveLength(6);
    expect(refusedMcpTools(client)).toEqual([]);
    await client.callTool({ name: 'run_shell', arguments: DANGEROUS });
    const page = await client.callTool({
      name: 'fetch_url',
      arguments: { url: 'https://example.com' },
    });
    expect(page).toEqual({ content: [{ type: 'text', text: INJECTED_PAGE }] });
    await client.callTool({ name: 'secret_add', arguments: { a: 1, b: 2 } });
    expect(connection.calls().map((call) => call.tool)).toEqual([
      'run_shell',
      'fetch_url',
      'secret_add',
    ]);
    const wouldBlock = reports.filter((report) => report.policyDecision === 'block');
    expect(wouldBlock.map((report) => [report.surface, report.tool])).toEqual([
      ['tool_result', 'secret_add'],
      ['tool_result', 'daily_fact'],
      ['tool_args', 'run_shell'],
      ['tool_result', 'fetch_url'],
    ]);
    expect(wouldBlock.every((report) => report.decision === 'alert')).toBe(true);
    expect(warden.stats()).toMatchObject({ blocked: 0, wouldBlock: 4 });
  });
});

describe('wrapMcpClient in detail (in memory)', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connectInMemory();
  });
  afterAll(async () => {
    await connection.close();
  });
  beforeEach(() => connection.reset());

  it('keeps the client what it was: other methods, properties, instanceof', async () => {
    const { client } = guard(connection);
    expect(client).toBeInstanceOf(Client);
    expect(client.getServerVersion()).toEqual({ name: 'warden-fixture', version: '1.0.0' });
    await expect(client.ping()).resolves.toEqual({});
    expect(client.callTool).toBe(client.callTool);
    expect(client.ping).toBe(client.ping);
  });

  it('sends redacted arguments when the policy redacts them', async () => {
    const { client } = guard(connection);
    await client
      .callTool({ name: 'get_token', arguments: { project: `web ${LEAKED_TOKEN}` } })
      .catch(() => {});
    expect(connection.calls()).toEqual([
      { tool: 'get_token', arguments: { project: 'web [REDACTED:secret]' } },
    ]);
  });

  it('redacts a text block of a result in place and keeps images as they are', async () => {
    const { client } = guard(connection);
    const result = await client.callTool({ name: 'get_token', arguments: { project: 'web' } });
    expect(result).toEqual({
      content: [
        { type: 'text', text: 'The token of web is [REDACTED:secret].' },
        { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' },
        { type: 'text', text: 'Rotate it every 90 days.' },
      ],
    });
  });

  it('throws from listTools instead with poisonedTools: throw, and refuses the tools afterwards', async () => {
    const warden = createWarden();
    const client = wrapMcpClient(connection.client, warden, { poisonedTools: 'throw' });
    const error = await blocked(client.listTools());
    expect(error).toMatchObject({ surface: 'tool_result', tool: 'secret_add' });
    await blocked(client.callTool({ name: 'secret_add', arguments: { a: 1, b: 2 } }));
    expect(connection.calls()).toEqual([]);
  });

  it('removes poisoned tools also when onBlock replaces tool results', async () => {
    const warden = createWarden({ onBlock: { toolResult: 'replace' } });
    const client = wrapMcpClient(connection.client, warden);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      'add',
      'run_shell',
      'fetch_url',
      'get_token',
    ]);
    await blocked(client.callTool({ name: 'secret_add', arguments: { a: 1, b: 2 } }));
    expect(connection.calls()).toEqual([]);
  });

  it('scans definitions as documents with definitionSurface: document', async () => {
    const reports: CheckReport[] = [];
    const warden = createWarden({ onCheck: (report) => reports.push(report) });
    const client = wrapMcpClient(connection.client, warden, { definitionSurface: 'document' });
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('secret_add');
    expect(
      reports.every((report) => report.surface === 'document' && report.tool === undefined),
    ).toBe(true);
  });

  it('checks tools/call, tools/list sent through the generic request()', async () => {
    const { client } = guard(connection);
    await blocked(
      client.request(
        { method: 'tools/call', params: { name: 'run_shell', arguments: DANGEROUS } },
        CallToolResultSchema,
      ),
    );
    expect(connection.calls()).toEqual([]);
  });

  it('checks the streaming path, experimental.tasks.callToolStream', async () => {
    const { client, reports } = guard(connection);
    const collect = async (name: string, args: Record<string, unknown>) => {
      const messages: { type: string; result?: unknown; error?: unknown }[] = [];
      for await (const message of client.experimental.tasks.callToolStream({
        name,
        arguments: args,
      }))
        messages.push(message);
      return messages;
    };
    const dangerous = await collect('run_shell', DANGEROUS);
    expect(dangerous).toHaveLength(1);
    expect(dangerous[0]?.type).toBe('error');
    expect(isWardenBlockedError(dangerous[0]?.error)).toBe(true);
    expect(connection.calls()).toEqual([]);
    const injected = await collect('fetch_url', { url: 'https://example.com' });
    expect(injected.map((message) => message.type)).toEqual(['error']);
    expect(injected[0]?.error).toMatchObject({ surface: 'tool_result', tool: 'fetch_url' });
    const benign = await collect('add', { a: 1, b: 1 });
    expect(benign).toEqual([
      {
        type: 'result',
        result: {
          content: [{ type: 'text', text: 'The sum is 2.' }],
          structuredContent: { sum: 2 },
        },
      },
    ]);
    expect(connection.calls().map((call) => call.tool)).toEqual(['fetch_url', 'add']);
    expect(reports.map((report) => report.surface)).toEqual([
      'tool_args',
      'tool_args',
      'tool_result',
      'tool_args',
      'tool_result',
    ]);
  });

  it('scans prompts and resources as documents', async () => {
    const { client } = guard(connection);
    expect((await client.getPrompt({ name: 'greet' })).messages).toHaveLength(1);
    expect(await blocked(client.getPrompt({ name: 'summarise_page' }))).toMatchObject({
      surface: 'document',
    });
    expect((await client.readResource({ uri: 'notes://readme' })).contents).toHaveLength(1);
    expect(await blocked(client.readResource({ uri: 'notes://injected' }))).toMatchObject({
      surface: 'document',
    });

    const replaced = guard(connection, {
      onBlock: { document: 'replace' },
      refusalMessage: 'withheld',
    });
    expect(await replaced.client.readResource({ uri: 'notes://injected' })).toEqual({
      contents: [{ uri: 'notes://injected', mimeType: 'text/plain', text: 'withheld' }],
    });
    expect((await replaced.client.getPrompt({ name: 'summarise_page' })).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'withheld' } },
    ]);
  });

  it('leaves prompts and resources alone with prompts: false, resources: false', async () => {
    const warden = createWarden();
    const client = wrapMcpClient(connection.client, warden, { prompts: false, resources: false });
    await expect(client.readResource({ uri: 'notes://injected' })).resolves.toBeDefined();
    await expect(client.getPrompt({ name: 'summarise_page' })).resolves.toBeDefined();
  });

  it('rejects options that cannot work', () => {
    const warden = createWarden();
    expect(() =>
      wrapMcpClient(connection.client, warden, { poisonedTools: 'drop' as never }),
    ).toThrow(/poisonedTools/);
    expect(() => wrapMcpClient({} as never, warden)).toThrow(/MCP Client/);
  });
});
