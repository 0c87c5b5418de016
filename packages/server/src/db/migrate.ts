import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** Where the numbered SQL files live (copied next to the compiled code by the build). */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d{4})[-_][a-z0-9-_]+\.sql$/;
// Arbitrary constant shared by every replica: pg_advisory_xact_lock serialises them.
const MIGRATION_LOCK = 7_366_001;

/** One migration file: its number, its name and its SQL. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads every `NNNN_name.sql` in `directory`, in number order; a duplicate number throws. */
export async function readMigrations(directory = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const version = Number(MIGRATION_FILE.exec(name)?.[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new Error(`Two migrations share the number ${version}: rename one (${name}).`);
    }
    migrations.push({ version, name, sql: await readFile(`${directory}/${name}`, 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations not applied yet, each in its own transaction under an advisory lock,
 * so several replicas starting at once apply each exactly once. Resolves to the versions applied.
 * @example await migrate(db)
 */
export async function migrate(db: Database, directory = MIGRATIONS_DIRECTORY): Promise<number[]> {
  const migrations = await readMigrations(directory);
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (transaction) => {
      await transaction.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await transaction.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await transaction.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (done.rows.length > 0) return false;
      await transaction.exec(migration.sql);
      await transaction.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
