import type { Category, ScanResult } from '@warden/scanner';
import { isWardenBlockedError, WardenBlockedError, WardenSdkError } from '../../errors.js';
import type { CheckContext, CheckOutcome, Warden } from '../../warden.js';
import {
  PART_SEPARATOR,
  promptSlots,
  resourceSlots,
  type TextSlot,
  toolDefinitionText,
  toolResultSlots,
  withTexts,
} from './content.js';

/**
 * The part of an MCP `Client` (`@modelcontextprotocol/sdk` v1) the guard wraps. Typed by shape
 * so that any copy of the SDK fits; the wrapped client keeps its own type.
 */
export interface McpClientLike {
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    ...rest: never[]
  ): Promise<unknown>;
  listTools(...args: never[]): Promise<unknown>;
}

/** A tool taken out of `listTools` because its definition was blocked. */
export interface PoisonedTool {
  tool: string;
  /** The rule id or `policy.*` reason that blocked the definition. */
  ruleId: string;
  category: Category | undefined;
  /** The event the core recorded for the definition's scan. */
  eventId: string;
  /** `removed` from the list, or the listing `threw`. */
  action: 'removed' | 'threw';
}

/** Options of wrapMcpClient. Every field is optional. */
export interface McpGuardOptions {
  /**
   * What a tool whose definition is blocked does to `listTools`: `remove` it from the list
   * (default) or make the call throw WardenBlockedError. Either way later calls of it are refused.
   */
  poisonedTools?: 'remove' | 'throw';
  /**
   * The surface tool definitions are scanned as: `tool_result` (default; the event carries the
   * tool's name, and the policy's tool_result actions apply, as to any text the server hands
   * the model) or `document`.
   */
  definitionSurface?: 'tool_result' | 'document';
  /** Scan `getPrompt` results as documents (default true). */
  prompts?: boolean;
  /** Scan `readResource` results as documents (default true). */
  resources?: boolean;
  /** The agent id reported with this client's checks (default: the guard's). */
  agentId?: string;
  /** Called for each tool taken out of a listing (the core has recorded the scan as an event). */
  onPoisonedTool?: (tool: PoisonedTool) => void;
}

interface Quarantine {
  result: ScanResult;
  eventId: string;
}

type Bag = Record<string, unknown>;
type Method = (...args: unknown[]) => Promise<unknown>;

const quarantines = new WeakMap<object, Map<string, Quarantine>>();

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function signalOf(options: unknown): AbortSignal | undefined {
  return isBag(options) && options.signal instanceof AbortSignal ? options.signal : undefined;
}

function validate(options: McpGuardOptions): void {
  const problems: string[] = [];
  if (
    options.poisonedTools !== undefined &&
    options.poisonedTools !== 'remove' &&
    options.poisonedTools !== 'throw'
  )
    problems.push(
      `poisonedTools: expected "remove" or "throw", got ${JSON.stringify(options.poisonedTools)}`,
    );
  if (
    options.definitionSurface !== undefined &&
    options.definitionSurface !== 'tool_result' &&
    options.definitionSurface !== 'document'
  )
    problems.push(
      `definitionSurface: expected "tool_result" or "document", got ${JSON.stringify(options.definitionSurface)}`,
    );
  if (
    options.agentId !== undefined &&
    (typeof options.agentId !== 'string' || options.agentId === '')
  )
    problems.push('agentId: expected a non-empty string');
  if (problems.length > 0)
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      `Invalid MCP guard options: ${problems.join('; ')}`,
    );
}

/** What scanning the texts of a result came to. */
type SlotVerdict<T> =
  | { kind: 'same' }
  | { kind: 'redacted'; value: T }
  /** Redacted, but the texts could not be put back one by one: the whole redacted text. */
  | { kind: 'collapsed'; text: string }
  /** Blocked with onBlock `replace`: the refusal message. */
  | { kind: 'replaced'; text: string };

/**
 * Guards an MCP client (`Client` of `@modelcontextprotocol/sdk` v1) and returns it, same type:
 * tool calls are checked before they are sent, tool results, prompts and resources before they
 * are returned, and tool definitions from `listTools` for tool poisoning. Blocks throw
 * WardenBlockedError unless the guard's `onBlock` says `replace`. Every other method and
 * property is the client's own.
 * @example const client = wrapMcpClient(new Client({ name: 'agent', version: '1.0.0' }), warden);
 * await client.connect(transport); const { tools } = await client.listTools(); // poisoned tools removed
 */
export function wrapMcpClient<C extends McpClientLike>(
  client: C,
  warden: Warden,
  options: McpGuardOptions = {},
): C {
  validate(options);
  if (typeof client?.callTool !== 'function' || typeof client.listTools !== 'function')
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      'wrapMcpClient: expected an MCP Client (with callTool and listTools)',
    );
  const target = client as unknown as Record<PropertyKey, unknown>;
  const call = (name: string, ...args: unknown[]): Promise<unknown> =>
    (target[name] as Method).apply(target, args);
  const quarantined = new Map<string, Quarantine>();
  const poisonedMode = options.poisonedTools ?? 'remove';
  const definitionSurface = options.definitionSurface ?? 'tool_result';

  function context(signal: AbortSignal | undefined): CheckContext {
    return {
      ...(options.agentId === undefined ? {} : { agentId: options.agentId }),
      ...(signal === undefined ? {} : { signal }),
    };
  }

  /** Scans the texts of a result as one text, so that an attack split over blocks is seen whole. */
  async function scanSlots<T>(
    value: T,
    slots: readonly TextSlot[],
    surface: 'tool_result' | 'document',
    tool: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SlotVerdict<T>> {
    if (slots.length === 0) return { kind: 'same' };
    const text = slots.map((slot) => slot.text).join(PART_SEPARATOR);
    const outcome: CheckOutcome<string> =
      surface === 'tool_result' && tool !== undefined && tool !== ''
        ? await warden.checkToolResult({ tool, text }, context(signal))
        : await warden.checkDocument(text, context(signal));
    if (outcome.decision === 'block') return { kind: 'replaced', text: outcome.value };
    if (!outcome.changed) return { kind: 'same' };
    // Redacted: redact each text on its own and put it back where it was, when that gives the
    // same text as the whole; otherwise hand back the whole redacted text.
    let parts = [outcome.value];
    if (slots.length > 1) {
      parts = slots.map((slot) => {
        const scanned = warden.scanner.scan(
          surface === 'tool_result' && tool !== undefined
            ? { kind: 'tool_result', tool, text: slot.text }
            : { kind: 'document', text: slot.text },
        );
        return scanned.redactedText ?? slot.text;
      });
      if (parts.join(PART_SEPARATOR) !== outcome.value)
        return { kind: 'collapsed', text: outcome.value };
    }
    const rebuilt = withTexts(value, slots, parts);
    return rebuilt === undefined
      ? { kind: 'collapsed', text: outcome.value }
      : { kind: 'redacted', value: rebuilt };
  }

  async function beforeToolCall(
    params: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const name = isBag(params) ? params.name : undefined;
    if (typeof name !== 'string') return params; // the client itself rejects it
    const refused = quarantined.get(name);
    if (refused !== undefined)
      throw new WardenBlockedError({
        surface: 'tool_args',
        result: refused.result,
        eventId: refused.eventId,
        tool: name,
      });
    const args = (params as Bag).arguments;
    const outcome = await warden.checkToolCall(
      { tool: name, arguments: args ?? {} },
      context(signal),
    );
    if (!outcome.changed) return params;
    let redacted = outcome.value;
    if (typeof redacted === 'string') {
      try {
        redacted = JSON.parse(redacted) as unknown;
      } catch {
        // left as it is: the server rejects arguments that are not an object
      }
    }
    return { ...(params as Bag), arguments: redacted };
  }

  async function afterToolCall(
    name: string,
    result: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (!isBag(result)) return result;
    const slots = toolResultSlots(result);
    const verdict = await scanSlots(result, slots, 'tool_result', name, signal);
    switch (verdict.kind) {
      case 'same':
        return result;
      case 'redacted':
        return verdict.value;
      case 'collapsed':
      case 'replaced': {
        const { structuredContent: _structured, toolResult: _legacy, content, ...rest } = result;
        // Binary blocks are kept when the texts were only redacted; a blocked result goes whole.
        const binary =
          verdict.kind === 'collapsed' && Array.isArray(content)
            ? content.filter(
                (block) => isBag(block) && (block.type === 'image' || block.type === 'audio'),
              )
            : [];
        return {
          ...rest,
          content: [{ type: 'text', text: verdict.text }, ...binary],
          ...(verdict.kind === 'replaced' ? { isError: true } : {}),
        };
      }
    }
  }

  async function afterPrompt(result: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (options.prompts === false || !isBag(result)) return result;
    const verdict = await scanSlots(result, promptSlots(result), 'document', undefined, signal);
    if (verdict.kind === 'same') return result;
    if (verdict.kind === 'redacted') return verdict.value;
    const { description: _description, ...rest } = result;
    return { ...rest, messages: [{ role: 'user', content: { type: 'text', text: verdict.text } }] };
  }

  async function afterResource(
    result: unknown,
    params: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (options.resources === false || !isBag(result)) return result;
    const verdict = await scanSlots(result, resourceSlots(result), 'document', undefined, signal);
    if (verdict.kind === 'same') return result;
    if (verdict.kind === 'redacted') return verdict.value;
    const first = Array.isArray(result.contents) ? result.contents[0] : undefined;
    const uri =
      isBag(first) && typeof first.uri === 'string' ? first.uri : isBag(params) ? params.uri : '';
    return { ...result, contents: [{ uri, mimeType: 'text/plain', text: verdict.text }] };
  }

  /** Scans one tool definition; a block (thrown or replaced) makes it poisoned. */
  async function judgeTool(
    tool: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Quarantine | undefined> {
    const name = isBag(tool) && typeof tool.name === 'string' ? tool.name : '';
    const text = toolDefinitionText(tool);
    if (text === '') return undefined;
    try {
      const outcome =
        definitionSurface === 'tool_result' && name !== ''
          ? await warden.checkToolResult({ tool: name, text }, context(signal))
          : await warden.checkDocument(text, context(signal));
      return outcome.decision === 'block'
        ? { result: outcome.result, eventId: outcome.eventId }
        : undefined;
    } catch (error) {
      if (isWardenBlockedError(error)) return { result: error.result, eventId: error.eventId };
      throw error;
    }
  }

  async function afterListTools(
    result: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (!isBag(result) || !Array.isArray(result.tools)) return result;
    const tools: unknown[] = result.tools;
    const verdicts = await Promise.all(
      tools.map((tool) => {
        const name = isBag(tool) && typeof tool.name === 'string' ? tool.name : '';
        // A tool once blocked stays refused for this client, whatever it says now.
        const known = quarantined.get(name);
        return known === undefined ? judgeTool(tool, signal) : Promise.resolve(known);
      }),
    );
    const kept: unknown[] = [];
    let first: WardenBlockedError | undefined;
    for (const [index, tool] of tools.entries()) {
      const verdict = verdicts[index];
      if (verdict === undefined) {
        kept.push(tool);
        continue;
      }
      const name = isBag(tool) && typeof tool.name === 'string' ? tool.name : '';
      const error = new WardenBlockedError({
        surface: definitionSurface,
        result: verdict.result,
        eventId: verdict.eventId,
        ...(name === '' ? {} : { tool: name }),
      });
      first ??= error;
      const isNew = !quarantined.has(name);
      quarantined.set(name, verdict);
      if (isNew)
        options.onPoisonedTool?.({
          tool: name,
          ruleId: error.ruleId,
          category: error.category,
          eventId: verdict.eventId,
          action: poisonedMode === 'throw' ? 'threw' : 'removed',
        });
    }
    if (first !== undefined && poisonedMode === 'throw') throw first;
    return kept.length === tools.length ? result : { ...result, tools: kept };
  }

  async function callTool(params: unknown, ...rest: unknown[]): Promise<unknown> {
    const signal = signalOf(rest[1]);
    const guarded = await beforeToolCall(params, signal);
    const result = await call('callTool', guarded, ...rest);
    return afterToolCall((guarded as Bag).name as string, result, signal);
  }

  async function listTools(...args: unknown[]): Promise<unknown> {
    return afterListTools(await call('listTools', ...args), signalOf(args[1]));
  }

  async function getPrompt(...args: unknown[]): Promise<unknown> {
    return afterPrompt(await call('getPrompt', ...args), signalOf(args[1]));
  }

  async function readResource(...args: unknown[]): Promise<unknown> {
    return afterResource(await call('readResource', ...args), args[0], signalOf(args[1]));
  }

  /** The generic `request` path: the same checks for the methods above when sent by hand. */
  async function request(req: unknown, ...rest: unknown[]): Promise<unknown> {
    const method = isBag(req) ? req.method : undefined;
    const signal = signalOf(rest[1]);
    switch (method) {
      case 'tools/call': {
        const params = await beforeToolCall((req as Bag).params, signal);
        const result = await call('request', { ...(req as Bag), params }, ...rest);
        return isBag(params) && typeof params.name === 'string'
          ? afterToolCall(params.name, result, signal)
          : result;
      }
      case 'tools/list':
        return afterListTools(await call('request', req, ...rest), signal);
      case 'prompts/get':
        return afterPrompt(await call('request', req, ...rest), signal);
      case 'resources/read':
        return afterResource(await call('request', req, ...rest), (req as Bag).params, signal);
      default:
        return call('request', req, ...rest);
    }
  }

  /**
   * The streaming path of tool calls (`client.experimental.tasks.callToolStream`): the call is
   * checked before it is sent and the final result before it is yielded. A block is yielded as
   * an `error` message, as the stream reports every other failure.
   */
  async function* requestStream(
    req: unknown,
    ...rest: unknown[]
  ): AsyncGenerator<unknown, void, void> {
    const stream = (
      target.requestStream as (...args: unknown[]) => AsyncGenerator<unknown, void, void>
    ).bind(target);
    if (!isBag(req) || req.method !== 'tools/call') {
      yield* stream(req, ...rest);
      return;
    }
    const signal = signalOf(rest[1]);
    let params: unknown;
    try {
      params = await beforeToolCall(req.params, signal);
    } catch (error) {
      yield { type: 'error', error };
      return;
    }
    const name = isBag(params) && typeof params.name === 'string' ? params.name : '';
    for await (const message of stream({ ...req, params }, ...rest)) {
      if (isBag(message) && message.type === 'result' && name !== '') {
        try {
          yield { ...message, result: await afterToolCall(name, message.result, signal) };
        } catch (error) {
          yield { type: 'error', error };
        }
        continue;
      }
      yield message;
    }
  }

  const overrides: Record<PropertyKey, unknown> = {
    callTool,
    listTools,
    getPrompt,
    readResource,
    request,
    requestStream,
  };
  // `experimental.tasks` calls back into its client: hand it the wrapped one.
  let experimental: { source: unknown; wrapped: unknown } | undefined;
  const wrapExperimental = (value: unknown): unknown => {
    if (!isBag(value) || !isBag(value.tasks)) return value;
    if (experimental?.source === value) return experimental.wrapped;
    const tasks: Bag = value.tasks;
    const tasksProxy: Bag = new Proxy(tasks, {
      get: (object, property) =>
        property === '_client' ? proxy : Reflect.get(object, property, tasksProxy),
    });
    const wrapped = new Proxy(value, {
      get: (object, property) =>
        property === 'tasks' ? tasksProxy : Reflect.get(object, property, object),
    });
    experimental = { source: value, wrapped };
    return wrapped;
  };
  const bound = new Map<PropertyKey, { source: unknown; fn: unknown }>();
  const proxy = new Proxy(client, {
    get(object, property) {
      if (Object.hasOwn(overrides, property) && typeof target[property] === 'function')
        return overrides[property];
      const value: unknown = Reflect.get(object, property, object);
      if (property === 'experimental') return wrapExperimental(value);
      if (typeof value !== 'function') return value;
      // Other methods run on the client itself, so its own calls are not checked twice.
      const cached = bound.get(property);
      if (cached?.source === value) return cached.fn;
      const fn = (value as Method).bind(object);
      bound.set(property, { source: value, fn });
      return fn;
    },
    set(object, property, value) {
      return Reflect.set(object, property, value, object);
    },
  });
  quarantines.set(proxy, quarantined);
  return proxy;
}

/** The tools a wrapped client refuses to call (their definitions were blocked), by name. */
export function refusedMcpTools(client: object): string[] {
  return [...(quarantines.get(client)?.keys() ?? [])];
}
