import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from './database.js';
import { openEmbeddedDatabase } from './pglite.js';

// The worker must behave as PGlite on the caller's thread did: both are checked alike.
describe.each(['worker', 'main'] as const)('embedded database (%s thread)', (thread) => {
  const opened: Database[] = [];
  const directories: string[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });
  async function open(directory?: string): Promise<Database> {
    const db = await openEmbeddedDatabase(directory, { thread });
    opened.push(db);
    return db;
  }

  it('commits, rolls back a failing callback, and passes PostgreSQL errors on', async () => {
    const db = await open();
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, tags text[], at timestamptz, doc jsonb)');
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [
        1,
        ['a', 'b"c'],
        new Date('2026-01-02T03:04:05Z'),
        JSON.stringify({ x: [1] }),
      ]);
      return (await tx.query<{ setting: string }>(`SELECT current_setting('warden.x') AS setting`))
        .rows[0]!.setting;
    }, `SELECT set_config('warden.x', 'scoped', true)`);
    expect(value).toBe('scoped');
    expect((await db.query('SELECT * FROM t')).rows).toEqual([
      { id: 1, tags: ['a', 'b"c'], at: new Date('2026-01-02T03:04:05Z'), doc: { x: [1] } },
    ]);
    // The setting was local to the transaction.
    expect(
      (await db.query<{ s: string | null }>(`SELECT current_setting('warden.x', true) AS s`))
        .rows[0]!.s,
    ).toBe('');

    const failure = new Error('callback failed');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (2)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    const duplicate = await db
      .transaction((tx) => tx.query('INSERT INTO t (id) VALUES (1)'))
      .catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({
      code: '23505',
      constraint: 't_pkey',
      message: 'duplicate key value violates unique constraint "t_pkey"',
    });
    await expect(db.query('SELECT nope FROM t')).rejects.toMatchObject({ code: '42703' });
    expect((await db.query('SELECT id FROM t')).rows).toEqual([{ id: 1 }]);
    const update = await db.query('UPDATE t SET tags = NULL');
    expect(update.rowCount).toBe(1);
  });

  it('keeps statements outside a transaction out of it, and refuses a closed one', async () => {
    const db = await open();
    await db.exec('CREATE TABLE c (n int)');
    let leaked: Queryable | undefined;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction(async (tx) => {
      leaked = tx;
      await tx.query('INSERT INTO c VALUES (1)');
      await held;
      throw new Error('roll back');
    });
    // Sent while the transaction is open: runs after it, so it sees neither row nor rollback.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM c');
    release();
    await expect(transaction).rejects.toThrow('roll back');
    expect((await outside).rows[0]!.n).toBe(0);
    await expect(leaked!.query('SELECT 1')).rejects.toThrow('Transaction is closed');
  });

  it('keeps its data in the directory across close and open', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'warden-pglite-'));
    directories.push(directory);
    const first = await openEmbeddedDatabase(directory, { thread });
    await first.exec('CREATE TABLE kept (v text)');
    await first.query('INSERT INTO kept VALUES ($1)', ['still here']);
    await first.close();
    await first.close();
    await expect(first.query('SELECT 1')).rejects.toThrow();
    const second = await open(directory);
    expect((await second.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
  });
});
