/**
 * `@warden/sdk/anthropic`: guards an Anthropic client in place.
 * @example const anthropic = wrapAnthropic(new Anthropic(), createWarden());
 * await anthropic.messages.create({ model, max_tokens, messages }); // throws WardenBlockedError on an attack
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { CheckContext, OutputStreamGuard, Warden } from '../../warden.js';
import {
  argumentsAs,
  BoundedMap,
  blockedError,
  GuardedPromise,
  isSdkStream,
  type ProviderGuardOptions,
  proxyClient,
  rebuildResponse,
  rebuildStream,
  requestContext,
  ScanCache,
  type Settled,
  scanRequestText,
  type WithResponse,
} from '../shared/guard-kit.js';

/** Options of wrapAnthropic. */
export interface WrapAnthropicOptions extends ProviderGuardOptions {}

type Json = Record<string, unknown>;
type Create = (body: unknown, options?: unknown) => WithResponse<unknown>;

const TOOL_NAMES_KEPT = 2000;
const UNKNOWN_TOOL = 'unknown';
/** Blocks of an assistant turn that call a tool, by the field that names it. */
const TOOL_USE_TYPES = ['tool_use', 'server_tool_use', 'mcp_tool_use'];

interface AdapterState {
  warden: Warden;
  cache: ScanCache;
  toolNames: BoundedMap<string>;
  context: CheckContext | undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Returns the client guarded: `messages.create` and `beta.messages.create` (and the helpers on
 * them: `messages.stream`, `messages.parse`) check what goes to the model and what comes back.
 * Every other method is the client's own.
 */
export function wrapAnthropic<C extends Anthropic>(
  client: C,
  warden: Warden,
  options: WrapAnthropicOptions = {},
): C {
  const state: AdapterState = {
    warden,
    cache: new ScanCache(options.scanCacheSize),
    toolNames: new BoundedMap(TOOL_NAMES_KEPT),
    context: options.context,
  };
  return proxyClient(
    client,
    (_guarded, target) => {
      const create = target.messages.create as unknown as Create;
      const betaMessages = (target as { beta?: { messages?: { create?: unknown } } }).beta
        ?.messages;
      const overrides: Record<string, Record<string, unknown>> = {
        messages: {
          create: (body: unknown, requestOptions?: unknown) =>
            guardedCall(
              state,
              body,
              requestOptions,
              (b) => create.call(target.messages, b, requestOptions),
              target,
            ),
        },
      };
      if (betaMessages !== undefined && typeof betaMessages.create === 'function') {
        const betaCreate = betaMessages.create as Create;
        overrides['beta.messages'] = {
          create: (body: unknown, requestOptions?: unknown) =>
            guardedCall(
              state,
              body,
              requestOptions,
              (b) => betaCreate.call(betaMessages, b, requestOptions),
              target,
            ),
        };
      }
      return overrides;
    },
    (next) => wrapAnthropic(next, warden, options),
  );
}

function guardedCall(
  state: AdapterState,
  body: unknown,
  requestOptions: unknown,
  send: (body: unknown) => WithResponse<unknown>,
  client: unknown,
): GuardedPromise<unknown> {
  const context = requestContext(state.context, requestOptions);
  const settled = (async (): Promise<Settled<unknown>> => {
    // Checked before anything is sent: a block throws here, and no request is made.
    const checked = isObject(body) ? await guardRequest(state, body, context) : body;
    const result = await send(checked).withResponse();
    const data = result.data;
    if (isSdkStream(data)) {
      return {
        ...result,
        data: rebuildStream(data, client, (source) => guardStream(state, source, context)),
      };
    }
    if (isObject(data)) await guardMessage(state, data, context);
    return result;
  })();
  return new GuardedPromise(settled, (s) =>
    rebuildResponse(s, (event) => {
      const type = isObject(event) && typeof event.type === 'string' ? event.type : 'message';
      return `event: ${type}\ndata: ${JSON.stringify(event)}\n\n`;
    }),
  );
}

/** Scans the text blocks of a string or block list; returns the content to send (same object if unchanged). */
async function guardBlocks(
  content: unknown,
  scanText: (text: string) => Promise<string>,
  scanBlock?: (block: Json) => Promise<Json>,
): Promise<unknown> {
  if (typeof content === 'string') return content === '' ? content : scanText(content);
  if (!Array.isArray(content)) return content;
  let changed = false;
  const blocks: unknown[] = [];
  for (const block of content) {
    let next: unknown = block;
    if (isObject(block)) {
      if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
        const text = await scanText(block.text);
        if (text !== block.text) next = { ...block, text };
      } else if (scanBlock !== undefined) {
        next = await scanBlock(block);
      }
    }
    if (next !== block) changed = true;
    blocks.push(next);
  }
  return changed ? blocks : content;
}

async function guardRequest(
  state: AdapterState,
  body: Json,
  context: CheckContext | undefined,
): Promise<Json> {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const names = new Map<string, string>();
  const scan = (surface: 'input' | 'tool_result' | 'document', tool: string) => (text: string) =>
    scanRequestText(state.warden, state.cache, surface, tool, text, context);

  const scanUserBlock = async (block: Json): Promise<Json> => {
    if (block.type === 'tool_result') {
      const id = str(block.tool_use_id);
      const tool =
        (id === undefined ? undefined : (names.get(id) ?? state.toolNames.get(id))) ?? UNKNOWN_TOOL;
      const content = await guardBlocks(block.content, scan('tool_result', tool), (inner) =>
        scanDocument(inner, scan('document', '')),
      );
      return content === block.content ? block : { ...block, content };
    }
    return scanDocument(block, scan('document', ''));
  };

  let changed = false;
  const out: unknown[] = [];
  for (const message of messages) {
    if (!isObject(message)) {
      out.push(message);
      continue;
    }
    let next = message;
    if (message.role === 'assistant' && Array.isArray(message.content)) {
      for (const block of message.content) {
        if (!isObject(block) || !TOOL_USE_TYPES.includes(String(block.type))) continue;
        const id = str(block.id);
        const name = str(block.name);
        if (id !== undefined && name !== undefined) names.set(id, name);
      }
    } else if (message.role === 'user') {
      const content = await guardBlocks(message.content, scan('input', ''), scanUserBlock);
      if (content !== message.content) next = { ...message, content };
    }
    if (next !== message) changed = true;
    out.push(next);
  }
  return changed ? { ...body, messages: out } : body;
}

/** A `document` block with a plain-text source is checked as a document (RAG). */
async function scanDocument(
  block: Json,
  scanText: (text: string) => Promise<string>,
): Promise<Json> {
  if (block.type !== 'document' || !isObject(block.source) || block.source.type !== 'text')
    return block;
  const data = block.source.data;
  if (typeof data !== 'string' || data === '') return block;
  const text = await scanText(data);
  return text === data ? block : { ...block, source: { ...block.source, data: text } };
}

async function guardMessage(
  state: AdapterState,
  message: Json,
  context: CheckContext | undefined,
): Promise<void> {
  if (!Array.isArray(message.content)) return;
  for (const block of message.content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      const outcome = await state.warden.checkOutput(block.text, context);
      if (outcome.changed) block.text = outcome.value;
    } else if (block.type === 'tool_use') {
      const tool = str(block.name) || UNKNOWN_TOOL;
      const original = block.input;
      const outcome = await state.warden.checkToolCall(
        { tool, arguments: original ?? {} },
        context,
      );
      if (outcome.changed) block.input = argumentsAs(original, outcome.value);
      const id = str(block.id);
      if (id !== undefined) state.toolNames.set(id, tool);
    }
  }
}

interface OpenBlock {
  type: string;
  id?: string;
  name?: string;
  json: string;
  input: unknown;
  guard?: OutputStreamGuard;
}

async function* guardStream(
  state: AdapterState,
  source: AsyncIterable<unknown>,
  context: CheckContext | undefined,
): AsyncGenerator<unknown, void, undefined> {
  const open = new Map<number, OpenBlock>();

  const close = async (index: number): Promise<void> => {
    const block = open.get(index);
    if (block === undefined) return;
    open.delete(index);
    if (block.type === 'text' && block.guard !== undefined) {
      const outcome = await block.guard.end();
      // What streamed cannot be replaced: a block stops the stream whatever onBlock says.
      if (outcome.decision === 'block') throw blockedError('output', outcome);
    } else if (block.type === 'tool_use') {
      const tool = block.name || UNKNOWN_TOOL;
      let input: unknown = block.input ?? {};
      if (block.json.trim() !== '') {
        try {
          input = JSON.parse(block.json) as unknown;
        } catch {
          input = block.json;
        }
      }
      await state.warden.checkToolCall({ tool, arguments: input }, context);
      if (block.id !== undefined) state.toolNames.set(block.id, tool);
    }
  };

  for await (const event of source) {
    if (isObject(event)) {
      const index = typeof event.index === 'number' ? event.index : 0;
      switch (event.type) {
        case 'content_block_start': {
          const content = isObject(event.content_block) ? event.content_block : {};
          const block: OpenBlock = { type: String(content.type), json: '', input: content.input };
          const id = str(content.id);
          const name = str(content.name);
          if (id !== undefined) block.id = id;
          if (name !== undefined) block.name = name;
          if (block.type === 'text') {
            block.guard = state.warden.guardOutputStream(context);
            if (typeof content.text === 'string' && content.text !== '')
              block.guard.push(content.text);
          }
          open.set(index, block);
          break;
        }
        case 'content_block_delta': {
          const block = open.get(index);
          const delta = isObject(event.delta) ? event.delta : {};
          if (block === undefined) break;
          if (
            delta.type === 'text_delta' &&
            typeof delta.text === 'string' &&
            block.guard !== undefined
          ) {
            // Throws WardenBlockedError before this delta is passed on.
            block.guard.push(delta.text);
          } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
            block.json += delta.partial_json;
          }
          break;
        }
        case 'content_block_stop':
          await close(index);
          break;
        case 'message_delta':
        case 'message_stop':
          for (const key of [...open.keys()]) await close(key);
          break;
      }
    }
    yield event;
  }
  for (const key of [...open.keys()]) await close(key);
}
