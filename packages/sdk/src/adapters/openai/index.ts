/**
 * `@warden/sdk/openai`: guards an OpenAI client in place.
 * @example const openai = wrapOpenAI(new OpenAI(), createWarden());
 * await openai.chat.completions.create({ model, messages }); // throws WardenBlockedError on an attack
 */
import type OpenAI from 'openai';
import type { OutputStreamGuard, Warden } from '../../warden.js';
import {
  type ApiGuard,
  blockedError,
  checkToolCallIn,
  guardedCreate,
  guardTextParts,
  isObject,
  mapObjects,
  type ProviderGuardOptions,
  providerState,
  proxyClient,
  requestScanner,
  resultTool,
  str,
  UNKNOWN_TOOL,
} from '../shared/guard-kit.js';

/** Options of wrapOpenAI. */
export interface WrapOpenAIOptions extends ProviderGuardOptions {}

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
  const state = providerState(warden, options);
  return proxyClient(
    client,
    (_guarded, target) => ({
      'chat.completions': {
        create: guardedCreate(state, target.chat.completions, chatApi, target),
      },
      responses: { create: guardedCreate(state, target.responses, responsesApi, target) },
    }),
    (next) => wrapOpenAI(next, warden, options),
  );
}

/** A chat tool call's id and the name of its tool (`function` or `custom`), where both are given. */
function callName(call: Record<string, unknown>): [string, string] | undefined {
  const fn = isObject(call.function)
    ? call.function
    : isObject(call.custom)
      ? call.custom
      : undefined;
  const id = str(call.id);
  const name = str(fn?.name);
  return id !== undefined && name !== undefined ? [id, name] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Chat Completions

const chatApi: ApiGuard = {
  async request(state, body, context) {
    const messages = body.messages;
    if (!Array.isArray(messages)) return body;
    const names = new Map<string, string>();
    const scan = requestScanner(state, context);
    const out = await mapObjects(messages, async (message) => {
      if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          const named = isObject(call) ? callName(call) : undefined;
          if (named !== undefined) names.set(...named);
        }
      } else if (message.role === 'user') {
        const content = await guardTextParts(message.content, ['text'], scan('input'));
        if (content !== message.content) return { ...message, content };
      } else if (message.role === 'tool' || message.role === 'function') {
        const tool =
          (message.role === 'function' ? str(message.name) : undefined) ??
          resultTool(state, names, str(message.tool_call_id));
        const content = await guardTextParts(message.content, ['text'], scan('tool_result', tool));
        if (content !== message.content) return { ...message, content };
      }
      return message;
    });
    return out === messages ? body : { ...body, messages: out };
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
          const named = callName(call);
          if (named !== undefined) state.toolNames.set(...named);
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
    const scan = requestScanner(state, context);
    if (typeof input === 'string') {
      const text = input === '' ? input : await scan('input')(input);
      return text === input ? body : { ...body, input: text };
    }
    if (!Array.isArray(input)) return body;
    const names = new Map<string, string>();
    const out = await mapObjects(input, async (item) => {
      const type = item.type ?? (item.role === undefined ? undefined : 'message');
      if (type === 'message' && item.role === 'user') {
        const content = await guardTextParts(item.content, ['input_text'], scan('input'));
        if (content !== item.content) return { ...item, content };
      } else if (type === 'function_call' || type === 'custom_tool_call') {
        const id = str(item.call_id);
        const name = str(item.name);
        if (id !== undefined && name !== undefined) names.set(id, name);
      } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
        const tool = resultTool(state, names, str(item.call_id));
        const output = await guardTextParts(item.output, ['input_text'], scan('tool_result', tool));
        if (output !== item.output) return { ...item, output };
      }
      return item;
    });
    return out === input ? body : { ...body, input: out };
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
