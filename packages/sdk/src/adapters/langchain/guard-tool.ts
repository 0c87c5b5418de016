import { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { CheckContext, Warden } from '../../warden.js';
import { mapContentText, rebuildToolMessage, stringify } from './messages.js';

/** Options of guardTool. */
export interface GuardToolOptions {
  /** Details passed to every check (e.g. `agentId`). */
  context?: CheckContext;
  /** Tags of the tool, merged with the policy's tool tags. */
  tags?: readonly string[];
}

interface ToolCallShape {
  type?: string;
  id?: string;
  name?: string;
  args: unknown;
}

function isToolCall(value: unknown): value is ToolCallShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    'args' in value &&
    (value as { type?: unknown }).type === 'tool_call'
  );
}

function isDirectOutput(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { lc_direct_tool_output?: unknown }).lc_direct_tool_output === true
  );
}

/**
 * Guards a LangChain tool (a `tool()`, DynamicStructuredTool, StructuredTool or Tool): every
 * call through `invoke`, `call`, `batch` or `stream` is checked with `checkToolCall` BEFORE
 * the tool runs (a block throws WardenBlockedError and the tool body never runs; a redaction
 * runs it with the redacted arguments), and its output (a ToolMessage when invoked with a
 * tool call, else the raw content) is checked with `checkToolResult` before it is returned:
 * redacted, replaced by the refusal message (`onBlock.toolResult: 'replace'`) or thrown.
 *
 * The result is a Proxy of the tool: name, description, schema and `instanceof` are kept.
 * Calling the tool's `func` or `_call` directly bypasses it.
 * @example const agentTools = tools.map((t) => guardTool(t, warden));
 */
export function guardTool<T extends StructuredToolInterface>(
  tool: T,
  warden: Warden,
  options: GuardToolOptions = {},
): T {
  const name = tool.name;
  const context = options.context;
  const tags = options.tags;

  async function checkOutput(output: unknown): Promise<unknown> {
    if (ToolMessage.isInstance(output)) {
      const message = output as ToolMessage;
      const content = await mapContentText(message.content, (text) =>
        warden.checkToolResult({ tool: name, text }, context),
      );
      return content === message.content ? message : rebuildToolMessage(message, content);
    }
    // Other direct outputs (e.g. a LangGraph Command) are passed on as they are.
    if (isDirectOutput(output)) return output;
    const outcome = await warden.checkToolResult({ tool: name, text: stringify(output) }, context);
    return outcome.changed ? outcome.value : output;
  }

  // `invoke` (and `batch`, `stream`, which go through it) calls `this.call`; guarding `call`
  // gates every path once.
  const originalCall = (tool as unknown as { call: (...args: unknown[]) => Promise<unknown> }).call;
  async function guardedCall(arg: unknown, ...rest: unknown[]): Promise<unknown> {
    const args = isToolCall(arg) ? arg.args : arg;
    // Throws WardenBlockedError on a block: the tool body never runs.
    const outcome = await warden.checkToolCall(
      { tool: name, arguments: args, ...(tags === undefined ? {} : { tags }) },
      context,
    );
    const nextArg = !outcome.changed
      ? arg
      : isToolCall(arg)
        ? { ...arg, args: outcome.value }
        : outcome.value;
    const output = await originalCall.call(tool, nextArg, ...rest);
    return checkOutput(output);
  }

  return new Proxy(tool, {
    get(target, property, receiver) {
      if (property === 'call') return guardedCall;
      return Reflect.get(target, property, receiver);
    },
  });
}
