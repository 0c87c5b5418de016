/**
 * `@warden/sdk/openai`: guards an OpenAI client in place.
 * @example const openai = wrapOpenAI(new OpenAI(), createWarden());
 * await openai.chat.completions.create({ model, messages }); // throws WardenBlockedError on an attack
 */
import type OpenAI from 'openai';
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

/** Options of wrapOpenAI. */
export interface WrapOpenAIOptions extends ProviderGuardOptions {}

type Json = Record<string, unknown>;
type Create = (body: unknown, options?: unknown) => WithResponse<unknown>;

const TOOL_NAMES_KEPT = 2000;
const UNKNOWN_TOOL = 'unknown';

interface AdapterState {
  warden: Warden;
  cache: ScanCache;
  /** Tool call ids seen in guarded responses, to name the tool of a later tool result. */
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
 * Returns the client guarded: `chat.completions.create` and `responses.create` (and the SDK
 * helpers built on them: `parse`, `stream`, `runTools`) check what goes to the model and what
 * comes back. Every other method is the client's own.
 */
export function wrapOpenAI<C extends OpenAI>(
  client: C,
  warden: Warden,
  options: WrapOpenAIOptions = {},
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
      const chatCreate = target.chat.completions.create as unknown as Create;
      const responsesCreate = target.responses.create as unknown as Create;
      return {
        'chat.completions': {
          create: (body: unknown, requestOptions?: unknown) =>
            guardedCall(
              state,
              body,
              requestOptions,
              (b) => chatCreate.call(target.chat.completions, b, requestOptions),
              chatApi,
              target,
            ),
        },
        responses: {
          create: (body: unknown, requestOptions?: unknown) =>
            guardedCall(
              state,
              body,
              requestOptions,
              (b) => responsesCreate.call(target.responses, b, requestOptions),
              responsesApi,
              target,
            ),
        },
      };
    },
    (next) => wrapOpenAI(next, warden, options),
  );
}

interface ApiGuard {
  request(state: AdapterState, body: Json, context: CheckContext | undefined): Promise<Json>;
  response(state: AdapterState, data: Json, context: CheckContext | undefined): Promise<void>;
  stream(
    state: AdapterState,
    source: AsyncIterable<unknown>,
    context: CheckContext | undefined,
  ): AsyncGenerator<unknown, void, undefined>;
  encodeEvent(item: unknown): string;
  trailer: string;
}

function guardedCall(
  state: AdapterState,
  body: unknown,
  requestOptions: unknown,
  send: (body: unknown) => WithResponse<unknown>,
  api: ApiGuard,
  client: unknown,
): GuardedPromise<unknown> {
  const context = requestContext(state.context, requestOptions);
  const settled = (async (): Promise<Settled<unknown>> => {
    // Checked before anything is sent: a block throws here, and no request is made.
    const checked = isObject(body) ? await api.request(state, body, context) : body;
    const result = await send(checked).withResponse();
    const data = result.data;
    if (isSdkStream(data)) {
      return {
        ...result,
        data: rebuildStream(data, client, (source) => api.stream(state, source, context)),
      };
    }
    if (isObject(data)) await api.response(state, data, context);
    return result;
  })();
  return new GuardedPromise(settled, (s) => rebuildResponse(s, api.encodeEvent, api.trailer));
}

// ---------------------------------------------------------------------------------------------
// Shared: content parts

/** Scans the text of a string or of an array of parts; returns the content to send (same object if unchanged). */
async function guardParts(
  content: unknown,
  textTypes: readonly string[],
  scan: (text: string) => Promise<string>,
): Promise<unknown> {
  if (typeof content === 'string') return content === '' ? content : scan(content);
  if (!Array.isArray(content)) return content;
  let changed = false;
  const parts: unknown[] = [];
  for (const part of content) {
    if (
      isObject(part) &&
      textTypes.includes(String(part.type)) &&
      typeof part.text === 'string' &&
      part.text !== ''
    ) {
      const text = await scan(part.text);
      if (text !== part.text) {
        changed = true;
        parts.push({ ...part, text });
        continue;
      }
    }
    parts.push(part);
  }
  return changed ? parts : content;
}

async function checkToolCallIn(
  state: AdapterState,
  holder: Json,
  nameKey: string,
  argsKey: string,
  context: CheckContext | undefined,
): Promise<void> {
  const tool = str(holder[nameKey]) || UNKNOWN_TOOL;
  const original = holder[argsKey];
  const outcome = await state.warden.checkToolCall({ tool, arguments: original ?? {} }, context);
  if (outcome.changed) holder[argsKey] = argumentsAs(original, outcome.value);
}

// ---------------------------------------------------------------------------------------------
// Chat Completions

const chatApi: ApiGuard = {
  async request(state, body, context) {
    const messages = body.messages;
    if (!Array.isArray(messages)) return body;
    const names = new Map<string, string>();
    let changed = false;
    const out: unknown[] = [];
    for (const message of messages) {
      if (!isObject(message)) {
        out.push(message);
        continue;
      }
      let next = message;
      if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          if (!isObject(call)) continue;
          const fn = isObject(call.function)
            ? call.function
            : isObject(call.custom)
              ? call.custom
              : undefined;
          const id = str(call.id);
          const name = str(fn?.name);
          if (id !== undefined && name !== undefined) names.set(id, name);
        }
      } else if (message.role === 'user') {
        const content = await guardParts(message.content, ['text'], (text) =>
          scanRequestText(state.warden, state.cache, 'input', '', text, context),
        );
        if (content !== message.content) next = { ...message, content };
      } else if (message.role === 'tool' || message.role === 'function') {
        const id = str(message.tool_call_id);
        const tool =
          (message.role === 'function' ? str(message.name) : undefined) ??
          (id === undefined ? undefined : (names.get(id) ?? state.toolNames.get(id))) ??
          UNKNOWN_TOOL;
        const content = await guardParts(message.content, ['text'], (text) =>
          scanRequestText(state.warden, state.cache, 'tool_result', tool, text, context),
        );
        if (content !== message.content) next = { ...message, content };
      }
      if (next !== message) changed = true;
      out.push(next);
    }
    return changed ? { ...body, messages: out } : body;
  },

  async response(state, completion, context) {
    if (!Array.isArray(completion.choices)) return;
    for (const choice of completion.choices) {
      if (!isObject(choice) || !isObject(choice.message)) continue;
      const message = choice.message;
      if (typeof message.content === 'string' && message.content !== '') {
        const outcome = await state.warden.checkOutput(message.content, context);
        if (outcome.changed) message.content = outcome.value;
      }
      if (Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          if (!isObject(call)) continue;
          if (isObject(call.function))
            await checkToolCallIn(state, call.function, 'name', 'arguments', context);
          else if (isObject(call.custom))
            await checkToolCallIn(state, call.custom, 'name', 'input', context);
          const fn = isObject(call.function)
            ? call.function
            : isObject(call.custom)
              ? call.custom
              : undefined;
          const id = str(call.id);
          const name = str(fn?.name);
          if (id !== undefined && name !== undefined) state.toolNames.set(id, name);
        }
      }
      if (isObject(message.function_call))
        await checkToolCallIn(state, message.function_call, 'name', 'arguments', context);
    }
  },

  async *stream(state, source, context) {
    const outputs = new Map<number, OutputStreamGuard>();
    const calls = new Map<
      number,
      Map<number, { id?: string; name: string; args: string; custom: boolean }>
    >();
    const finished = new Set<number>();

    const finish = async (index: number): Promise<void> => {
      if (finished.has(index)) return;
      finished.add(index);
      const guard = outputs.get(index);
      if (guard !== undefined) {
        const outcome = await guard.end();
        // What streamed cannot be replaced: a block stops the stream whatever onBlock says.
        if (outcome.decision === 'block') throw blockedError('output', outcome);
      }
      for (const call of calls.get(index)?.values() ?? []) {
        const tool = call.name || UNKNOWN_TOOL;
        await state.warden.checkToolCall(
          { tool, arguments: call.args === '' ? '{}' : call.args },
          context,
        );
        if (call.id !== undefined) state.toolNames.set(call.id, tool);
      }
    };

    for await (const chunk of source) {
      const choices = isObject(chunk) && Array.isArray(chunk.choices) ? chunk.choices : [];
      for (const choice of choices) {
        if (!isObject(choice)) continue;
        const index = typeof choice.index === 'number' ? choice.index : 0;
        const delta = isObject(choice.delta) ? choice.delta : {};
        if (typeof delta.content === 'string' && delta.content !== '') {
          let guard = outputs.get(index);
          if (guard === undefined) {
            guard = state.warden.guardOutputStream(context);
            outputs.set(index, guard);
          }
          // Throws WardenBlockedError before this chunk is passed on.
          guard.push(delta.content);
        }
        const deltas: unknown[] = Array.isArray(delta.tool_calls)
          ? delta.tool_calls
          : isObject(delta.function_call)
            ? [{ index: 0, function: delta.function_call }]
            : [];
        for (const part of deltas) {
          if (!isObject(part)) continue;
          let byIndex = calls.get(index);
          if (byIndex === undefined) {
            byIndex = new Map();
            calls.set(index, byIndex);
          }
          const callIndex = typeof part.index === 'number' ? part.index : 0;
          let call = byIndex.get(callIndex);
          if (call === undefined) {
            call = { name: '', args: '', custom: false };
            byIndex.set(callIndex, call);
          }
          if (typeof part.id === 'string') call.id = part.id;
          const fn = isObject(part.function)
            ? part.function
            : isObject(part.custom)
              ? part.custom
              : undefined;
          if (isObject(part.custom)) call.custom = true;
          const name = str(fn?.name);
          if (name !== undefined && name !== '') call.name = name;
          const args = str(fn?.arguments) ?? str(fn?.input);
          if (args !== undefined) call.args += args;
        }
        if (choice.finish_reason !== null && choice.finish_reason !== undefined)
          await finish(index);
      }
      yield chunk;
    }
    // A stream that ended without a finish_reason: check what it carried all the same.
    for (const index of new Set([...outputs.keys(), ...calls.keys()])) await finish(index);
  },

  encodeEvent: (item) => `data: ${JSON.stringify(item)}\n\n`,
  trailer: 'data: [DONE]\n\n',
};

// ---------------------------------------------------------------------------------------------
// Responses

const responsesApi: ApiGuard = {
  async request(state, body, context) {
    const input = body.input;
    const scanInput = (text: string) =>
      scanRequestText(state.warden, state.cache, 'input', '', text, context);
    if (typeof input === 'string') {
      const text = input === '' ? input : await scanInput(input);
      return text === input ? body : { ...body, input: text };
    }
    if (!Array.isArray(input)) return body;
    const names = new Map<string, string>();
    let changed = false;
    const out: unknown[] = [];
    for (const item of input) {
      if (!isObject(item)) {
        out.push(item);
        continue;
      }
      let next = item;
      const type = item.type ?? (item.role === undefined ? undefined : 'message');
      if (type === 'message' && item.role === 'user') {
        const content = await guardParts(item.content, ['input_text'], scanInput);
        if (content !== item.content) next = { ...item, content };
      } else if (type === 'function_call' || type === 'custom_tool_call') {
        const id = str(item.call_id);
        const name = str(item.name);
        if (id !== undefined && name !== undefined) names.set(id, name);
      } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
        const id = str(item.call_id);
        const tool =
          (id === undefined ? undefined : (names.get(id) ?? state.toolNames.get(id))) ??
          UNKNOWN_TOOL;
        const output = await guardParts(item.output, ['input_text'], (text) =>
          scanRequestText(state.warden, state.cache, 'tool_result', tool, text, context),
        );
        if (output !== item.output) next = { ...item, output };
      }
      if (next !== item) changed = true;
      out.push(next);
    }
    return changed ? { ...body, input: out } : body;
  },

  async response(state, response, context) {
    if (!Array.isArray(response.output)) return;
    let textChanged = false;
    for (const item of response.output) {
      if (!isObject(item)) continue;
      if (item.type === 'message' && Array.isArray(item.content)) {
        for (const part of item.content) {
          if (
            !isObject(part) ||
            part.type !== 'output_text' ||
            typeof part.text !== 'string' ||
            part.text === ''
          )
            continue;
          const outcome = await state.warden.checkOutput(part.text, context);
          if (outcome.changed) {
            part.text = outcome.value;
            textChanged = true;
          }
        }
      } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
        await checkToolCallIn(
          state,
          item,
          'name',
          item.type === 'function_call' ? 'arguments' : 'input',
          context,
        );
        const id = str(item.call_id);
        const name = str(item.name);
        if (id !== undefined && name !== undefined) state.toolNames.set(id, name);
      }
    }
    if (textChanged && typeof response.output_text === 'string')
      response.output_text = outputText(response.output);
  },

  async *stream(state, source, context) {
    const guards = new Map<string, OutputStreamGuard>();
    const ended = new Set<string>();
    const checkedCalls = new Set<string>();
    const itemNames = new Map<string, string>();

    const endText = async (key: string, fullText: string | undefined): Promise<void> => {
      if (ended.has(key)) return;
      ended.add(key);
      const guard = guards.get(key);
      const outcome =
        guard !== undefined
          ? await guard.end()
          : fullText === undefined || fullText === ''
            ? undefined
            : await state.warden.checkOutput(fullText, context);
      if (outcome?.decision === 'block') throw blockedError('output', outcome);
    };
    const checkCall = async (
      itemId: string,
      name: string | undefined,
      args: unknown,
      callId?: string,
    ): Promise<void> => {
      if (checkedCalls.has(itemId)) return;
      checkedCalls.add(itemId);
      const tool = name || itemNames.get(itemId) || UNKNOWN_TOOL;
      await state.warden.checkToolCall({ tool, arguments: args ?? {} }, context);
      if (callId !== undefined) state.toolNames.set(callId, tool);
    };
    const checkItem = async (item: unknown): Promise<void> => {
      if (!isObject(item)) return;
      const id = str(item.id) ?? '';
      if (item.type === 'message' && Array.isArray(item.content)) {
        for (const [index, part] of item.content.entries()) {
          if (isObject(part) && part.type === 'output_text')
            await endText(`${id}:${index}`, str(part.text));
        }
      } else if (item.type === 'function_call') {
        await checkCall(id, str(item.name), item.arguments, str(item.call_id));
      } else if (item.type === 'custom_tool_call') {
        await checkCall(id, str(item.name), item.input, str(item.call_id));
      }
    };

    for await (const event of source) {
      if (isObject(event)) {
        const itemId = str(event.item_id) ?? '';
        switch (event.type) {
          case 'response.output_item.added':
            if (
              isObject(event.item) &&
              typeof event.item.name === 'string' &&
              typeof event.item.id === 'string'
            ) {
              itemNames.set(event.item.id, event.item.name);
              const callId = str(event.item.call_id);
              if (callId !== undefined) state.toolNames.set(callId, event.item.name);
            }
            break;
          case 'response.output_text.delta': {
            if (typeof event.delta !== 'string' || event.delta === '') break;
            const key = `${itemId}:${String(event.content_index ?? 0)}`;
            let guard = guards.get(key);
            if (guard === undefined) {
              guard = state.warden.guardOutputStream(context);
              guards.set(key, guard);
            }
            guard.push(event.delta);
            break;
          }
          case 'response.output_text.done':
            await endText(`${itemId}:${String(event.content_index ?? 0)}`, str(event.text));
            break;
          case 'response.function_call_arguments.done':
            await checkCall(itemId, str(event.name), event.arguments);
            break;
          case 'response.custom_tool_call_input.done':
            await checkCall(itemId, undefined, event.input);
            break;
          case 'response.output_item.done':
            await checkItem(event.item);
            break;
          case 'response.completed':
          case 'response.incomplete':
            if (isObject(event.response) && Array.isArray(event.response.output)) {
              for (const item of event.response.output) await checkItem(item);
            }
            break;
        }
      }
      yield event;
    }
    for (const key of guards.keys()) await endText(key, undefined);
  },

  encodeEvent: (item) =>
    `${isObject(item) && typeof item.type === 'string' ? `event: ${item.type}\n` : ''}data: ${JSON.stringify(item)}\n\n`,
  trailer: '',
};

function outputText(output: unknown[]): string {
  const texts: string[] = [];
  for (const item of output) {
    if (!isObject(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (isObject(part) && part.type === 'output_text' && typeof part.text === 'string')
        texts.push(part.text);
    }
  }
  return texts.join('');
}
