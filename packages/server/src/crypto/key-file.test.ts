import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOrCreateKeyFile } from './key-file.js';

let directory: string | undefined;
afterEach(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('readOrCreateKeyFile', () => {
  it('gives every concurrent caller the one key that won, written whole, mode 0600', async () => {
    directory = await mkdtemp(join(tmpdir(), 'warden-key-file-'));
    const path = join(directory, 'nested', 'key.txt');
    let generated = 0;
    const keys = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        readOrCreateKeyFile(path, () => {
          generated += 1;
          return `key-${index}-${'x'.repeat(4096)}`;
        }),
      ),
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^key-\d+-x{4096}$/);
    expect(generated).toBeGreaterThanOrEqual(1);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(await readdir(join(directory, 'nested'))).toEqual(['key.txt']);
    // Later calls read it and generate nothing.
    expect(await readOrCreateKeyFile(path, () => 'other')).toBe(keys[0]);
  });
});
