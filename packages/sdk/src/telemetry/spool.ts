import { randomUUID } from 'node:crypto';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanEvent } from '@warden/protocol';
import { ControlPlaneError } from './control-plane-error.js';

const SEGMENT = /^segment-(\d{8})\.jsonl$/;
const SLOT = /^slot-(\d+)$/;
/** More processes than this on one spool directory get no spool (memory only, reported). */
const MAX_SLOTS = 64;
/**
 * A segment is rewritten with only the undelivered events once it passes this size or twice
 * the size of the last rewrite, whichever is larger: amortised O(1) per event, and a spool
 * never holds much more than twice its live events. 1 MiB is about 2,000 events of ~500 bytes.
 */
const COMPACT_MIN_BYTES = 1024 * 1024;

/** What `Spool.open` found on disk. */
export interface SpoolContents {
  spool: Spool;
  /** Undelivered events, oldest first (deduplicated by id). */
  events: ScanEvent[];
  /** Lines that did not parse (a torn last line after a crash): skipped. */
  skippedLines: number;
  /** Slots of processes that died, taken over with their events. */
  adoptedSlots: number;
}

/**
 * The durable event spool: the events a Telemetry holds, mirrored on disk as JSON lines, so a
 * restarted process sends what the last one had not. Events are appended as they are queued
 * and acknowledged (`{"a":[ids]}` lines) once delivered or dropped; rewrites keep only the
 * live ones. Writes are batched per event-loop turn and never block the caller.
 *
 * Each process takes a slot of its own under the directory (`slot-0`, `slot-1`, …, marked by
 * a `lock` file with its pid), so processes sharing a directory never write one file; a slot
 * whose process died is taken over, events and all, by the next process that starts.
 */
export class Spool {
  readonly #slot: string;
  readonly #adopted: string[];
  readonly #live: () => ScanEvent[];
  readonly #onError: (error: Error) => void;
  readonly #compactMinBytes: number;
  #segmentNumber: number;
  #handle: FileHandle | undefined;
  #bytes = 0;
  #threshold: number;
  #events: ScanEvent[] = [];
  #acks: string[] = [];
  #started = false;
  #scheduled = false;
  #writing: Promise<void> | undefined;
  #failed = false;
  #closing = false;
  #count = 0;

  private constructor(options: {
    slot: string;
    adopted: string[];
    segmentNumber: number;
    live: () => ScanEvent[];
    onError: (error: Error) => void;
    compactMinBytes: number;
  }) {
    this.#slot = options.slot;
    this.#adopted = options.adopted;
    this.#segmentNumber = options.segmentNumber;
    this.#live = options.live;
    this.#onError = options.onError;
    this.#compactMinBytes = options.compactMinBytes;
    this.#threshold = options.compactMinBytes;
  }

  /**
   * Claims a slot in `directory` and reads what it (and any dead process's slot) holds.
   * Nothing is written until `start()`.
   */
  static async open(options: {
    directory: string;
    live: () => ScanEvent[];
    onError: (error: Error) => void;
    compactMinBytes?: number;
  }): Promise<SpoolContents> {
    await mkdir(options.directory, { recursive: true, mode: 0o700 });
    const existing = (await readdir(options.directory))
      .map((name) => SLOT.exec(name)?.[1])
      .filter((number): number is string => number !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    let slot: string | undefined;
    const adopted: string[] = [];
    const highest = existing.at(-1) ?? -1;
    for (let number = 0; number < MAX_SLOTS; number += 1) {
      if (slot !== undefined && number > highest) break;
      const path = join(options.directory, `slot-${number}`);
      if (slot !== undefined && !existing.includes(number)) continue;
      await mkdir(path, { recursive: true, mode: 0o700 });
      if (!(await claim(path))) continue;
      if (slot === undefined) slot = path;
      else adopted.push(path);
    }
    if (slot === undefined) {
      throw new Error(
        `every one of the ${MAX_SLOTS} spool slots in ${options.directory} is held by a running process`,
      );
    }
    const byId = new Map<string, ScanEvent>();
    const acknowledged = new Set<string>();
    let skippedLines = 0;
    let segmentNumber = 0;
    for (const directory of [slot, ...adopted]) {
      for (const { name, number } of await segments(directory)) {
        if (directory === slot) segmentNumber = Math.max(segmentNumber, number);
        const text = await readFile(join(directory, name), 'utf8');
        for (const line of text.split('\n')) {
          if (line === '') continue;
          const record = parseLine(line);
          if (record === undefined) skippedLines += 1;
          else if ('e' in record) byId.set(record.e.id, record.e);
          else for (const id of record.a) acknowledged.add(id);
        }
      }
    }
    const events = [...byId.values()].filter((event) => !acknowledged.has(event.id));
    const spool = new Spool({
      slot,
      adopted,
      segmentNumber,
      live: options.live,
      onError: options.onError,
      compactMinBytes: options.compactMinBytes ?? COMPACT_MIN_BYTES,
    });
    return { spool, events, skippedLines, adoptedSlots: adopted.length };
  }

  /** Undelivered events on disk (after the writes done so far). */
  get count(): number {
    return this.#count;
  }

  /** The slot directory this process writes. */
  get slot(): string {
    return this.#slot;
  }

  /** Rewrites the spool with the live events (dropping torn lines and adopted slots), then appends. */
  async start(): Promise<void> {
    await this.#guard(() => this.#compact());
    this.#started = true;
    this.#schedule();
  }

  /** Queues an event for the next write. */
  append(event: ScanEvent): void {
    if (this.#failed) return;
    this.#events.push(event);
    this.#schedule();
  }

  /** Marks an event delivered (or dropped) in the next write. */
  acknowledge(id: string): void {
    if (this.#failed) return;
    this.#acks.push(id);
    this.#schedule();
  }

  /** Resolves once everything queued so far is written. */
  async settle(): Promise<void> {
    while (this.#writing !== undefined || (this.#started && this.#pendingWrites())) {
      if (this.#writing === undefined) this.#drain();
      await this.#writing;
    }
  }

  /** Writes what is queued, rewrites to the live events, syncs, and gives the slot up. */
  async close(): Promise<void> {
    // No new write starts beside the final rewrite; what is queued is written by settle().
    this.#closing = true;
    if (this.#started) {
      await this.settle();
      await this.#guard(() => this.#compact());
    }
    this.#failed = true;
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
    await rm(join(this.#slot, 'lock'), { force: true }).catch(() => {});
  }

  #pendingWrites(): boolean {
    return this.#events.length > 0 || this.#acks.length > 0;
  }

  #schedule(): void {
    if (!this.#started || this.#scheduled || this.#failed || this.#closing) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    if (this.#writing !== undefined || this.#failed) return;
    this.#writing = this.#guard(() => this.#write()).finally(() => {
      this.#writing = undefined;
      if (this.#pendingWrites()) this.#schedule();
    });
  }

  async #write(): Promise<void> {
    while (this.#pendingWrites() && !this.#failed) {
      let text = '';
      for (const event of this.#events) text += `{"e":${JSON.stringify(event)}}\n`;
      if (this.#acks.length > 0) text += `{"a":${JSON.stringify(this.#acks)}}\n`;
      this.#count += this.#events.length - this.#acks.length;
      this.#events = [];
      this.#acks = [];
      const handle = await this.#open();
      await handle.write(text);
      this.#bytes += Buffer.byteLength(text);
      if (this.#bytes > this.#threshold) await this.#compact();
    }
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle === undefined) {
      this.#handle = await open(this.#segmentPath(this.#segmentNumber), 'a', 0o600);
    }
    return this.#handle;
  }

  /**
   * Writes the live events to a new segment (temporary file, sync, rename), then deletes the
   * older segments and adopted slots. A crash in between leaves both: events repeat on replay,
   * and the server stores each id once.
   */
  async #compact(): Promise<void> {
    const live = this.#live();
    // Whatever was queued is in `live` now, or was delivered already.
    this.#events = [];
    this.#acks = [];
    let text = '';
    for (const event of live) text += `{"e":${JSON.stringify(event)}}\n`;
    const next = this.#segmentNumber + 1;
    const temporary = `${this.#segmentPath(next)}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.#segmentPath(next));
    await this.#handle?.close();
    this.#handle = undefined;
    this.#segmentNumber = next;
    this.#bytes = Buffer.byteLength(text);
    this.#threshold = Math.max(this.#compactMinBytes, 2 * this.#bytes);
    this.#count = live.length;
    for (const { name, number } of await segments(this.#slot)) {
      if (number < next) await rm(join(this.#slot, name), { force: true });
    }
    for (const directory of this.#adopted.splice(0)) {
      await rm(directory, { recursive: true, force: true });
    }
  }

  #segmentPath(number: number): string {
    return join(this.#slot, `segment-${String(number).padStart(8, '0')}.jsonl`);
  }

  /** A spool that fails to write turns itself off (memory only) and says so once. */
  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (this.#failed) return;
      this.#failed = true;
      this.#onError(
        new ControlPlaneError(
          'WARDEN_TELEMETRY_SPOOL_FAILED',
          `The event spool in ${this.#slot} failed (${(error as Error).message}); events are kept in memory only from now on. Check the directory's space and permissions.`,
          { cause: error },
        ),
      );
    }
  }
}

async function segments(directory: string): Promise<{ name: string; number: number }[]> {
  return (await readdir(directory))
    .map((name) => ({ name, number: Number(SEGMENT.exec(name)?.[1] ?? Number.NaN) }))
    .filter((segment) => !Number.isNaN(segment.number))
    .sort((a, b) => a.number - b.number);
}

function parseLine(line: string): { e: ScanEvent } | { a: string[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { e?: unknown; a?: unknown };
  if (Array.isArray(record.a) && record.a.every((id) => typeof id === 'string')) {
    return { a: record.a as string[] };
  }
  const event = record.e as { id?: unknown } | undefined;
  if (typeof event === 'object' && event !== null && typeof event.id === 'string') {
    // Raw argument values never reach the spool; a line that has them was not written by us.
    if ('argumentValues' in event) return undefined;
    return { e: event as ScanEvent };
  }
  return undefined;
}

/**
 * Takes a slot: creates its lock file exclusively, or replaces the lock of a process that no
 * longer runs. Two processes replacing one stale lock at once is possible but needs both to
 * start within the same few microseconds on a slot whose owner died; the loser then shares a
 * file it only appends to, and the server's deduplication by id keeps storage exact.
 */
async function claim(slot: string): Promise<boolean> {
  const lock = join(slot, 'lock');
  const token = `${process.pid} ${randomUUID()}\n`;
  try {
    await writeFile(lock, token, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number((await readFile(lock, 'utf8').catch(() => '')).split(' ')[0]);
  if (isRunning(owner)) return false;
  await rm(lock, { force: true });
  try {
    await writeFile(lock, token, { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Another Telemetry of this process holds it (one per directory and process is the norm).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
