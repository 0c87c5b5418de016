import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';

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

/**
 * Opens the embedded database (PGlite: PostgreSQL compiled to WebAssembly) in `dataDirectory`,
 * or in memory when it is undefined (tests).
 * @example const db = await openEmbeddedDatabase('/var/lib/warden/db')
 */
export async function openEmbeddedDatabase(dataDirectory: string | undefined): Promise<Database> {
  if (dataDirectory !== undefined) await mkdir(dataDirectory, { recursive: true });
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
    close: () => pglite.close(),
  };
}
