/**
 * The texts a model reads in MCP results (tool results, prompts, resources, tool definitions),
 * and how to put scanned (redacted) texts back in place. Binary content (images, audio, blob
 * resources) carries no text and is left as it is.
 */

type Path = readonly (string | number)[];

/** One text inside a result: where it is, and whether it is a JSON-serialised value. */
export interface TextSlot {
  path: Path;
  text: string;
  json: boolean;
}

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pushText(slots: TextSlot[], path: Path, value: unknown): void {
  if (typeof value === 'string' && value !== '') slots.push({ path, text: value, json: false });
}

/** Texts of one content block: text, embedded text resource, and a resource link's title and description. */
function blockSlots(slots: TextSlot[], block: unknown, path: Path): void {
  if (!isBag(block)) return;
  if (block.type === 'text' || (block.type === undefined && typeof block.text === 'string')) {
    pushText(slots, [...path, 'text'], block.text);
  } else if (block.type === 'resource' && isBag(block.resource)) {
    pushText(slots, [...path, 'resource', 'text'], block.resource.text);
  } else if (block.type === 'resource_link') {
    pushText(slots, [...path, 'title'], block.title);
    pushText(slots, [...path, 'description'], block.description);
  } else if (block.type !== 'image' && block.type !== 'audio') {
    // A content type this adapter does not know: its text, if it has one, is still read.
    pushText(slots, [...path, 'text'], block.text);
  }
}

function jsonSlot(slots: TextSlot[], path: Path, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string') {
    pushText(slots, path, value);
    return;
  }
  const text = JSON.stringify(value);
  if (text !== undefined && text !== '{}' && text !== '[]') slots.push({ path, text, json: true });
}

/** Texts of a `tools/call` result: content blocks, `structuredContent`, and the legacy `toolResult`. */
export function toolResultSlots(result: unknown): TextSlot[] {
  const slots: TextSlot[] = [];
  if (!isBag(result)) return slots;
  if (Array.isArray(result.content)) {
    result.content.forEach((block, index) => {
      blockSlots(slots, block, ['content', index]);
    });
  }
  jsonSlot(slots, ['structuredContent'], result.structuredContent);
  jsonSlot(slots, ['toolResult'], result.toolResult);
  return slots;
}

/** Texts of a `prompts/get` result: its description and each message's content. */
export function promptSlots(result: unknown): TextSlot[] {
  const slots: TextSlot[] = [];
  if (!isBag(result)) return slots;
  pushText(slots, ['description'], result.description);
  if (Array.isArray(result.messages)) {
    result.messages.forEach((message, index) => {
      if (isBag(message)) blockSlots(slots, message.content, ['messages', index, 'content']);
    });
  }
  return slots;
}

/** Texts of a `resources/read` result: each text content (blobs are binary and not scanned). */
export function resourceSlots(result: unknown): TextSlot[] {
  const slots: TextSlot[] = [];
  if (!isBag(result) || !Array.isArray(result.contents)) return slots;
  result.contents.forEach((content, index) => {
    if (isBag(content)) pushText(slots, ['contents', index, 'text'], content.text);
  });
  return slots;
}

const SCHEMA_TEXT_KEYS = new Set(['description', 'title', 'default', 'examples']);
const MAX_SCHEMA_DEPTH = 16;

function schemaTexts(schema: unknown, out: string[], depth: number): void {
  if (depth > MAX_SCHEMA_DEPTH) return;
  if (Array.isArray(schema)) {
    for (const item of schema) schemaTexts(item, out, depth + 1);
    return;
  }
  if (!isBag(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_TEXT_KEYS.has(key)) {
      if (typeof value === 'string') {
        if (value !== '') out.push(value);
        continue;
      }
      if (key === 'examples' && Array.isArray(value)) {
        for (const item of value) if (typeof item === 'string' && item !== '') out.push(item);
        continue;
      }
    }
    if (typeof value === 'object' && value !== null) schemaTexts(value, out, depth + 1);
  }
}

/**
 * The text of a tool definition the model reads: its title and description, its annotations'
 * title, and the titles, descriptions, defaults and examples anywhere in its input and output
 * schemas (parameter descriptions are a common place to hide instructions).
 */
export function toolDefinitionText(tool: unknown): string {
  if (!isBag(tool)) return '';
  const out: string[] = [];
  for (const value of [tool.title, tool.description]) {
    if (typeof value === 'string' && value !== '') out.push(value);
  }
  if (
    isBag(tool.annotations) &&
    typeof tool.annotations.title === 'string' &&
    tool.annotations.title !== ''
  )
    out.push(tool.annotations.title);
  schemaTexts(tool.inputSchema, out, 0);
  schemaTexts(tool.outputSchema, out, 0);
  return out.join('\n\n');
}

/** The separator between the texts of one result when they are scanned as one. */
export const PART_SEPARATOR = '\n\n';

/**
 * A copy of `value` with each slot's text replaced by `texts[i]` (JSON slots parsed back), or
 * undefined when a JSON slot no longer parses.
 */
export function withTexts<T>(
  value: T,
  slots: readonly TextSlot[],
  texts: readonly string[],
): T | undefined {
  const copy = structuredClone(value) as unknown;
  for (const [index, slot] of slots.entries()) {
    const text = texts[index] ?? slot.text;
    let next: unknown = text;
    if (slot.json) {
      try {
        next = JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    }
    let node: unknown = copy;
    for (const key of slot.path.slice(0, -1)) node = (node as Bag)[key as string];
    (node as Bag)[slot.path.at(-1) as string] = next;
  }
  return copy as T;
}
