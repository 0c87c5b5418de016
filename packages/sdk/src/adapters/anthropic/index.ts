/**
 * `@warden/sdk/anthropic`: guards an Anthropic client in place.
 * @example const anthropic = wrapAnthropic(new Anthropic(), createWarden());
 * await anthropic.messages.create({ model, max_tokens, messages }); // throws WardenBlockedError on an attack
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { CheckContext, OutputStreamGuard, Warden } from '../../warden.js';
import {
  type ApiGuard,
  blockedError,
  checkToolCallIn,
  guardedCreate,
  guardTextParts,
  isObject,
  type Json,
  mapObjects,
  type ProviderGuardOptions,
  type ProviderState,
  providerState,
  proxyClient,
  requestScanner,
  resultTool,
  str,
  UNKNOWN_TOOL,
} from '../shared/guard-kit.js';

/** Options of wrapAnthropic. */
export interface WrapAnthropicOptions extends ProviderGuardOptions {}

/** Blocks of an assistant turn that call a tool, by the field that names it. */
const TOOL_USE_TYPES = ['tool_use', 'server_tool_use', 'mcp_tool_use'];

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
  const state = providerState(warden, options);
  return proxyClient(
    client,
    (_guarded, target) => {
      const betaMessages = (target as { beta?: { messages?: { create?: unknown } } }).beta
        ?.messages;
      const overrides: Record<string, Record<string, unknown>> = {
        messages: { create: guardedCreate(state, target.messages, messagesApi, target) },
      };
      if (betaMessages !== undefined && typeof betaMessages.create === 'function')
        overrides['beta.messages'] = {
          create: guardedCreate(state, betaMessages, messagesApi, target),
        };
      return overrides;
    },
    (next) => wrapAnthropic(next, warden, options),
  );
}

const messagesApi: ApiGuard = {
  request: guardRequest,
  response: guardMessage,
  stream: guardStream,
  encodeEvent: (event) => {
    const type = isObject(event) && typeof event.type === 'string' ? event.type : 'message';
    return `event: ${type}\ndata: ${JSON.stringify(event)}\n\n`;
  },
  trailer: '',
};

async function guardRequest(
  state: ProviderState,
  body: Json,
  context: CheckContext | undefined,
): Promise<Json> {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const names = new Map<string, string>();
  const scan = requestScanner(state, context);

  const scanUserBlock = async (block: Json): Promise<Json> => {
    if (block.type === 'tool_result') {
      const tool = resultTool(state, names, str(block.tool_use_id));
      const content = await guardTextParts(
        block.content,
        ['text'],
        scan('tool_result', tool),
        (inner) => scanDocument(inner, scan('document')),
      );
      return content === block.content ? block : { ...block, content };
    }
    return scanDocument(block, scan('document'));
  };

  const out = await mapObjects(messages, async (message) => {
    if (message.role === 'assistant' && Array.isArray(message.content)) {
      for (const block of message.content) {
        if (!isObject(block) || !TOOL_USE_TYPES.includes(String(block.type))) continue;
        const id = str(block.id);
        const name = str(block.name);
        if (id !== undefined && name !== undefined) names.set(id, name);
      }
    } else if (message.role === 'user') {
      const content = await guardTextParts(message.content, ['text'], scan('input'), scanUserBlock);
      if (content !== message.content) return { ...message, content };
    }
    return message;
  });
  return out === messages ? body : { ...body, messages: out };
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
  state: ProviderState,
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
      const tool = await checkToolCallIn(state, block, 'name', 'input', context);
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
  state: ProviderState,
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
