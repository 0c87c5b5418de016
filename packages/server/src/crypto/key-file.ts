import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Reads a key file, creating it with `generate()` first when it does not exist: written in full
 * to a temporary file (mode 0600), then linked into place, which fails when another process got
 * there first. So processes starting at once all read the one key that won, and none ever reads
 * a half-written file.
 * @example const pem = await readOrCreateKeyFile(join(dataDir, 'policy-signing-key.pem'), () => newPem())
 */
export async function readOrCreateKeyFile(path: string, generate: () => string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, generate(), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return readFile(path, 'utf8');
}
