import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.js';

// Keep bigint counts and timestamps exact: int8 as string is pg's default; numeric likewise.

/**
 * Opens a pool on the PostgreSQL server at `url`.
 * @example const db = await openPostgresDatabase('postgres://warden@db/warden', 10)
 */
export async function openPostgresDatabase(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client erroring (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const client = await pool.connect();
  client.release();
  const run = async <Row>(
    target: pg.Pool | pg.PoolClient,
    sql: string,
    parameters: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> => {
    const result = await target.query(sql, parameters as unknown[]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
  };
  return {
    kind: 'postgres',
    query: (sql, parameters) => run(pool, sql, parameters),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(work, prelude) {
      const connection = await pool.connect();
      const transaction: Queryable = {
        query: (sql, parameters) => run(connection, sql, parameters),
        async exec(sql) {
          await connection.query(sql);
        },
      };
      try {
        // Simple-query protocol: BEGIN and the prelude in one round trip.
        await connection.query(prelude === undefined ? 'BEGIN' : `BEGIN; ${prelude}`);
        const result = await work(transaction);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}
