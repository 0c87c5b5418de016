import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openEmbeddedDatabase } from '../db/pglite.js';
import { openPostgresDatabase } from '../db/postgres.js';

/** The PostgreSQL server the integration tests use (trust auth on this machine and in CI). */
export const TEST_POSTGRES_URL =
  process.env.WARDEN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when the test PostgreSQL server answers; integration tests skip (and say so) otherwise. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    console.warn(`PostgreSQL not reachable at ${TEST_POSTGRES_URL}: skipping the PostgreSQL suite`);
    return false;
  }
}

/** A migrated database of its own: in-memory PGlite, or a fresh PostgreSQL database dropped after. */
export async function openTestDatabase(
  kind: 'embedded' | 'postgres',
): Promise<{ db: Database; url: string | undefined; close: () => Promise<void> }> {
  if (kind === 'embedded') {
    const db = await openEmbeddedDatabase(undefined);
    await migrate(db);
    return { db, url: undefined, close: () => db.close() };
  }
  const name = `warden_features_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = await openPostgresDatabase(url.toString(), 5);
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Creates an organisation (as the schema owner) and returns its id. */
export async function createTestOrganization(
  db: Database,
  name = 'features-test',
): Promise<string> {
  const result = await db.query<{ id: string }>(
    'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
    [name],
  );
  return result.rows[0]!.id;
}
