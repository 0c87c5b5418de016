import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { CheckContext, Warden } from '../../warden.js';
import { guardPromptMessages, stringify } from './messages.js';

/** Options of WardenCallbackHandler. */
export interface WardenCallbackHandlerOptions {
  /**
   * `false` (default): observe. Checks run in LangChain's callback queue, off the call's path;
   * nothing is stopped and a block is only recorded (and passed to `onBlocked`). `true`: the
   * handler is registered with `raiseError` (which makes LangChain await it), so a block
   * throws WardenBlockedError out of the run: from handleToolStart before the tool body runs,
   * from handleChatModelStart before the model request is sent, from handleLLMEnd before the
   * answer is returned. Redaction never applies here: a callback cannot change what flows.
   */
  enforce?: boolean;
  /** Which prompt messages are scanned: `new` (default, after the last AI message) or `all`. */
  messages?: 'new' | 'all';
  /** Details passed to every check (e.g. `agentId`). */
  context?: CheckContext;
  /** Called with each block (WardenBlockedError) or failure in observe mode. */
  onBlocked?: (error: unknown) => void;
}

function serializedName(serialized: Serialized | undefined): string | undefined {
  const named = (serialized as { name?: unknown } | undefined)?.name;
  if (typeof named === 'string' && named !== '') return named;
  const id = serialized?.id;
  return Array.isArray(id) ? id.at(-1) : undefined;
}

/**
 * A LangChain callback handler that runs Warden's checks on what a run does: prompts
 * (handleChatModelStart: human messages as input, tool messages as tool results;
 * handleLLMStart: each prompt string as input), answers (handleLLMEnd: text as output, tool
 * calls as tool calls), tool calls (handleToolStart) and tool results (handleToolEnd). Each
 * check records an event with the guard.
 *
 * Callbacks are observers in LangChain: by default this handler cannot stop anything. With
 * `enforce: true` LangChain awaits it and rethrows its errors, which stops a tool before it
 * runs and a model call before its request; it still cannot redact. To change content use
 * `guardChatModel` and `guardTool`.
 * @example await agent.invoke(input, { callbacks: [new WardenCallbackHandler(warden)] });
 */
export class WardenCallbackHandler extends BaseCallbackHandler {
  name = 'WardenCallbackHandler';
  readonly #warden: Warden;
  readonly #options: WardenCallbackHandlerOptions;
  readonly #toolNames = new Map<string, string>();

  constructor(warden: Warden, options: WardenCallbackHandlerOptions = {}) {
    const enforce = options.enforce === true;
    super({ raiseError: enforce, _awaitHandler: enforce });
    this.#warden = warden;
    this.#options = options;
  }

  /** LangChain copies handlers for child runs; the copy shares the guard and the tool names. */
  override copy(): this {
    return this;
  }

  async #run(check: () => Promise<unknown>): Promise<void> {
    try {
      await check();
    } catch (error) {
      if (this.#options.enforce === true) throw error;
      this.#options.onBlocked?.(error);
    }
  }

  override async handleLLMStart(_llm: Serialized, prompts: string[]): Promise<void> {
    const context = this.#options.context;
    await this.#run(async () => {
      for (const prompt of prompts) await this.#warden.checkInput(prompt, context);
    });
  }

  override async handleChatModelStart(_llm: Serialized, messages: BaseMessage[][]): Promise<void> {
    await this.#run(async () => {
      for (const group of messages) {
        await guardPromptMessages(this.#warden, group, {
          ...(this.#options.messages === undefined ? {} : { messages: this.#options.messages }),
          ...(this.#options.context === undefined ? {} : { context: this.#options.context }),
        });
      }
    });
  }

  override async handleLLMEnd(output: LLMResult): Promise<void> {
    const context = this.#options.context;
    await this.#run(async () => {
      for (const generations of output.generations) {
        for (const generation of generations) {
          if (generation.text !== '') await this.#warden.checkOutput(generation.text, context);
          const message = (generation as { message?: unknown }).message;
          if (!AIMessage.isInstance(message)) continue;
          for (const call of message.tool_calls ?? [])
            await this.#warden.checkToolCall({ tool: call.name, arguments: call.args }, context);
        }
      }
    });
  }

  override async handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
  ): Promise<void> {
    const name = runName ?? serializedName(tool) ?? 'unknown_tool';
    this.#toolNames.set(runId, name);
    await this.#run(async () => {
      await this.#warden.checkToolCall({ tool: name, arguments: input }, this.#options.context);
    });
  }

  override async handleToolEnd(output: unknown, runId: string): Promise<void> {
    const name = this.#toolNames.get(runId) ?? 'unknown_tool';
    this.#toolNames.delete(runId);
    const text = ToolMessage.isInstance(output) ? output.text : stringify(output);
    await this.#run(async () => {
      await this.#warden.checkToolResult({ tool: name, text }, this.#options.context);
    });
  }

  override async handleToolError(_error: unknown, runId: string): Promise<void> {
    this.#toolNames.delete(runId);
  }
}
