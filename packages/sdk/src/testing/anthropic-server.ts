/**
 * The Anthropic Messages API wire format for the local stand-in server (see openai-server.ts):
 * `message` objects and the SSE events of a streamed message (`event: message_start` …
 * `event: message_stop`), as the API documents them.
 */
import type { SseEvent } from './openai-server.js';

export {
  type FakeServer,
  type RecordedRequest,
  type Reply,
  startFakeServer,
} from './openai-server.js';

export type FakeBlock =
  | { type: 'text'; text: string; pieces?: string[] }
  | {
      type: 'tool_use';
      id: string;
      name: string;
      input: Record<string, unknown>;
      pieces?: string[];
    };

const MODEL = 'claude-sonnet-4-6';

/** A `message` object as `POST /v1/messages` returns it. */
export function anthropicMessage(blocks: FakeBlock[]) {
  const toolUse = blocks.some((block) => block.type === 'tool_use');
  return {
    id: 'msg_01Test',
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: blocks.map((block) =>
      block.type === 'text'
        ? { type: 'text', text: block.text }
        : { type: 'tool_use', id: block.id, name: block.name, input: block.input },
    ),
    stop_reason: toolUse ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 25,
      output_tokens: 40,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}

/** The SSE events of a streamed message, each as `event: <type>` and `data: {...}`. */
export function anthropicEvents(blocks: FakeBlock[]): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (data: Record<string, unknown>) => events.push({ event: String(data.type), data });
  const message = anthropicMessage(blocks);
  push({
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  push({ type: 'ping' });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of block.pieces ?? [block.text])
        push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else {
      push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const partial_json of block.pieces ?? [JSON.stringify(block.input)])
        push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        });
    }
    push({ type: 'content_block_stop', index });
  });
  push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: 40 },
  });
  push({ type: 'message_stop' });
  return events;
}
