/**
 * A language-model middleware for the Vercel AI SDK (`wrapLanguageModel`). Type-only imports:
 * nothing from `ai` or `@ai-sdk/provider` is loaded at runtime.
 */
import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3Message,
  LanguageModelV3StreamPart,
  LanguageModelV3ToolResultOutput,
} from '@ai-sdk/provider';
import type { LanguageModelMiddleware } from 'ai';
import type { CheckContext, Warden } from '../../warden.js';
import { argumentsToInput, toolResultText } from './text.js';

/** Options of wardenMiddleware. */
export interface WardenMiddlewareOptions {
  /**
   * Which prompt messages are scanned before the model is called: `new` (default) only those
   * after the last assistant message (the user turn or the tool results the model has not seen
   * yet; earlier ones were scanned on earlier calls), `all` every user and tool message of every
   * call, `none` no prompt scanning.
   */
  prompt?: 'new' | 'all' | 'none';
  /** Check the tool calls the model returns before they are handed on (default true). */
  toolCalls?: boolean;
  /**
   * How streamed text is guarded. `incremental` (default): deltas are passed on as they arrive
   * and checked as they accumulate; a block errors the stream, but a redaction cannot take back
   * what was already passed on. `buffered`: each text block is held until it ends and is checked
   * whole, so redaction and `onBlock: 'replace'` apply (the reader sees the block at once).
   */
  streamText?: 'incremental' | 'buffered';
  /** Details passed to every check (e.g. `agentId`). The call's abort signal is added. */
  context?: CheckContext;
}

/** The middleware object, as `wrapLanguageModel({ model, middleware })` takes it. */
export type WardenLanguageModelMiddleware = LanguageModelMiddleware;

type ToolContentPart = Extract<
  Extract<LanguageModelV3Message, { role: 'tool' }>['content'][number],
  { type: 'tool-result' }
>;

/** Maps the parts in order; returns the list itself when no part changed. */
async function mapParts<P>(parts: P[], map: (part: P) => Promise<P>): Promise<P[]> {
  let changed = false;
  const out: P[] = [];
  for (const part of parts) {
    const next = await map(part);
    changed ||= next !== part;
    out.push(next);
  }
  return changed ? out : parts;
}

function contextFor(
  base: CheckContext | undefined,
  signal: AbortSignal | undefined,
): CheckContext | undefined {
  if (signal === undefined) return base;
  return { ...base, signal };
}

/**
 * Guards a language model: the prompt is scanned before the model is called (user text as
 * input, tool results as tool results, with the tool's name), the generated text as output
 * (redaction rewrites it), and tool calls are checked before they are returned to the caller,
 * which would execute them. Streams are checked as they flow: text deltas through the output
 * stream guard, tool calls (and their streamed input) held until checked. A block rejects
 * the call, or errors the stream, with WardenBlockedError.
 * @example
 * const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: wardenMiddleware(warden) });
 */
export function wardenMiddleware(
  warden: Warden,
  options: WardenMiddlewareOptions = {},
): WardenLanguageModelMiddleware {
  const promptScope = options.prompt ?? 'new';
  const checkCalls = options.toolCalls ?? true;
  const streamMode = options.streamText ?? 'incremental';

  async function guardToolOutput(
    tool: string,
    output: LanguageModelV3ToolResultOutput,
    context: CheckContext | undefined,
  ): Promise<LanguageModelV3ToolResultOutput> {
    switch (output.type) {
      case 'text':
      case 'error-text': {
        const outcome = await warden.checkToolResult({ tool, text: output.value }, context);
        return outcome.changed ? { ...output, value: outcome.value } : output;
      }
      case 'json':
      case 'error-json': {
        const outcome = await warden.checkToolResult(
          { tool, text: toolResultText(output.value) },
          context,
        );
        if (!outcome.changed) return output;
        return { type: output.type === 'json' ? 'text' : 'error-text', value: outcome.value };
      }
      case 'content': {
        let changed = false;
        const value: typeof output.value = [];
        for (const item of output.value) {
          if (item.type !== 'text') {
            value.push(item);
            continue;
          }
          const outcome = await warden.checkToolResult({ tool, text: item.text }, context);
          changed ||= outcome.changed;
          value.push(outcome.changed ? { ...item, text: outcome.value } : item);
        }
        return changed ? { ...output, value } : output;
      }
      default:
        return output;
    }
  }

  async function guardToolResultPart(part: ToolContentPart, context: CheckContext | undefined) {
    const output = await guardToolOutput(part.toolName, part.output, context);
    return output === part.output ? part : { ...part, output };
  }

  async function guardMessage(
    message: LanguageModelV3Message,
    context: CheckContext | undefined,
  ): Promise<LanguageModelV3Message> {
    switch (message.role) {
      case 'user': {
        const content = await mapParts(message.content, async (part) => {
          if (part.type !== 'text') return part;
          const outcome = await warden.checkInput(part.text, context);
          return outcome.changed ? { ...part, text: outcome.value } : part;
        });
        return content === message.content ? message : { ...message, content };
      }
      case 'tool': {
        const content = await mapParts(message.content, async (part) =>
          part.type === 'tool-result' ? guardToolResultPart(part, context) : part,
        );
        return content === message.content ? message : { ...message, content };
      }
      case 'assistant': {
        // Results of provider-executed tools sit in assistant messages.
        const content = await mapParts(message.content, async (part) =>
          part.type === 'tool-result' ? guardToolResultPart(part, context) : part,
        );
        return content === message.content ? message : { ...message, content };
      }
      default:
        return message;
    }
  }

  async function guardPrompt(
    params: LanguageModelV3CallOptions,
  ): Promise<LanguageModelV3CallOptions> {
    if (promptScope === 'none') return params;
    const context = contextFor(options.context, params.abortSignal);
    const prompt = params.prompt;
    let start = 0;
    if (promptScope === 'new') {
      for (let index = prompt.length - 1; index >= 0; index -= 1) {
        if (prompt[index]?.role === 'assistant') {
          // The assistant message itself is scanned for provider-executed tool results.
          start = index;
          break;
        }
      }
    }
    let changed = false;
    const next = prompt.slice(0, start);
    for (const message of prompt.slice(start)) {
      const guarded = await guardMessage(message, context);
      changed ||= guarded !== message;
      next.push(guarded);
    }
    return changed ? { ...params, prompt: next } : params;
  }

  async function guardContent(
    part: LanguageModelV3Content,
    context: CheckContext | undefined,
  ): Promise<LanguageModelV3Content> {
    switch (part.type) {
      case 'text': {
        const outcome = await warden.checkOutput(part.text, context);
        return outcome.changed ? { ...part, text: outcome.value } : part;
      }
      case 'tool-call': {
        if (!checkCalls) return part;
        const outcome = await warden.checkToolCall(
          { tool: part.toolName, arguments: part.input },
          context,
        );
        return outcome.changed ? { ...part, input: argumentsToInput(outcome.value) } : part;
      }
      case 'tool-result': {
        const outcome = await warden.checkToolResult(
          { tool: part.toolName, text: toolResultText(part.result) },
          context,
        );
        return outcome.changed ? { ...part, result: outcome.value } : part;
      }
      default:
        return part;
    }
  }

  function guardStream(
    stream: ReadableStream<LanguageModelV3StreamPart>,
    context: CheckContext | undefined,
  ): ReadableStream<LanguageModelV3StreamPart> {
    const outputGuard = warden.guardOutputStream(context);
    let outputChecked = false;
    /** Streamed tool input, held until its tool call is checked. */
    const heldInput = new Map<string, LanguageModelV3StreamPart[]>();
    /** Buffered mode: text blocks held until they end. */
    const heldText = new Map<string, { start: LanguageModelV3StreamPart; text: string }>();

    async function endOutput(): Promise<void> {
      if (outputChecked) return;
      outputChecked = true;
      // Throws WardenBlockedError on a block. A redaction here comes too late to apply.
      if (outputGuard.text !== '') await outputGuard.end();
    }

    function releaseInput(
      controller: TransformStreamDefaultController<LanguageModelV3StreamPart>,
      id: string,
      replacement: string | undefined,
    ): void {
      const held = heldInput.get(id);
      heldInput.delete(id);
      if (held === undefined) return;
      let replaced = false;
      for (const part of held) {
        if (replacement !== undefined && part.type === 'tool-input-delta') {
          if (!replaced) controller.enqueue({ ...part, delta: replacement });
          replaced = true;
          continue;
        }
        controller.enqueue(part);
      }
    }

    return stream.pipeThrough(
      new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        async transform(part, controller) {
          switch (part.type) {
            case 'text-start':
              if (streamMode === 'buffered') {
                heldText.set(part.id, { start: part, text: '' });
                return;
              }
              break;
            case 'text-delta': {
              const held = heldText.get(part.id);
              if (held !== undefined) {
                held.text += part.delta;
                return;
              }
              outputGuard.push(part.delta);
              break;
            }
            case 'text-end': {
              const held = heldText.get(part.id);
              if (held === undefined) break;
              heldText.delete(part.id);
              const outcome = await warden.checkOutput(held.text, context);
              controller.enqueue(held.start);
              if (outcome.value !== '')
                controller.enqueue({ type: 'text-delta', id: part.id, delta: outcome.value });
              break;
            }
            case 'tool-input-start':
              if (checkCalls && part.providerExecuted !== true) {
                heldInput.set(part.id, [part]);
                return;
              }
              break;
            case 'tool-input-delta':
            case 'tool-input-end': {
              const held = heldInput.get(part.id);
              if (held !== undefined) {
                held.push(part);
                return;
              }
              break;
            }
            case 'tool-call': {
              if (!checkCalls) break;
              const outcome = await warden.checkToolCall(
                { tool: part.toolName, arguments: part.input },
                context,
              );
              const input = outcome.changed ? argumentsToInput(outcome.value) : undefined;
              releaseInput(controller, part.toolCallId, input);
              controller.enqueue(input === undefined ? part : { ...part, input });
              return;
            }
            case 'tool-result': {
              const outcome = await warden.checkToolResult(
                { tool: part.toolName, text: toolResultText(part.result) },
                context,
              );
              controller.enqueue(outcome.changed ? { ...part, result: outcome.value } : part);
              return;
            }
            case 'finish':
              await endOutput();
              for (const id of [...heldInput.keys()]) releaseInput(controller, id, undefined);
              break;
            default:
              break;
          }
          controller.enqueue(part);
        },
        async flush() {
          await endOutput();
        },
      }),
    );
  }

  return {
    specificationVersion: 'v3',
    async transformParams({ params }) {
      return guardPrompt(params);
    },
    async wrapGenerate({ doGenerate, params }) {
      const result = await doGenerate();
      const context = contextFor(options.context, params.abortSignal);
      const content: LanguageModelV3Content[] = [];
      let changed = false;
      for (const part of result.content) {
        const guarded = await guardContent(part, context);
        changed ||= guarded !== part;
        content.push(guarded);
      }
      return changed ? { ...result, content } : result;
    },
    async wrapStream({ doStream, params }) {
      const result = await doStream();
      const context = contextFor(options.context, params.abortSignal);
      return { ...result, stream: guardStream(result.stream, context) };
    },
  };
}
