import { createHash, createHmac } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `GET /v1/sdk/config` answers: the key's organisation and project, and the hash key. */
export interface SdkConfig {
  organizationId: string;
  projectId: string;
  argumentHashKey: { id: string; key: string };
}

/** File in the spool directory that keeps the config (mode 0600: it holds the hash key). */
export const SDK_CONFIG_FILE = 'sdk-config.json';

/** Checks the shape of a config from the server or the cache file. */
export function parseSdkConfig(value: unknown): SdkConfig | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const hashKey = record.argumentHashKey as Record<string, unknown> | undefined;
  if (
    typeof record.organizationId !== 'string' ||
    typeof record.projectId !== 'string' ||
    typeof hashKey !== 'object' ||
    hashKey === null ||
    typeof hashKey.id !== 'string' ||
    typeof hashKey.key !== 'string' ||
    !/^[A-Za-z0-9_-]{43}$/.test(hashKey.key)
  ) {
    return undefined;
  }
  return {
    organizationId: record.organizationId,
    projectId: record.projectId,
    argumentHashKey: { id: hashKey.id, key: hashKey.key },
  };
}

/** A short digest of the API key: the cache belongs to the key that fetched it. */
export function apiKeyDigest(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** The cached config, when it was fetched with this API key; undefined otherwise. */
export async function loadCachedSdkConfig(
  directory: string,
  apiKey: string,
): Promise<SdkConfig | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, SDK_CONFIG_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { apiKey?: unknown; config?: unknown };
    if (parsed.apiKey !== apiKeyDigest(apiKey)) return undefined;
    return parseSdkConfig(parsed.config);
  } catch {
    return undefined;
  }
}

/** Writes the config atomically (temporary file, then rename), readable by its owner only. */
export async function saveSdkConfig(
  directory: string,
  apiKey: string,
  config: SdkConfig,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, SDK_CONFIG_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ apiKey: apiKeyDigest(apiKey), config }), {
    mode: 0o600,
  });
  // The mode of writeFile is filtered by the umask; make sure of it.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/**
 * Hashes tool argument values with the organisation's key: HMAC-SHA256, hex. The control plane
 * can then count and correlate equal values across agents without ever seeing one.
 * @example hashArgumentValues({ path: '/etc/passwd' }, key) // { path: '3f…' }
 */
export function hashArgumentValues(
  values: Readonly<Record<string, string>>,
  key: Buffer,
): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const path of Object.keys(values)) {
    hashes[path] = createHmac('sha256', key)
      .update(values[path] as string)
      .digest('hex');
  }
  return hashes;
}
