import type { ScanEvent } from '@warden/protocol';
import { WardenSdkError } from '../errors.js';
import { ControlPlaneError, type ControlPlaneErrorCode } from './control-plane-error.js';
import {
  backoffDelay,
  type ControlPlaneResponse,
  controlPlaneUrl,
  requestControlPlane,
  retryAfterMs,
} from './http.js';
import { RingBuffer } from './ring-buffer.js';
import {
  hashArgumentValues,
  loadCachedSdkConfig,
  parseSdkConfig,
  type SdkConfig,
  saveSdkConfig,
} from './sdk-config.js';
import { Spool } from './spool.js';

/** Options of `createTelemetry`. */
export interface TelemetryOptions {
  /** The control plane's base URL, e.g. `http://127.0.0.1:8787`. */
  endpoint: string;
  /** A project API key with the `ingest` scope. */
  apiKey: string;
  /**
   * A directory for the durable spool and the cached hash key (mode 0600). Absent: memory only.
   * Hashed events are appended to JSON-lines segments as they are queued and acknowledged once
   * delivered, so a restarted process sends what the last one had not; a torn last line after a
   * crash is skipped. Each process takes a slot of its own (`slot-N/`, locked by pid), so
   * processes may share the directory; a dead process's slot is taken over by the next to start.
   * Writes are not synced per event: a process crash loses nothing written, a power cut may lose
   * the last moment. Events waiting for the hash key hold raw values and stay in memory only.
   */
  spoolDir?: string;
  /** Events held at most (waiting, sending, spooled); beyond it the oldest are dropped and counted. Default 10,000. */
  maxQueuedEvents?: number;
  /** Events per request (default 100; the server takes at most 1,000). */
  maxBatchSize?: number;
  /** How long an event waits for a batch to fill (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Deadline of one request (default 5,000 ms). */
  requestTimeoutMs?: number;
  /** The longest pause between retries (default 30,000 ms). */
  maxBackoffMs?: number;
  /** The fetch to use (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Told about every failure; never throws into the agent. Default: nothing (see `stats().lastError`). */
  onError?: (error: Error) => void;
}

/**
 * An event as the guard produces it: a complete ScanEvent except that tool argument values are
 * still raw, to be hashed with the organisation's key before they leave memory.
 */
export type PendingEvent = Omit<ScanEvent, 'argumentHashes'> & {
  argumentValues?: Record<string, string>;
};

/** Counters of a Telemetry since it was created. */
export interface TelemetryStats {
  /** Events held now: waiting, being sent, or waiting for the hash key. */
  queued: number;
  /** Of `queued`: events with raw argument values waiting for the organisation's hash key. */
  awaitingKey: number;
  /** Events the server stored. */
  sent: number;
  /** Events the server had stored before (a retry after a lost answer): delivered too. */
  duplicates: number;
  /** Events the server refused as invalid (reported through onError, never retried). */
  rejected: number;
  /** Events dropped: the oldest beyond `maxQueuedEvents`, or recorded after shutdown. */
  dropped: number;
  /** Events sent without argument hashes because no hash key could be had before shutdown. */
  argumentHashesDropped: number;
  /** Failed sends that were (or will be) retried. */
  retries: number;
  /** Undelivered events on disk in the spool. */
  spooled: number;
  /** Events read back from the spool at start (sent by an earlier process). */
  replayed: number;
  /** The last failure, `CODE: message`. */
  lastError?: string;
}

/** Who the API key belongs to, and which hash key hashes argument values. */
export interface TelemetryIdentity {
  organizationId: string;
  projectId: string;
  argumentHashKeyId: string;
}

/** Reports scan events to the control plane: batched, bounded, retried, optionally spooled to disk. */
export interface Telemetry {
  /** Queues an event. Synchronous and O(1); never throws, never waits on I/O. */
  record(event: PendingEvent): void;
  /** Tries to deliver everything queued; resolves when the queue is empty or the timeout (default 5 s) passes. Never throws. */
  flush(options?: { timeoutMs?: number }): Promise<TelemetryStats>;
  /** Stops the timers, delivers what it can within the timeout (default 5 s), and writes the spool. Never throws. */
  shutdown(options?: { timeoutMs?: number }): Promise<TelemetryStats>;
  /** The counters now. */
  stats(): TelemetryStats;
  /** The organisation and hash key, once fetched (or loaded from the spool directory). */
  identity(): TelemetryIdentity | undefined;
  /** Resolves with the identity once the hash key is known, or undefined when the timeout (default 5 s) passes first. */
  ready(options?: { timeoutMs?: number }): Promise<TelemetryIdentity | undefined>;
}

interface Queued<T> {
  sequence: number;
  event: T;
}

const DEFAULTS = {
  maxQueuedEvents: 10_000,
  maxBatchSize: 100,
  flushIntervalMs: 1000,
  requestTimeoutMs: 5000,
  maxBackoffMs: 30_000,
};
/** First retry within 0–500 ms: a restarted server is usually back within a second. */
const BACKOFF_BASE_MS = 500;
const DEFAULT_WAIT_MS = 5000;

/**
 * Creates the telemetry client: `record()` queues in memory (and, with `spoolDir`, on disk),
 * a single sender delivers batches to `POST /v1/events`. Event ids make retries idempotent:
 * the server answers `duplicate` for ids it stored before, so at-least-once sending gives
 * exactly-once storage.
 * @example const telemetry = createTelemetry({ endpoint, apiKey, spoolDir: '.warden' }); telemetry.record(event)
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  return new TelemetryClient(options);
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new WardenSdkError(
      'WARDEN_SDK_OPTIONS_INVALID',
      `telemetry.${name} must be a whole number from 1 to ${max}; got ${value}`,
    );
  }
  return value;
}

class TelemetryClient implements Telemetry {
  readonly #endpoint: string;
  readonly #apiKey: string;
  readonly #spoolDir: string | undefined;
  readonly #maxQueued: number;
  readonly #flushIntervalMs: number;
  readonly #requestTimeoutMs: number;
  readonly #maxBackoffMs: number;
  readonly #fetch: typeof fetch;
  readonly #onError: (error: Error) => void;

  readonly #pending: RingBuffer<Queued<PendingEvent>>;
  readonly #ready: RingBuffer<Queued<ScanEvent>>;
  #inFlight: Queued<ScanEvent>[] = [];
  #sequence = 0;
  #batchLimit: number;

  #config: SdkConfig | undefined;
  #hashKey: Buffer | undefined;
  #configFetch: Promise<void> | undefined;
  #nextConfigAt = 0;
  #configFailures = 0;

  #nextSendAt = 0;
  #sendFailures = 0;
  #retryAfterUntil = 0;
  #pump: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  #state: 'running' | 'closing' | 'closed' = 'running';
  #shutdown: Promise<TelemetryStats> | undefined;

  #spool: Spool | undefined;
  readonly #spoolOpened: Promise<void>;
  readonly #counters = {
    sent: 0,
    duplicates: 0,
    rejected: 0,
    dropped: 0,
    argumentHashesDropped: 0,
    retries: 0,
    replayed: 0,
  };
  #lastError: string | undefined;

  constructor(options: TelemetryOptions) {
    try {
      new URL(options.endpoint);
    } catch (cause) {
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        `telemetry endpoint "${options.endpoint}" is not a URL; pass the control plane's base URL, e.g. http://127.0.0.1:8787`,
        { cause },
      );
    }
    if (typeof options.apiKey !== 'string' || options.apiKey === '') {
      throw new WardenSdkError(
        'WARDEN_SDK_OPTIONS_INVALID',
        'telemetry needs an apiKey: a project API key with the ingest scope',
      );
    }
    this.#endpoint = options.endpoint;
    this.#apiKey = options.apiKey;
    this.#spoolDir = options.spoolDir;
    this.#maxQueued = positive(
      'maxQueuedEvents',
      options.maxQueuedEvents,
      DEFAULTS.maxQueuedEvents,
    );
    this.#batchLimit = Math.min(
      this.#maxQueued,
      positive('maxBatchSize', options.maxBatchSize, DEFAULTS.maxBatchSize, 1000),
    );
    this.#flushIntervalMs = positive(
      'flushIntervalMs',
      options.flushIntervalMs,
      DEFAULTS.flushIntervalMs,
    );
    this.#requestTimeoutMs = positive(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      DEFAULTS.requestTimeoutMs,
    );
    this.#maxBackoffMs = positive('maxBackoffMs', options.maxBackoffMs, DEFAULTS.maxBackoffMs);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#onError = options.onError ?? (() => {});
    this.#pending = new RingBuffer(this.#maxQueued);
    this.#ready = new RingBuffer(this.#maxQueued);
    this.#spoolOpened =
      this.#spoolDir === undefined ? Promise.resolve() : this.#openSpool(this.#spoolDir);
  }

  record(event: PendingEvent): void {
    try {
      if (this.#state === 'closed') {
        this.#counters.dropped += 1;
        return;
      }
      const sequence = this.#sequence++;
      const values = event.argumentValues;
      if (values !== undefined && hasKeys(values)) {
        if (this.#hashKey !== undefined) {
          this.#enqueueReady(sequence, this.#finalize(event, this.#hashKey));
        } else if (this.#makeRoom()) {
          this.#pending.push({ sequence, event });
        } else {
          this.#counters.dropped += 1;
        }
      } else {
        this.#enqueueReady(sequence, withoutValues(event));
      }
      this.#arm();
    } catch (error) {
      this.#report('WARDEN_TELEMETRY_UNAVAILABLE', 'recording an event failed', error);
    }
  }

  stats(): TelemetryStats {
    return {
      queued: this.#queued(),
      awaitingKey: this.#pending.length,
      ...this.#counters,
      spooled: this.#spool?.count ?? 0,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  identity(): TelemetryIdentity | undefined {
    const config = this.#config;
    return config === undefined
      ? undefined
      : {
          organizationId: config.organizationId,
          projectId: config.projectId,
          argumentHashKeyId: config.argumentHashKey.id,
        };
  }

  async ready(options: { timeoutMs?: number } = {}): Promise<TelemetryIdentity | undefined> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS);
    await withDeadline(this.#spoolOpened, deadline);
    while (this.#config === undefined && Date.now() < deadline && this.#state !== 'closed') {
      if (Date.now() >= this.#nextConfigAt) await withDeadline(this.#fetchConfig(), deadline);
      else await sleep(Math.min(this.#nextConfigAt, deadline) - Date.now());
    }
    return this.identity();
  }

  async flush(options: { timeoutMs?: number } = {}): Promise<TelemetryStats> {
    try {
      const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS);
      await withDeadline(this.#spoolOpened, deadline);
      // "Now": one attempt without waiting out the backoff, unless the server asked for a pause.
      this.#nextSendAt = Math.max(this.#retryAfterUntil, Math.min(this.#nextSendAt, Date.now()));
      if (this.#hashKey === undefined)
        this.#nextConfigAt = Math.min(this.#nextConfigAt, Date.now());
      while (this.#queued() > 0 && Date.now() < deadline && this.#state !== 'closed') {
        const canSend = this.#ready.length > 0 && Date.now() >= this.#nextSendAt;
        const canFetch =
          this.#hashKey === undefined &&
          this.#pending.length > 0 &&
          Date.now() >= this.#nextConfigAt;
        if (canSend || canFetch || this.#pump !== undefined) {
          await withDeadline(this.#startPump(), deadline);
          continue;
        }
        const wakeAt = Math.min(
          deadline,
          this.#ready.length > 0 ? this.#nextSendAt : Number.POSITIVE_INFINITY,
          this.#pending.length > 0 ? this.#nextConfigAt : Number.POSITIVE_INFINITY,
        );
        await sleep(Math.max(1, wakeAt - Date.now()));
      }
      if (this.#spool !== undefined) await withDeadline(this.#spool.settle(), deadline);
    } catch (error) {
      this.#report('WARDEN_TELEMETRY_UNAVAILABLE', 'flushing events failed', error);
    }
    return this.stats();
  }

  shutdown(options: { timeoutMs?: number } = {}): Promise<TelemetryStats> {
    this.#shutdown ??= this.#close(options.timeoutMs ?? DEFAULT_WAIT_MS);
    return this.#shutdown;
  }

  async #close(timeoutMs: number): Promise<TelemetryStats> {
    this.#state = 'closing';
    this.#clearTimer();
    try {
      const deadline = Date.now() + timeoutMs;
      await withDeadline(this.#spoolOpened, deadline);
      if (this.#hashKey === undefined && this.#pending.length > 0) {
        this.#nextConfigAt = 0;
        await withDeadline(this.#fetchConfig(), deadline);
      }
      if (this.#hashKey === undefined && this.#pending.length > 0) {
        const count = this.#pending.length;
        // Raw values never leave memory: without the key, the events go without their hashes.
        for (
          let queued = this.#pending.shift();
          queued !== undefined;
          queued = this.#pending.shift()
        ) {
          this.#enqueueReady(queued.sequence, withoutValues(queued.event));
        }
        this.#counters.argumentHashesDropped += count;
        this.#report(
          'WARDEN_TELEMETRY_ARGUMENTS_DROPPED',
          `${count} events are sent without argument hashes: the organisation's hash key could not be fetched from ${this.#endpoint}/v1/sdk/config before shutdown`,
        );
      }
      await this.flush({ timeoutMs: Math.max(0, deadline - Date.now()) });
      this.#state = 'closed';
      this.#clearTimer();
      // A send still in flight stays in the spool's rewrite: replayed later, stored once.
      if (this.#pump !== undefined) await withDeadline(this.#pump, deadline);
      await this.#spool?.close();
    } catch (error) {
      this.#state = 'closed';
      this.#report('WARDEN_TELEMETRY_UNAVAILABLE', 'shutting telemetry down failed', error);
    }
    return this.stats();
  }

  // ---- queue ----

  #queued(): number {
    return this.#pending.length + this.#ready.length + this.#inFlight.length;
  }

  /** Drops the oldest waiting events until one more fits; false when nothing can be dropped. */
  #makeRoom(): boolean {
    while (this.#queued() >= this.#maxQueued) {
      const pending = this.#pending.peek();
      const ready = this.#ready.peek();
      if (pending === undefined && ready === undefined) return false;
      if (ready === undefined || (pending !== undefined && pending.sequence < ready.sequence)) {
        this.#pending.shift();
      } else {
        this.#ready.shift();
        this.#spool?.acknowledge(ready.event.id);
      }
      this.#counters.dropped += 1;
    }
    return true;
  }

  #enqueueReady(sequence: number, event: ScanEvent): void {
    if (!this.#makeRoom()) {
      this.#counters.dropped += 1;
      return;
    }
    this.#ready.push({ sequence, event });
    this.#spool?.append(event);
  }

  #finalize(event: PendingEvent, key: Buffer): ScanEvent {
    const { argumentValues, ...rest } = event;
    return argumentValues === undefined || !hasKeys(argumentValues)
      ? rest
      : { ...rest, argumentHashes: hashArgumentValues(argumentValues, key) };
  }

  /** Wakes the sender: at once when a batch is full, else within the flush interval. */
  #arm(): void {
    if (this.#pump !== undefined || this.#state === 'closed') return;
    const now = Date.now();
    if (this.#ready.length >= this.#batchLimit && now >= this.#nextSendAt) this.#schedule(0);
    else if (this.#timer === undefined) {
      this.#schedule(Math.max(this.#flushIntervalMs, this.#nextSendAt - now));
    }
  }

  #schedule(delayMs: number): void {
    if (this.#state !== 'running') return;
    const at = Date.now() + delayMs;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    this.#clearTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#startPump().catch(() => {});
    }, delayMs);
    // Telemetry never keeps a process alive: shutdown() is the way to deliver the rest.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ---- sending ----

  #startPump(): Promise<void> {
    if (this.#pump === undefined) {
      this.#pump = this.#runPump()
        .catch((error: unknown) =>
          this.#report('WARDEN_TELEMETRY_UNAVAILABLE', 'sending events failed', error),
        )
        .finally(() => {
          this.#pump = undefined;
          this.#afterPump();
        });
    }
    return this.#pump;
  }

  async #runPump(): Promise<void> {
    for (;;) {
      if (this.#state === 'closed') return;
      if (this.#hashKey === undefined && Date.now() >= this.#nextConfigAt) {
        await this.#fetchConfig();
      }
      if (this.#ready.length === 0 || Date.now() < this.#nextSendAt) return;
      if (!(await this.#sendBatch())) return;
    }
  }

  #afterPump(): void {
    if (this.#state !== 'running') return;
    const now = Date.now();
    if (this.#ready.length > 0) {
      this.#schedule(Math.max(0, this.#nextSendAt - now));
    } else if (this.#pending.length > 0 && this.#hashKey === undefined) {
      this.#schedule(Math.max(0, this.#nextConfigAt - now));
    }
  }

  /** Sends one batch; true when the next one may follow at once. */
  async #sendBatch(): Promise<boolean> {
    const batch: Queued<ScanEvent>[] = [];
    while (batch.length < this.#batchLimit) {
      const queued = this.#ready.shift();
      if (queued === undefined) break;
      batch.push(queued);
    }
    this.#inFlight = batch;
    let response: ControlPlaneResponse;
    try {
      response = await requestControlPlane(
        this.#fetch,
        controlPlaneUrl(this.#endpoint, '/v1/events'),
        {
          method: 'POST',
          apiKey: this.#apiKey,
          body: JSON.stringify({ events: batch.map((queued) => queued.event) }),
        },
        this.#requestTimeoutMs,
      );
    } finally {
      this.#inFlight = [];
    }
    if (!response.ok) {
      this.#retryLater(
        batch,
        backoffDelay(this.#sendFailures++, BACKOFF_BASE_MS, this.#maxBackoffMs),
      );
      this.#report(
        'WARDEN_TELEMETRY_UNAVAILABLE',
        `${batch.length} events not delivered to ${this.#endpoint}: ${response.error.message}; retrying`,
        response.error,
      );
      return false;
    }
    const { status } = response;
    const results = resultsOf(response.body);
    if (status === 200 || status === 207 || (status === 400 && results !== undefined)) {
      this.#sendFailures = 0;
      this.#settle(batch, results ?? []);
      return true;
    }
    if (status === 413 || status === 400) {
      // Too large for this server (body limit, or a lower WARDEN_MAX_BATCH_EVENTS): halve.
      if (batch.length > 1) {
        this.#batchLimit = Math.max(1, Math.floor(batch.length / 2));
        this.#retryLater(batch, 0, { retry: false });
        return true;
      }
      this.#settle(batch, [{ index: 0, status: 'rejected', message: errorMessage(response.body) }]);
      return true;
    }
    if (status === 429) {
      const wait =
        retryAfterMs(response.headers.get('retry-after')) ??
        backoffDelay(this.#sendFailures++, BACKOFF_BASE_MS, this.#maxBackoffMs);
      this.#retryAfterUntil = Date.now() + wait;
      this.#retryLater(batch, wait);
      this.#report(
        'WARDEN_TELEMETRY_RATE_LIMITED',
        `the control plane rate-limited ${batch.length} events; retrying in ${wait} ms`,
        undefined,
        status,
      );
      return false;
    }
    if (status === 401 || status === 403) {
      this.#retryLater(batch, this.#maxBackoffMs);
      this.#report(
        'WARDEN_TELEMETRY_UNAUTHORIZED',
        `the control plane refused the API key (${status}: ${errorMessage(response.body)}); use a project key with the ingest scope. Retrying in ${this.#maxBackoffMs} ms`,
        undefined,
        status,
      );
      return false;
    }
    const delay =
      status >= 500
        ? backoffDelay(this.#sendFailures++, BACKOFF_BASE_MS, this.#maxBackoffMs)
        : this.#maxBackoffMs;
    this.#retryLater(batch, delay);
    this.#report(
      'WARDEN_TELEMETRY_UNAVAILABLE',
      `the control plane answered ${status} to ${batch.length} events (${errorMessage(response.body)}); retrying in ${delay} ms`,
      undefined,
      status,
    );
    return false;
  }

  /**
   * Puts a batch back at the front, in order, and sets when to try again. Every failed send
   * counts as a retry, whatever its delay (full jitter may draw 0 ms); a batch split because it
   * was too large does not.
   */
  #retryLater(
    batch: Queued<ScanEvent>[],
    delayMs: number,
    { retry }: { retry: boolean } = { retry: true },
  ): void {
    for (let index = batch.length - 1; index >= 0; index -= 1) {
      // Room is there: the bound counted these while they were in flight.
      this.#ready.unshift(batch[index] as Queued<ScanEvent>);
    }
    if (retry) this.#counters.retries += batch.length;
    this.#nextSendAt = Date.now() + delayMs;
  }

  /** Counts the server's per-event results and acknowledges the batch in the spool. */
  #settle(batch: Queued<ScanEvent>[], results: EventResult[]): void {
    const statuses = new Array<EventResult | undefined>(batch.length);
    for (const result of results) {
      if (result.index >= 0 && result.index < batch.length) statuses[result.index] = result;
    }
    const rejected: string[] = [];
    for (let index = 0; index < batch.length; index += 1) {
      const result = statuses[index];
      const status = result?.status ?? 'accepted';
      if (status === 'duplicate') this.#counters.duplicates += 1;
      else if (status === 'rejected') {
        this.#counters.rejected += 1;
        rejected.push(`${batch[index]?.event.id}: ${result?.message ?? 'rejected'}`);
      } else this.#counters.sent += 1;
      this.#spool?.acknowledge((batch[index] as Queued<ScanEvent>).event.id);
    }
    if (rejected.length > 0) {
      this.#report(
        'WARDEN_TELEMETRY_REJECTED',
        `the control plane rejected ${rejected.length} events as invalid (not retried): ${rejected.slice(0, 3).join('; ')}`,
      );
    }
  }

  // ---- the organisation's hash key ----

  #fetchConfig(): Promise<void> {
    this.#configFetch ??= this.#requestConfig().finally(() => {
      this.#configFetch = undefined;
    });
    return this.#configFetch;
  }

  async #requestConfig(): Promise<void> {
    if (this.#config !== undefined) return;
    const response = await requestControlPlane(
      this.#fetch,
      controlPlaneUrl(this.#endpoint, '/v1/sdk/config'),
      { method: 'GET', apiKey: this.#apiKey },
      this.#requestTimeoutMs,
    );
    const config =
      response.ok && response.status === 200 ? parseSdkConfig(response.body) : undefined;
    if (config !== undefined) {
      this.#configFailures = 0;
      this.#useConfig(config);
      if (this.#spoolDir !== undefined) {
        await saveSdkConfig(this.#spoolDir, this.#apiKey, config).catch((error: unknown) =>
          this.#report(
            'WARDEN_TELEMETRY_SPOOL_FAILED',
            `could not keep the hash key in ${this.#spoolDir}`,
            error,
          ),
        );
      }
      return;
    }
    const refused = response.ok && (response.status === 401 || response.status === 403);
    const delay = refused
      ? this.#maxBackoffMs
      : backoffDelay(this.#configFailures++, BACKOFF_BASE_MS, this.#maxBackoffMs);
    this.#nextConfigAt = Date.now() + delay;
    const detail = response.ok
      ? `${response.status}: ${errorMessage(response.body)}`
      : response.error.message;
    this.#report(
      refused ? 'WARDEN_TELEMETRY_UNAUTHORIZED' : 'WARDEN_TELEMETRY_UNAVAILABLE',
      `could not fetch the organisation's hash key from ${this.#endpoint}/v1/sdk/config (${detail}); events with tool arguments wait in memory. Retrying in ${delay} ms`,
      response.ok ? undefined : response.error,
      response.ok ? response.status : undefined,
    );
  }

  /** Takes the key and hashes the events that waited for it. */
  #useConfig(config: SdkConfig): void {
    this.#config = config;
    const key = Buffer.from(config.argumentHashKey.key, 'base64url');
    this.#hashKey = key;
    for (let queued = this.#pending.shift(); queued !== undefined; queued = this.#pending.shift()) {
      this.#enqueueReady(queued.sequence, this.#finalize(queued.event, key));
    }
    this.#arm();
  }

  // ---- spool ----

  async #openSpool(directory: string): Promise<void> {
    try {
      const cached = await loadCachedSdkConfig(directory, this.#apiKey);
      if (cached !== undefined && this.#config === undefined) this.#useConfig(cached);
      const { spool, events } = await Spool.open({
        directory,
        live: () => [...this.#inFlight, ...this.#ready.toArray()].map((queued) => queued.event),
        onError: (error) => this.#report('WARDEN_TELEMETRY_SPOOL_FAILED', error.message, error),
      });
      // Replayed events are older than anything recorded since: they go first.
      let sequence = -1;
      const known = new Set(this.#ready.toArray().map((queued) => queued.event.id));
      for (let index = events.length - 1; index >= 0; index -= 1) {
        const event = events[index] as ScanEvent;
        if (known.has(event.id)) continue;
        if (this.#queued() >= this.#maxQueued) {
          this.#counters.dropped += index + 1;
          break;
        }
        this.#ready.unshift({ sequence: sequence--, event });
        this.#counters.replayed += 1;
      }
      // Events recorded while the spool opened are written by the first rewrite.
      this.#spool = spool;
      await spool.start();
      this.#arm();
    } catch (error) {
      this.#report(
        'WARDEN_TELEMETRY_SPOOL_FAILED',
        `could not open the event spool in ${directory}: events are kept in memory only`,
        error,
      );
    }
  }

  #report(code: ControlPlaneErrorCode, message: string, cause?: unknown, status?: number): void {
    const error = new ControlPlaneError(code, message, {
      ...(cause === undefined ? {} : { cause }),
      ...(status === undefined ? {} : { status }),
    });
    this.#lastError = `${code}: ${message}`;
    try {
      this.#onError(error);
    } catch {
      // A throwing handler must not break delivery.
    }
  }
}

interface EventResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  message?: string;
}

/** The per-event results of an ingest answer, when it has them. */
function resultsOf(body: unknown): EventResult[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const results = (body as { results?: unknown }).results;
  if (!Array.isArray(results)) return undefined;
  const parsed: EventResult[] = [];
  for (const result of results as Record<string, unknown>[]) {
    const status = result?.status;
    if (
      typeof result?.index !== 'number' ||
      (status !== 'accepted' && status !== 'duplicate' && status !== 'rejected')
    ) {
      continue;
    }
    const error = result.error as { message?: unknown } | undefined;
    parsed.push({
      index: result.index,
      status,
      ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    });
  }
  return parsed;
}

function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const message = (body as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  }
  return typeof body === 'string' && body !== '' ? body.slice(0, 200) : 'no details';
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

function withoutValues(event: PendingEvent): ScanEvent {
  if (!('argumentValues' in event)) return event;
  const { argumentValues: _values, ...rest } = event;
  return rest;
}

/** A timer that holds the process: flush and shutdown are awaited on purpose. */
function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));
}

/** Waits for `promise` until `deadline` (epoch ms); never rejects. */
async function withDeadline(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    }),
  ]);
  clearTimeout(timer);
}
