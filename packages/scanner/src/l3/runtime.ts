// The scanner compiles without DOM or Node types, so the few web-platform globals the judge needs
// (fetch, AbortController, timers, crypto, TextEncoder) are described here structurally and read
// from globalThis when a judge is created, never at import time: a bare JavaScript context
// without them can still import the package and run layer 1.

/** The part of an AbortSignal the judge uses. A real AbortSignal fits. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** What the judge passes to fetch. */
export interface JudgeRequestInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignalLike;
}

/** The part of a fetch Response the judge reads. */
export interface JudgeResponse {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

/**
 * A fetch-compatible function. The method-signature form keeps parameters bivariant, so the
 * global `fetch` (whose init wants a DOM AbortSignal) is accepted as it is.
 */
export type JudgeFetch = {
  fetch(url: string, init: JudgeRequestInit): Promise<JudgeResponse>;
}['fetch'];

interface CryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  subtle?: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}

interface Globals {
  fetch?: JudgeFetch;
  AbortController?: new () => AbortControllerLike;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  crypto?: CryptoLike;
  TextEncoder?: new () => { encode(text: string): Uint8Array };
}

/** The platform pieces a judge runs on. */
export interface JudgeRuntime {
  fetch: JudgeFetch;
  createAbortController(): AbortControllerLike;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  randomBytes(length: number): Uint8Array;
  encodeUtf8(text: string): Uint8Array;
  /** Native SHA-256 when the platform has crypto.subtle (Node 20, browsers on https, edge). */
  subtleSha256?: (data: Uint8Array) => Promise<ArrayBuffer>;
}

/** Reads the platform globals; names what is missing, so misconfiguration fails at start-up. */
export function resolveRuntime(fetchOverride: JudgeFetch | undefined): JudgeRuntime | string[] {
  const globals = globalThis as Globals;
  const missing: string[] = [];
  const fetchFunction = fetchOverride ?? globals.fetch;
  if (fetchFunction === undefined) missing.push('fetch');
  if (globals.AbortController === undefined) missing.push('AbortController');
  if (globals.setTimeout === undefined || globals.clearTimeout === undefined)
    missing.push('setTimeout');
  if (globals.crypto?.getRandomValues === undefined) missing.push('crypto.getRandomValues');
  if (globals.TextEncoder === undefined) missing.push('TextEncoder');
  if (missing.length > 0) return missing;
  const crypto = globals.crypto!;
  const AbortControllerConstructor = globals.AbortController!;
  const encoder = new globals.TextEncoder!();
  const subtle = crypto.subtle;
  const runtime: JudgeRuntime = {
    // Called as a plain function: some runtimes refuse fetch invoked with another `this`.
    fetch: (url, init) => fetchFunction!(url, init),
    createAbortController: () => new AbortControllerConstructor(),
    setTimeout: (callback, ms) => globals.setTimeout!(callback, ms),
    clearTimeout: (handle) => globals.clearTimeout!(handle),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    encodeUtf8: (text) => encoder.encode(text),
  };
  if (subtle !== undefined && typeof subtle.digest === 'function') {
    runtime.subtleSha256 = (data) => subtle.digest('SHA-256', data);
  }
  return runtime;
}
