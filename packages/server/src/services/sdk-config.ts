import { createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Queryable } from '../db/database.js';

/** Name of the argument hash key in `integration_secrets`. */
export const ARGUMENT_HASH_KEY_SECRET = 'sdk.argument-hash-key';

/** The organisation's key for hashing tool argument values (HMAC-SHA256) in SDKs. */
export interface ArgumentHashKey {
  /** First 16 hex digits of the SHA-256 of the raw key: tells keys apart without showing them. */
  id: string;
  /** 32 random bytes, base64url without padding. */
  key: string;
}

/**
 * The organisation's argument hash key, generated on first use. Runs inside the organisation's
 * transaction; two first requests at once keep the one inserted first (INSERT … ON CONFLICT DO
 * NOTHING, then read back), so every SDK of the organisation hashes with the same key.
 * @example const { id, key } = await argumentHashKey(tx, box, organizationId)
 */
export async function argumentHashKey(
  tx: Queryable,
  box: SecretBox,
  organizationId: string,
): Promise<ArgumentHashKey> {
  const context = { organizationId, name: ARGUMENT_HASH_KEY_SECRET };
  const stored = await readSealed(tx);
  let sealed = stored;
  if (sealed === undefined) {
    const generated = randomBytes(32).toString('base64url');
    await tx.query(
      `INSERT INTO integration_secrets (org_id, name, ciphertext, key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id, name) DO NOTHING`,
      [organizationId, ARGUMENT_HASH_KEY_SECRET, box.seal(generated, context), box.activeKeyId],
    );
    sealed = await readSealed(tx);
    if (sealed === undefined) throw new Error('argument hash key vanished after insert');
  }
  const key = box.open(sealed, context);
  return { id: argumentHashKeyId(key), key };
}

/** The id of an argument hash key: 16 hex digits of the SHA-256 of its raw bytes. */
export function argumentHashKeyId(key: string): string {
  return createHash('sha256').update(Buffer.from(key, 'base64url')).digest('hex').slice(0, 16);
}

async function readSealed(tx: Queryable): Promise<string | undefined> {
  // Row-level security limits this to the transaction's organisation.
  const result = await tx.query<{ ciphertext: string }>(
    'SELECT ciphertext FROM integration_secrets WHERE name = $1',
    [ARGUMENT_HASH_KEY_SECRET],
  );
  return result.rows[0]?.ciphertext;
}
