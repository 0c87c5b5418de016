import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';

/** Where the embedded database runs: a worker thread of its own (default) or the caller's. */
export type EmbeddedThread = 'worker' | 'main';

/**
 * Opens the embedded database (PGlite: PostgreSQL compiled to WebAssembly) in `dataDirectory`,
 * or in memory when it is undefined (tests). By default PGlite runs in a worker thread of its
 * own (./pglite-worker.js), so its work does not hold up the event loop: statements travel as
 * messages; PGlite is one connection, so a transaction has it to itself from BEGIN to COMMIT
 * or ROLLBACK and other statements wait, as on the caller's thread. `thread: 'main'` runs it on
 * the caller's thread (bench comparisons).
 * @example const db = await openEmbeddedDatabase('/var/lib/warden/db')
 */
export async function openEmbeddedDatabase(
  dataDirectory: string | undefined,
  options: { thread?: EmbeddedThread } = {},
): Promise<Database> {
  if (dataDirectory !== undefined) await mkdir(dataDirectory, { recursive: true });
  return options.thread === 'main' ? openOnThisThread(dataDirectory) : openInWorker(dataDirectory);
}

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<Row>(sql: string, parameters: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, parameters as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

async function openOnThisThread(dataDirectory: string | undefined): Promise<Database> {
  const pglite = await PGlite.create(dataDirectory === undefined ? {} : { dataDir: dataDirectory });
  const direct = wrap(pglite);
  return {
    kind: 'embedded',
    query: direct.query,
    exec: direct.exec,
    // PGlite is one connection; its transaction() queues other statements until this one ends.
    transaction: (work, prelude) =>
      pglite.transaction(async (transaction) => {
        if (prelude !== undefined) await transaction.exec(prelude);
        return work(wrap(transaction));
      }),
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

type Request =
  | { op: 'query'; sql: string; parameters: readonly unknown[]; tx?: number }
  | { op: 'exec'; sql: string; tx?: number }
  | { op: 'begin'; prelude?: string }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'close' };

type Reply =
  | { ready: true }
  | { id: number; result: unknown }
  | { id: number; error: Record<string, unknown> & { message: string } };

/** An error answered by the worker, rebuilt with its fields (PostgreSQL's code, detail, …). */
function rebuildError(fields: Record<string, unknown> & { message: string }): Error {
  const { message, name, ...rest } = fields;
  const error = Object.assign(new Error(message), rest);
  if (typeof name === 'string') error.name = name;
  return error;
}

async function openInWorker(dataDirectory: string | undefined): Promise<Database> {
  const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
    workerData: dataDirectory === undefined ? {} : { dataDir: dataDirectory },
    // The worker is plain JavaScript: no loader (tsx) or profiler flags of this process.
    execArgv: [],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    worker.unref();
  };
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    const onExit = (code: number) =>
      reject(new Error(`The embedded database's worker exited (${code}) while starting.`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (message: Reply) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      if ('ready' in message) resolve();
      else reject(new Error('The embedded database worker answered before it was ready.'));
    });
  });
  worker.on('message', (message: Reply) => {
    if (!('id' in message)) return;
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    // Held only while statements are in flight: an idle database keeps no process alive.
    if (pending.size === 0) worker.unref();
    if ('error' in message) waiter.reject(rebuildError(message.error));
    else waiter.resolve(message.result);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) =>
    failAll(new Error(`The embedded database's worker exited (${code}).`)),
  );
  worker.unref();

  const request = <T>(message: Request): Promise<T> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = nextId;
    nextId += 1;
    return new Promise<T>((resolve, reject) => {
      try {
        // Throws for a parameter that cannot be copied to the worker (a function, …).
        worker.postMessage({ id, ...message });
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  };

  const statements = (tx: number | undefined, isOpen: () => boolean): Queryable => ({
    query<Row>(sql: string, parameters: readonly unknown[] = []): Promise<QueryResult<Row>> {
      if (!isOpen()) return Promise.reject(new Error('Transaction is closed'));
      return request<QueryResult<Row>>({
        op: 'query',
        sql,
        parameters,
        ...(tx === undefined ? {} : { tx }),
      });
    },
    async exec(sql: string): Promise<void> {
      if (!isOpen()) throw new Error('Transaction is closed');
      await request({ op: 'exec', sql, ...(tx === undefined ? {} : { tx }) });
    },
  });
  const direct = statements(undefined, () => true);
  let closing: Promise<void> | undefined;

  return {
    kind: 'embedded',
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(
      work: (transaction: Queryable) => Promise<T>,
      prelude?: string,
    ): Promise<T> {
      // BEGIN and the prelude in one message; the answer is the transaction's id.
      const tx = await request<number>(
        prelude === undefined ? { op: 'begin' } : { op: 'begin', prelude },
      );
      let open = true;
      let result: T;
      try {
        result = await work(statements(tx, () => open));
      } catch (error) {
        open = false;
        // The callback's error is the one to report, even if ROLLBACK fails too (PGlite then
        // ends the transaction anyway).
        await request({ op: 'rollback', tx }).catch(() => {});
        throw error;
      }
      open = false;
      await request({ op: 'commit', tx });
      return result;
    },
    close() {
      // PGlite's close shuts PostgreSQL down cleanly (data on disk); then the worker ends.
      closing ??= (async () => {
        if (failure !== undefined) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        await request({ op: 'close' });
        worker.ref();
        // The worker ends by itself once PGlite has closed; it is stopped if it lingers.
        const stop = setTimeout(() => void worker.terminate(), 5000);
        await exited;
        clearTimeout(stop);
      })();
      return closing;
    },
  };
}
