/**
 * Gates the `execute` of AI SDK tools. Type-only imports: nothing from `ai` loads at runtime.
 */
import type { ToolExecutionOptions, ToolSet } from 'ai';
import type { CheckContext, Warden } from '../../warden.js';
import { toolResultText } from './text.js';

/** Options of guardTools. */
export interface GuardToolsOptions {
  /** Details passed to every check (e.g. `agentId`). The call's abort signal is added. */
  context?: CheckContext;
  /** Tags per tool name, merged with the policy's tool tags. */
  tags?: Record<string, readonly string[]>;
}

type Execute = (input: unknown, options: ToolExecutionOptions) => unknown;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Wraps each tool of a ToolSet so that its `execute` is gated: the call is checked with
 * `checkToolCall` before the tool runs (on a block the original `execute` is never called and
 * WardenBlockedError is thrown, which the AI SDK reports to the model as a tool error), it runs
 * with the arguments Warden hands back (redacted ones on `redact`), and its result is checked
 * with `checkToolResult` before the model reads it: a redacted result, or the refusal message
 * with `onBlock.toolResult: 'replace'`, takes its place. Tools without `execute` are kept as
 * they are. Streaming tools (an async iterable of preliminary results) have each result checked.
 * @example const result = await generateText({ model, tools: guardTools(tools, warden), prompt });
 */
export function guardTools<TOOLS extends ToolSet>(
  tools: TOOLS,
  warden: Warden,
  options: GuardToolsOptions = {},
): TOOLS {
  const guarded: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = tool.execute as Execute | undefined;
    if (typeof execute !== 'function') {
      guarded[name] = tool;
      continue;
    }
    const tags = options.tags?.[name];
    const checkResult = async (value: unknown, context: CheckContext | undefined) => {
      const outcome = await warden.checkToolResult(
        { tool: name, text: toolResultText(value) },
        context,
      );
      return outcome.changed ? outcome.value : value;
    };
    const gate = async (input: unknown, executionOptions: ToolExecutionOptions) => {
      const context =
        executionOptions?.abortSignal === undefined
          ? options.context
          : { ...options.context, signal: executionOptions.abortSignal };
      // Throws WardenBlockedError on a block: the tool never runs.
      const call = await warden.checkToolCall(
        { tool: name, arguments: input, ...(tags === undefined ? {} : { tags }) },
        context,
      );
      return { args: call.value, context };
    };
    // The AI SDK tells streaming tools apart by what `execute` returns (an async iterable, at
    // once): an async generator function stays one, and any other returns a promise.
    const gated: Execute = isAsyncGeneratorFunction(execute)
      ? async function* (input, executionOptions) {
          const { args, context } = await gate(input, executionOptions);
          const output = execute.call(tool, args, executionOptions) as AsyncIterable<unknown>;
          for await (const value of output) yield await checkResult(value, context);
        }
      : async (input, executionOptions) => {
          const { args, context } = await gate(input, executionOptions);
          const output = await execute.call(tool, args, executionOptions);
          if (!isAsyncIterable(output)) return checkResult(output, context);
          // An iterable from a plain function: only its last value reaches the model.
          let last: unknown;
          for await (const value of output) last = value;
          return checkResult(last, context);
        };
    guarded[name] = { ...tool, execute: gated };
  }
  return guarded as TOOLS;
}

function isAsyncGeneratorFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncGeneratorFunction]';
}
