import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIRECTORY, readMigrations } from './migrate.js';

describe('readMigrations', () => {
  it('reads every numbered SQL file in order, core (0001-0099) before features (0100+)', async () => {
    const migrations = await readMigrations(MIGRATIONS_DIRECTORY);
    const versions = migrations.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.slice(0, 2)).toEqual([1, 2]);
  });

  it('ignores other files and refuses two migrations with one number', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'warden-migrations-'));
    await writeFile(path.join(directory, '0001_a.sql'), 'SELECT 1;');
    await writeFile(path.join(directory, 'notes.md'), '#');
    expect((await readMigrations(directory)).map((m) => m.name)).toEqual(['0001_a.sql']);
    await writeFile(path.join(directory, '0001_b.sql'), 'SELECT 2;');
    await expect(readMigrations(directory)).rejects.toThrow(/share the number 1/);
  });
});
