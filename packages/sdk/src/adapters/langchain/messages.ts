/**
 * Scanning LangChain messages: which of them are new, what text they carry, and rebuilding them
 * with Warden's replacement text. Shared by the guard wrappers and the callback handler.
 */
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type MessageContent,
  ToolMessage,
} from '@langchain/core/messages';
import type { CheckContext, Warden } from '../../warden.js';

/** Options shared by the LangChain wrappers and the handler. */
export interface LangChainGuardOptions {
  /**
   * Which input messages are scanned: `new` (default) those after the last AI message (the
   * user turn or the tool results the model has not seen yet), `all` every human and tool
   * message of every call.
   */
  messages?: 'new' | 'all';
  /** Details passed to every check (e.g. `agentId`). */
  context?: CheckContext;
}

/** A message's type (`human`, `ai`, `tool`, `system`, ...). */
export function messageType(message: BaseMessage): string {
  return message.getType();
}

/** The index of the first message to scan: after the last AI message, or 0. */
export function firstNew(
  messages: readonly BaseMessage[],
  scope: 'new' | 'all' | undefined,
): number {
  if (scope === 'all') return 0;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message !== undefined && messageType(message) === 'ai') return index + 1;
  }
  return 0;
}

/** The text scanned for a tool's output that is not a string. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `check` on each text of a message content (a string, or the text blocks of an array)
 * and returns the content with the replacements, or the same content when nothing changed.
 */
export async function mapContentText(
  content: MessageContent,
  check: (text: string) => Promise<{ value: string; changed: boolean }>,
): Promise<MessageContent> {
  if (typeof content === 'string') {
    const outcome = await check(content);
    return outcome.changed ? outcome.value : content;
  }
  if (!Array.isArray(content)) return content;
  let changed = false;
  const blocks = [];
  for (const block of content) {
    const text = (block as { type?: unknown; text?: unknown }).text;
    if ((block as { type?: unknown }).type === 'text' && typeof text === 'string') {
      const outcome = await check(text);
      changed ||= outcome.changed;
      blocks.push(outcome.changed ? { ...block, text: outcome.value } : block);
    } else {
      blocks.push(block);
    }
  }
  return changed ? (blocks as MessageContent) : content;
}

/** The tool name of a tool message: its own, or that of the AI tool call it answers. */
export function toolNameOf(message: ToolMessage, earlier: readonly BaseMessage[]): string {
  if (typeof message.name === 'string' && message.name !== '') return message.name;
  for (let index = earlier.length - 1; index >= 0; index -= 1) {
    const candidate = earlier[index];
    if (
      candidate instanceof AIMessage ||
      (candidate !== undefined && messageType(candidate) === 'ai')
    ) {
      const call = (candidate as AIMessage).tool_calls?.find(
        (toolCall) => toolCall.id === message.tool_call_id,
      );
      if (call !== undefined) return call.name;
    }
  }
  return 'unknown_tool';
}

/**
 * Scans the new human messages (as input) and tool messages (as tool results) of a prompt.
 * Returns the messages to send: the same array when nothing changed, else a copy with
 * rebuilt messages.
 */
export async function guardPromptMessages(
  warden: Warden,
  messages: readonly BaseMessage[],
  options: LangChainGuardOptions,
): Promise<readonly BaseMessage[]> {
  const context = options.context;
  let changed = false;
  const out = [...messages];
  for (let index = firstNew(messages, options.messages); index < messages.length; index += 1) {
    const message = messages[index];
    if (message === undefined) continue;
    const type = messageType(message);
    if (type === 'human') {
      const content = await mapContentText(message.content, (text) =>
        warden.checkInput(text, context),
      );
      if (content !== message.content) {
        changed = true;
        out[index] = new HumanMessage({
          content,
          additional_kwargs: message.additional_kwargs,
          response_metadata: message.response_metadata,
          ...(message.id === undefined ? {} : { id: message.id }),
          ...(message.name === undefined ? {} : { name: message.name }),
        });
      }
    } else if (type === 'tool') {
      const toolMessage = message as ToolMessage;
      const tool = toolNameOf(toolMessage, messages.slice(0, index));
      const content = await mapContentText(toolMessage.content, (text) =>
        warden.checkToolResult({ tool, text }, context),
      );
      if (content !== toolMessage.content) {
        changed = true;
        out[index] = rebuildToolMessage(toolMessage, content);
      }
    }
  }
  return changed ? out : messages;
}

/** A copy of a tool message with another content. */
export function rebuildToolMessage(message: ToolMessage, content: MessageContent): ToolMessage {
  return new ToolMessage({
    content,
    tool_call_id: message.tool_call_id,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
    ...(message.name === undefined ? {} : { name: message.name }),
    ...(message.id === undefined ? {} : { id: message.id }),
    ...(message.status === undefined ? {} : { status: message.status }),
    ...(message.artifact === undefined ? {} : { artifact: message.artifact }),
    ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
  });
}
