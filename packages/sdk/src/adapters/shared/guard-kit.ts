/**
 * Pieces shared by the provider adapters (`./openai`, `./anthropic`): their state, the guarded
 * call (request checked, then the response or its stream), the promise they hand back in place
 * of the SDK's APIPromise, the cache of messages already scanned, the client Proxy and the
 * stream rebuilding. Nothing here imports a provider package at runtime.
 */
import { createHash } from 'node:crypto';
import type { ScanKind } from '@warden/scanner';
import { WardenBlockedError } from '../../errors.js';
import type { CheckContext, CheckOutcome, Warden } from '../../warden.js';

/** Options common to the provider adapters. */
export interface ProviderGuardOptions {
  /**
   * How many request messages (user turns, tool results) the wrapped client remembers as already
   * scanned, so that a conversation's history is not scanned again on every turn (default 1000;
   * `0` scans every message of every request). A remembered message that was redacted is sent
   * redacted again without a new scan.
   */
  scanCacheSize?: number;
  /** Details passed to every check (e.g. `agentId`). The request's `signal` is added when it has one. */
  context?: CheckContext;
}

const DEFAULT_CACHE_SIZE = 1000;
const TOOL_NAMES_KEPT = 2000;
/** The tool name checked when the provider's message does not give one. */
export const UNKNOWN_TOOL = 'unknown';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Remembers which texts were scanned and what to send in their place: a bounded LRU keyed by
 * a SHA-256 of the surface, the tool name and the text (the text itself is not kept).
 */
export class ScanCache {
  readonly #max: number;
  readonly #entries = new Map<string, string | null>();

  constructor(max: number | undefined) {
    this.#max = Math.max(0, Math.floor(max ?? DEFAULT_CACHE_SIZE));
  }

  static key(surface: ScanKind, tool: string, text: string): string {
    return createHash('sha256')
      .update(surface)
      .update('\0')
      .update(tool)
      .update('\0')
      .update(text)
      .digest('base64');
  }

  /** `undefined`: not scanned yet; `null`: scanned, send as is; a string: send this instead. */
  get(key: string): string | null | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, replacement: string | null): void {
    if (this.#max === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, replacement);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** A bounded map (insertion-ordered, oldest dropped): tool call ids to tool names. */
export class BoundedMap<V> {
  readonly #max: number;
  readonly #entries = new Map<string, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

/** What a wrapped provider client keeps between calls. */
export interface ProviderState {
  warden: Warden;
  cache: ScanCache;
  /** Tool call ids seen in guarded responses, to name the tool of a later tool result. */
  toolNames: BoundedMap<string>;
  context: CheckContext | undefined;
}

export function providerState(warden: Warden, options: ProviderGuardOptions): ProviderState {
  return {
    warden,
    cache: new ScanCache(options.scanCacheSize),
    toolNames: new BoundedMap(TOOL_NAMES_KEPT),
    context: options.context,
  };
}

/** The tool a tool result answers: by its call id, in this request's history or an earlier response. */
export function resultTool(
  state: ProviderState,
  names: ReadonlyMap<string, string>,
  id: string | undefined,
): string {
  return (
    (id === undefined ? undefined : (names.get(id) ?? state.toolNames.get(id))) ?? UNKNOWN_TOOL
  );
}

/** A scanner of request texts of one surface (and tool), as `scanRequestText` does it. */
export function requestScanner(
  state: ProviderState,
  context: CheckContext | undefined,
): (
  surface: 'input' | 'tool_result' | 'document',
  tool?: string,
) => (text: string) => Promise<string> {
  return (surface, tool = '') =>
    (text) =>
      scanRequestText(state.warden, state.cache, surface, tool, text, context);
}

/**
 * Checks the tool call whose name and arguments sit in `holder[nameKey]` and `holder[argsKey]`;
 * a redaction is written back in the provider's form. Returns the tool name checked.
 */
export async function checkToolCallIn(
  state: ProviderState,
  holder: Json,
  nameKey: string,
  argsKey: string,
  context: CheckContext | undefined,
): Promise<string> {
  const tool = str(holder[nameKey]) || UNKNOWN_TOOL;
  const original = holder[argsKey];
  const outcome = await state.warden.checkToolCall({ tool, arguments: original ?? {} }, context);
  if (outcome.changed) holder[argsKey] = argumentsAs(original, outcome.value);
  return tool;
}

/**
 * Maps the object items of a list in order (other items pass as they are); returns the list
 * itself when no item changed.
 */
export async function mapObjects(
  items: readonly unknown[],
  map: (item: Json) => Promise<Json>,
): Promise<readonly unknown[]> {
  let changed = false;
  const out: unknown[] = [];
  for (const item of items) {
    const next = isObject(item) ? await map(item) : item;
    if (next !== item) changed = true;
    out.push(next);
  }
  return changed ? out : items;
}

/**
 * Scans the text parts (`textTypes`, with a non-empty `text`) of a string or a list of parts;
 * other object parts go to `scanOther` when given. Returns the content to send (the same object
 * if unchanged).
 */
export async function guardTextParts(
  content: unknown,
  textTypes: readonly string[],
  scanText: (text: string) => Promise<string>,
  scanOther?: (part: Json) => Promise<Json>,
): Promise<unknown> {
  if (typeof content === 'string') return content === '' ? content : scanText(content);
  if (!Array.isArray(content)) return content;
  return mapObjects(content, async (part) => {
    if (
      textTypes.includes(String(part.type)) &&
      typeof part.text === 'string' &&
      part.text !== ''
    ) {
      const text = await scanText(part.text);
      return text === part.text ? part : { ...part, text };
    }
    return scanOther === undefined ? part : scanOther(part);
  });
}

/** How one provider API is guarded: its request, its response, its stream and their wire format. */
export interface ApiGuard {
  request(state: ProviderState, body: Json, context: CheckContext | undefined): Promise<Json>;
  response(state: ProviderState, data: Json, context: CheckContext | undefined): Promise<void>;
  stream(
    state: ProviderState,
    source: AsyncIterable<unknown>,
    context: CheckContext | undefined,
  ): AsyncGenerator<unknown, void, undefined>;
  /** One stream item as SSE, for `asResponse()`. */
  encodeEvent(item: unknown): string;
  /** What ends the SSE body (`''`: nothing). */
  trailer: string;
}

/**
 * One guarded `create`: the request is checked before anything is sent (a block throws and no
 * request is made), then the response, or the stream as it is read.
 */
export function guardedCall(
  state: ProviderState,
  body: unknown,
  requestOptions: unknown,
  send: (body: unknown) => WithResponse<unknown>,
  api: ApiGuard,
  client: unknown,
): GuardedPromise<unknown> {
  const context = requestContext(state.context, requestOptions);
  const settled = (async (): Promise<Settled<unknown>> => {
    const checked = isObject(body) ? await api.request(state, body, context) : body;
    const result = await send(checked).withResponse();
    const data = result.data;
    if (isSdkStream(data)) {
      return {
        ...result,
        data: rebuildStream(data, client, (source) => api.stream(state, source, context)),
      };
    }
    if (isObject(data)) await api.response(state, data, context);
    return result;
  })();
  return new GuardedPromise(settled, (s) => rebuildResponse(s, api.encodeEvent, api.trailer));
}

/** A guarded `create` in place of `resource.create` (the SDK's own, called on its resource). */
export function guardedCreate(
  state: ProviderState,
  resource: object,
  api: ApiGuard,
  client: unknown,
): (body: unknown, requestOptions?: unknown) => GuardedPromise<unknown> {
  const create = (
    resource as { create: (body: unknown, options?: unknown) => WithResponse<unknown> }
  ).create;
  return (body, requestOptions) =>
    guardedCall(
      state,
      body,
      requestOptions,
      (b) => create.call(resource, b, requestOptions),
      api,
      client,
    );
}

/** Scans a request text (user input, a tool result, a document) once per cache life; returns the text to send. */
export async function scanRequestText(
  warden: Warden,
  cache: ScanCache,
  surface: 'input' | 'tool_result' | 'document',
  tool: string,
  text: string,
  context: CheckContext | undefined,
): Promise<string> {
  const key = ScanCache.key(surface, tool, text);
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? text;
  const outcome =
    surface === 'input'
      ? await warden.checkInput(text, context)
      : surface === 'document'
        ? await warden.checkDocument(text, context)
        : await warden.checkToolResult({ tool, text }, context);
  cache.set(key, outcome.changed ? outcome.value : null);
  return outcome.value;
}

/** The error for an outcome that blocked but did not throw (a stream cannot take the `replace` path). */
export function blockedError(
  surface: ScanKind,
  outcome: CheckOutcome<unknown>,
  tool?: string,
): WardenBlockedError {
  return new WardenBlockedError({
    surface,
    result: outcome.result,
    eventId: outcome.eventId,
    tool,
  });
}

/** Tool arguments as the provider wants them back after a redaction. */
export function argumentsAs(original: unknown, value: unknown): unknown {
  if (typeof original === 'string')
    return typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** The check context of one request: the adapter's, plus the request's abort signal. */
export function requestContext(
  base: CheckContext | undefined,
  requestOptions: unknown,
): CheckContext | undefined {
  const signal = (requestOptions as { signal?: unknown } | undefined)?.signal;
  if (signal instanceof AbortSignal) return { ...base, signal };
  return base;
}

/** What an SDK's APIPromise resolves `withResponse()` to. */
export interface Settled<T> {
  data: T;
  response: Response;
  request_id: string | null | undefined;
  [extra: string]: unknown;
}

/** Something with the SDK's APIPromise `withResponse()`. */
export interface WithResponse<T> {
  withResponse(): Promise<Settled<T>>;
}

/**
 * The promise a guarded `create` returns: it resolves to the checked data, and keeps the SDK's
 * `withResponse()`, `asResponse()` and `_thenUnwrap()` (the helpers `parse`, `stream`, `runTools`
 * use it). `asResponse()` gives a Response rebuilt from the checked data, never the raw one.
 */
export class GuardedPromise<T> extends Promise<T> {
  readonly #settled: Promise<Settled<T>>;
  readonly #toResponse: (settled: Settled<unknown>) => Response;

  constructor(settled: Promise<Settled<T>>, toResponse: (settled: Settled<unknown>) => Response) {
    super((resolve) => resolve(undefined as T));
    this.#settled = settled;
    this.#toResponse = toResponse;
  }

  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  withResponse(): Promise<Settled<T>> {
    return this.#settled;
  }

  asResponse(): Promise<Response> {
    return this.#settled.then((settled) => this.#toResponse(settled as Settled<unknown>));
  }

  _thenUnwrap<U>(transform: (data: T, props: { response: Response }) => U): GuardedPromise<U> {
    return new GuardedPromise<U>(
      this.#settled.then((settled) => ({
        ...settled,
        data: transform(settled.data, { response: settled.response }),
      })),
      this.#toResponse,
    );
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass, as the SDK's own APIPromise is.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#settled.then((settled) => settled.data).then(onfulfilled, onrejected);
  }

  override catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}

/** An SDK Stream: async iterable with an AbortController. */
export interface SdkStream<Item> extends AsyncIterable<Item> {
  controller: AbortController;
}

export function isSdkStream(value: unknown): value is SdkStream<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function' &&
    (value as { controller?: unknown }).controller instanceof AbortController
  );
}

/**
 * A stream of the SDK's own Stream class (so `tee`, `toReadableStream` and `controller` keep
 * working) over the guarded items. The class comes from the source stream: no runtime import.
 */
export function rebuildStream<Item>(
  source: SdkStream<Item>,
  client: unknown,
  guard: (source: AsyncIterable<Item>) => AsyncGenerator<Item, void, undefined>,
): SdkStream<Item> {
  type StreamClass = new (
    iterator: () => AsyncIterator<Item>,
    controller: AbortController,
    client?: unknown,
  ) => SdkStream<Item>;
  const StreamCtor = source.constructor as StreamClass;
  const iterate = (): AsyncIterator<Item> => {
    const generator = guard(source);
    return {
      next: async () => {
        try {
          return await generator.next();
        } catch (error) {
          // A block (or a failure) ends the request too: nothing more is read from the network.
          source.controller.abort();
          throw error;
        }
      },
      return: async () => {
        await generator.return(undefined);
        return { done: true, value: undefined };
      },
    };
  };
  if (typeof StreamCtor === 'function' && (StreamCtor as unknown) !== Object) {
    try {
      return new StreamCtor(iterate, source.controller, client);
    } catch {
      // fall through to a plain iterable
    }
  }
  return { controller: source.controller, [Symbol.asyncIterator]: iterate };
}

const DROPPED_HEADERS = ['content-length', 'content-encoding', 'transfer-encoding'];

/** A Response rebuilt from checked data: JSON, or SSE re-encoded from the guarded stream. */
export function rebuildResponse(
  settled: Settled<unknown>,
  encodeEvent: (item: unknown) => string,
  trailer = '',
): Response {
  const headers = new Headers(settled.response.headers);
  for (const name of DROPPED_HEADERS) headers.delete(name);
  const init = {
    status: settled.response.status,
    statusText: settled.response.statusText,
    headers,
  };
  const data = settled.data;
  if (!isSdkStream(data)) return new Response(JSON.stringify(data), init);
  const encoder = new TextEncoder();
  const iterator = data[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          if (trailer !== '') controller.enqueue(encoder.encode(trailer));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(encodeEvent(next.value)));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, init);
}

type Overrides = Record<string, Record<string, unknown>>;

/**
 * A Proxy over an SDK client: the resources on the paths of `overrides` (e.g. `chat.completions`)
 * get the listed methods replaced, and see the guarded client as their `_client`, so the SDK's
 * helpers (`stream`, `parse`, `runTools`) call the guarded methods. Everything else is the
 * client's own; `withOptions` returns a guarded copy.
 */
export function proxyClient<C extends object>(
  client: C,
  makeOverrides: (guarded: C, target: C) => Overrides,
  rewrap: (next: C) => C,
): C {
  const resourceProxies = new Map<string, object>();
  const bound = new WeakMap<object, unknown>();
  let overrides: Overrides = {};
  const paths = (): string[] => Object.keys(overrides);

  const resourceProxy = (resource: object, path: string): object => {
    const existing = resourceProxies.get(path);
    if (existing !== undefined) return existing;
    const proxy = new Proxy(resource, {
      get(target, property, receiver) {
        if (property === '_client') return guarded;
        if (typeof property === 'string') {
          const methods = overrides[path];
          if (methods !== undefined && Object.hasOwn(methods, property)) return methods[property];
          const child = `${path}.${property}`;
          const value: unknown = Reflect.get(target, property, receiver);
          if (
            typeof value === 'object' &&
            value !== null &&
            paths().some((p) => p === child || p.startsWith(`${child}.`))
          )
            return resourceProxy(value, child);
          return value;
        }
        return Reflect.get(target, property, receiver);
      },
    });
    resourceProxies.set(path, proxy);
    return proxy;
  };

  const guarded: C = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'withOptions' && typeof value === 'function')
        return (...args: unknown[]) =>
          rewrap((value as (...a: unknown[]) => C).apply(target, args));
      if (typeof property === 'string' && typeof value === 'object' && value !== null) {
        if (paths().some((p) => p === property || p.startsWith(`${property}.`)))
          return resourceProxy(value, property);
      }
      if (typeof value === 'function') {
        // The client's methods use private fields: they run on the client itself.
        let fn = bound.get(value);
        if (fn === undefined) {
          fn = (value as (...a: unknown[]) => unknown).bind(target);
          bound.set(value, fn);
        }
        return fn;
      }
      return value;
    },
  });
  overrides = makeOverrides(guarded, client);
  return guarded;
}
