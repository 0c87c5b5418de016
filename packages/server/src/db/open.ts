import path from 'node:path';
import type { ServerConfig } from '../env.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { ensureEventPartitions } from './partitions.js';
import { type EmbeddedThread, openEmbeddedDatabase } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';

/**
 * Opens the database the configuration names (PostgreSQL when DATABASE_URL is set, otherwise
 * the embedded one in `<WARDEN_DATA_DIR>/db`), applies pending migrations and makes sure the
 * events table has partitions for the months around now. The embedded database runs in a worker
 * thread of its own unless `embeddedThread` is 'main' (see ./pglite.ts).
 * @example const db = await openDatabase(loadConfig(process.env))
 */
export async function openDatabase(
  config: Pick<ServerConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'WARDEN_DATA_DIR'>,
  options: { inMemory?: boolean; embeddedThread?: EmbeddedThread } = {},
): Promise<Database> {
  const db =
    config.DATABASE_URL === undefined
      ? await openEmbeddedDatabase(
          options.inMemory === true ? undefined : path.join(config.WARDEN_DATA_DIR, 'db'),
          options.embeddedThread === undefined ? {} : { thread: options.embeddedThread },
        )
      : await openPostgresDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  try {
    await migrate(db);
    await ensureEventPartitions(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
