import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/capture-io.js';
import { auditCommand } from './audit.js';

const POSTGRES_URL =
  process.env.WARDEN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const run = (args: string[]) => runCaptured((io) => auditCommand(args, io));

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh database of its own on the test server, dropped after. */
async function createTestPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `warden_cli_audit_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

const reachable = await postgresReachable();
if (!reachable)
  console.warn('PostgreSQL is not reachable: skipping `warden audit verify --database-url`');

describe.skipIf(!reachable)('warden audit verify --database-url', () => {
  it('verifies the chains in PostgreSQL and names a deleted entry', async () => {
    const { openDatabase, withOrganization } = await import('@warden/server');
    const { recordAudit } = await import('@warden/server/audit');
    const database = await createTestPostgresDatabase();
    try {
      const db = await openDatabase({
        WARDEN_DATA_DIR: '/nonexistent',
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: 2,
      });
      const id = (
        await db.query<{ id: string }>(
          `INSERT INTO organizations (name) VALUES ('cli') RETURNING id`,
        )
      ).rows[0]!.id;
      for (let index = 0; index < 4; index++) {
        await withOrganization(db, id, (tx) =>
          recordAudit(tx, {
            organizationId: id,
            actor: { type: 'system', id: 'test' },
            action: 'api_key.create',
            details: { index },
          }),
        );
      }
      const intact = await run(['verify', '--database-url', database.url]);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toContain('4 entries verified, chain intact');
      await db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await db.query('DELETE FROM audit_log WHERE org_id = $1 AND sequence = 3', [id]);
      await db.close();
      const tampered = await run(['verify', '--database-url', database.url, '--org', id]);
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain('entry 4');
      expect(tampered.stderr).toContain('expected sequence 3');
    } finally {
      await database.drop();
    }
  }, 120_000);
});
