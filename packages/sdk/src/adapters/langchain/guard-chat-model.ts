import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  type BaseMessageLike,
  coerceMessageLikeToMessage,
  isBaseMessage,
} from '@langchain/core/messages';
import type { ToolCall } from '@langchain/core/messages/tool';
import type { Warden } from '../../warden.js';
import { guardPromptMessages, type LangChainGuardOptions, mapContentText } from './messages.js';

/** Options of guardChatModel. */
export interface GuardChatModelOptions extends LangChainGuardOptions {
  /** Check the tool calls the model returns before they are handed on (default true). */
  toolCalls?: boolean;
}

type Input = unknown;

/** The input as messages, or a string (checked as one input), or undefined when unknown. */
function toMessages(input: Input): string | BaseMessage[] | undefined {
  if (typeof input === 'string') return input;
  if (Array.isArray(input))
    return input.map((item) => coerceMessageLikeToMessage(item as BaseMessageLike));
  if (typeof (input as { toChatMessages?: unknown } | null)?.toChatMessages === 'function')
    return (input as { toChatMessages(): BaseMessage[] }).toChatMessages();
  if (isBaseMessage(input)) return [input];
  return undefined;
}

function isChatModel(value: unknown): value is BaseChatModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _generate?: unknown })._generate === 'function' &&
    typeof (value as { _streamIterator?: unknown })._streamIterator === 'function'
  );
}

/**
 * Guards a LangChain chat model: `invoke` (and `batch`, and the bindings that `bindTools` and
 * `withStructuredOutput` make of the guarded model) and `stream` scan the input messages before
 * the model is called (human messages as input, tool messages as tool results with the tool's
 * name, only those after the last AI message by default), then the answer: its text as output
 * (redacted or replaced in place) and its tool calls before they are returned to the caller
 * that would execute them. A block throws WardenBlockedError.
 *
 * Streams pass text chunks on as they come (a block errors the stream; a redaction cannot take
 * back what was passed on) and hold chunks with tool-call pieces until the whole calls are
 * checked at the end of the stream.
 *
 * The result is a Proxy of the model (class, fields and `instanceof` are kept). The legacy
 * `generate`/`call`/`predict` methods and the content-block `streamEvents` protocol bypass it.
 * @example const model = guardChatModel(new ChatOpenAI({ model: 'gpt-4o' }), warden);
 */
export function guardChatModel<M extends BaseChatModel>(
  model: M,
  warden: Warden,
  options: GuardChatModelOptions = {},
): M {
  const context = options.context;
  const checkCalls = options.toolCalls ?? true;

  async function guardInput(input: Input): Promise<Input> {
    const messages = toMessages(input);
    if (messages === undefined) return input;
    if (typeof messages === 'string') {
      const outcome = await warden.checkInput(messages, context);
      return outcome.changed ? outcome.value : input;
    }
    const guarded = await guardPromptMessages(warden, messages, options);
    return guarded === messages ? input : guarded;
  }

  async function guardToolCalls(calls: readonly ToolCall[]): Promise<ToolCall[] | undefined> {
    if (!checkCalls || calls.length === 0) return undefined;
    let changed = false;
    const out: ToolCall[] = [];
    for (const call of calls) {
      const outcome = await warden.checkToolCall(
        { tool: call.name, arguments: call.args },
        context,
      );
      changed ||= outcome.changed;
      out.push(
        outcome.changed ? { ...call, args: outcome.value as Record<string, unknown> } : call,
      );
    }
    return changed ? out : undefined;
  }

  async function guardAnswer(message: unknown): Promise<unknown> {
    if (!AIMessage.isInstance(message) && !AIMessageChunk.isInstance(message)) return message;
    const content = await mapContentText(message.content, (text) =>
      warden.checkOutput(text, context),
    );
    const toolCalls = await guardToolCalls(message.tool_calls ?? []);
    if (content === message.content && toolCalls === undefined) return message;
    const { tool_calls: _raw, ...additional } = message.additional_kwargs ?? {};
    return new AIMessage({
      content,
      tool_calls: toolCalls ?? message.tool_calls ?? [],
      invalid_tool_calls: message.invalid_tool_calls ?? [],
      additional_kwargs: toolCalls === undefined ? message.additional_kwargs : additional,
      response_metadata: message.response_metadata,
      ...(message.usage_metadata === undefined ? {} : { usage_metadata: message.usage_metadata }),
      ...(message.id === undefined ? {} : { id: message.id }),
      ...(message.name === undefined ? {} : { name: message.name }),
    });
  }

  const target = model as unknown as {
    invoke(input: Input, options?: unknown): Promise<unknown>;
    _streamIterator(input: Input, options?: unknown): AsyncGenerator<unknown>;
  };
  const originalInvoke = target.invoke;
  const originalStream = target._streamIterator;

  async function guardedInvoke(input: Input, callOptions?: unknown): Promise<unknown> {
    const guardedInput = await guardInput(input);
    const answer = await originalInvoke.call(model, guardedInput, callOptions);
    return guardAnswer(answer);
  }

  async function* guardedStream(input: Input, callOptions?: unknown): AsyncGenerator<unknown> {
    const guardedInput = await guardInput(input);
    const outputGuard = warden.guardOutputStream(context);
    const held: AIMessageChunk[] = [];
    for await (const chunk of originalStream.call(model, guardedInput, callOptions)) {
      if (!AIMessageChunk.isInstance(chunk)) {
        // A model without native streaming yields its whole answer.
        yield await guardAnswer(chunk);
        continue;
      }
      const text = typeof chunk.content === 'string' ? chunk.content : chunk.text;
      if (text !== '') outputGuard.push(text);
      if (checkCalls && (chunk.tool_call_chunks?.length ?? 0) > 0) {
        held.push(chunk);
        continue;
      }
      yield chunk;
    }
    let release: AIMessageChunk[] = held;
    if (held.length > 0) {
      let merged = held[0] as AIMessageChunk;
      for (const chunk of held.slice(1)) merged = merged.concat(chunk);
      // Throws WardenBlockedError on a block: the held tool calls are never passed on.
      const toolCalls = await guardToolCalls(merged.tool_calls ?? []);
      if (toolCalls !== undefined) {
        release = [
          new AIMessageChunk({
            content: merged.content,
            tool_call_chunks: toolCalls.map((call, index) => ({
              type: 'tool_call_chunk' as const,
              name: call.name,
              args: JSON.stringify(call.args),
              index,
              ...(call.id === undefined ? {} : { id: call.id }),
            })),
            response_metadata: merged.response_metadata,
            ...(merged.usage_metadata === undefined
              ? {}
              : { usage_metadata: merged.usage_metadata }),
            ...(merged.id === undefined ? {} : { id: merged.id }),
          }),
        ];
      }
    }
    // Throws WardenBlockedError on a block; a redaction here comes too late to apply.
    if (outputGuard.text !== '') await outputGuard.end();
    yield* release;
  }

  // Some models (ChatOpenAI) answer `withConfig`, and so `bindTools`, with a new model instead
  // of a binding of this one: that model is guarded too.
  const originalWithConfig = (model as unknown as { withConfig?: (...args: unknown[]) => unknown })
    .withConfig;
  function guardedWithConfig(this: unknown, ...args: unknown[]): unknown {
    const result = originalWithConfig?.apply(this, args);
    return isChatModel(result) && result !== model && result !== proxy
      ? guardChatModel(result, warden, options)
      : result;
  }

  const proxy: M = new Proxy(model, {
    get(object, property, receiver) {
      if (property === 'invoke') return guardedInvoke;
      if (property === '_streamIterator') return guardedStream;
      if (property === 'withConfig' && originalWithConfig !== undefined) return guardedWithConfig;
      return Reflect.get(object, property, receiver);
    },
  });
  return proxy;
}
