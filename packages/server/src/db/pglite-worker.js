// @ts-check
// The embedded database's thread: owns one PGlite instance and runs the statements that
// ./pglite.ts sends it, so PostgreSQL's work (WebAssembly, ~40 µs per inserted event) does not
// block the server's event loop. Plain JavaScript, so that it runs as it is under tsx, vitest
// and from dist (the build copies it there).
//
// Messages in: { id, op: 'query', sql, parameters, tx? } | { id, op: 'exec', sql, tx? }
//   | { id, op: 'begin', prelude? } | { id, op: 'commit' | 'rollback', tx } | { id, op: 'close' }.
// Messages out: { id, result } or { id, error } (an error's own fields: code, detail, …).
// A transaction is PGlite's own transaction(): BEGIN, the statements sent with its id (the id
// of its 'begin'), COMMIT or ROLLBACK; statements without an id wait until it has ended.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const ROLLBACK = Symbol('rollback');

/** @param {unknown} error */
function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  /** @type {Record<string, unknown>} */
  const fields = { message: error.message, name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'function') continue;
    try {
      structuredClone(value);
      fields[key] = value;
    } catch {
      // not cloneable: left out
    }
  }
  return fields;
}

/** @param {number} id @param {unknown} result */
function answer(id, result) {
  port.postMessage({ id, result });
}

/** @param {number} id @param {unknown} error */
function fail(id, error) {
  port.postMessage({ id, error: serializeError(error) });
}

/**
 * @typedef {{
 *   tx: import('@electric-sql/pglite').Transaction,
 *   end: (outcome: typeof ROLLBACK | undefined) => void,
 *   endId: number,
 * }} OpenTransaction
 */

/** @type {Map<number, OpenTransaction>} */
const transactions = new Map();

/** @param {import('@electric-sql/pglite').PGlite | import('@electric-sql/pglite').Transaction} target */
async function run(target, /** @type {any} */ message) {
  if (message.op === 'exec') {
    await target.exec(message.sql);
    return undefined;
  }
  const result = await target.query(message.sql, message.parameters);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/** @param {PGlite} pglite @param {number} id @param {string | undefined} prelude */
function begin(pglite, id, prelude) {
  let began = false;
  /** @type {OpenTransaction | undefined} */
  let open;
  pglite
    .transaction(async (tx) => {
      if (prelude !== undefined) await tx.exec(prelude);
      const ended = new Promise((resolve, reject) => {
        open = {
          tx,
          endId: id,
          end: (outcome) => (outcome === ROLLBACK ? reject(ROLLBACK) : resolve(undefined)),
        };
      });
      transactions.set(id, /** @type {OpenTransaction} */ (open));
      began = true;
      answer(id, id);
      await ended;
    })
    .then(
      () => answer(/** @type {OpenTransaction} */ (open).endId, undefined),
      (error) => {
        if (!began) fail(id, error);
        else if (error === ROLLBACK) answer(/** @type {OpenTransaction} */ (open).endId, undefined);
        else fail(/** @type {OpenTransaction} */ (open).endId, error);
      },
    )
    .finally(() => transactions.delete(id));
}

const options = /** @type {{ dataDir?: string }} */ (workerData ?? {});
const pglite = await PGlite.create(
  options.dataDir === undefined ? {} : { dataDir: options.dataDir },
);

port.on('message', (/** @type {any} */ message) => {
  const id = /** @type {number} */ (message.id);
  switch (message.op) {
    case 'begin':
      begin(pglite, id, message.prelude);
      return;
    case 'commit':
    case 'rollback': {
      const open = transactions.get(message.tx);
      if (open === undefined) {
        fail(id, new Error('Transaction is closed'));
        return;
      }
      open.endId = id;
      open.end(message.op === 'rollback' ? ROLLBACK : undefined);
      return;
    }
    case 'close':
      pglite.close().then(
        () => {
          answer(id, undefined);
          port.close();
        },
        (error) => fail(id, error),
      );
      return;
    default: {
      let target = pglite;
      if (message.tx !== undefined) {
        const open = transactions.get(message.tx);
        if (open === undefined) {
          fail(id, new Error('Transaction is closed'));
          return;
        }
        target = /** @type {any} */ (open.tx);
      }
      run(target, message).then(
        (result) => answer(id, result),
        (error) => fail(id, error),
      );
    }
  }
});
port.postMessage({ ready: true });
