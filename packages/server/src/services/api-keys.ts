import type { Database, Queryable } from '../db/database.js';
import { constantTimeEqual, randomToken, sha256Hex } from './tokens.js';

/** What an API key may do. */
export const API_KEY_SCOPES = ['ingest', 'policy:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An authenticated API key. */
export interface ApiKeyPrincipal {
  apiKeyId: string;
  organizationId: string;
  projectId: string;
  scopes: readonly ApiKeyScope[];
}

const KEY_FORMAT = /^wdn_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
// Revocation reaches other replicas within this long; on this one it is immediate.
const CACHE_MILLISECONDS = 5_000;
const LAST_USED_WRITE_MILLISECONDS = 60_000;

interface StoredKey extends ApiKeyPrincipal {
  secretHash: string;
  revoked: boolean;
}

const PREFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomPrefix(): string {
  const bytes = randomToken(24);
  let prefix = '';
  for (const character of bytes) {
    if (PREFIX_ALPHABET.includes(character)) prefix += character;
    if (prefix.length === 12) break;
  }
  return prefix.padEnd(12, 'x');
}

/**
 * Creates a key for a project inside an organisation transaction. The plain key is returned
 * once and never stored: only its SHA-256 and its lookup prefix are.
 * @example const { key } = await createApiKey(tx, { organizationId, projectId, name: 'ci', scopes: ['ingest'], createdBy })
 */
export async function createApiKey(
  transaction: Queryable,
  input: {
    organizationId: string;
    projectId: string;
    name: string;
    scopes: readonly ApiKeyScope[];
    createdBy: string | null;
  },
): Promise<{ key: string; row: ApiKeyRow }> {
  const prefix = randomPrefix();
  const key = `wdn_${prefix}_${randomToken(32)}`;
  const result = await transaction.query<ApiKeyRow>(
    `INSERT INTO api_keys (org_id, project_id, name, prefix, secret_hash, scopes, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${API_KEY_COLUMNS}`,
    [
      input.organizationId,
      input.projectId,
      input.name,
      prefix,
      sha256Hex(key),
      input.scopes,
      input.createdBy,
    ],
  );
  return { key, row: result.rows[0]! };
}

/** The columns of a key that the API shows (never the hash). */
export const API_KEY_COLUMNS =
  'id, project_id AS "projectId", name, prefix, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"';

/** A key as the API lists it. */
export interface ApiKeyRow {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Resolves API keys to principals, with a short cache and throttled last-used writes. */
export class ApiKeyAuthenticator {
  readonly #db: Database;
  readonly #cache = new Map<string, { key: StoredKey | undefined; fetchedAt: number }>();
  readonly #lastUsedWrites = new Map<string, number>();
  readonly #announce: ((prefix: string) => void) | undefined;

  /** `announce` tells the other replicas of a revocation (Redis pub/sub when configured). */
  constructor(db: Database, announce?: (prefix: string) => void) {
    this.#db = db;
    this.#announce = announce;
  }

  /** The principal for `presented`, or undefined when it is malformed, unknown, wrong or revoked. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal | undefined> {
    const match = KEY_FORMAT.exec(presented);
    if (match === null) return undefined;
    const prefix = match[1]!;
    const stored = await this.#lookup(prefix);
    if (stored === undefined || stored.revoked) return undefined;
    if (!constantTimeEqual(sha256Hex(presented), stored.secretHash)) return undefined;
    this.#touch(stored.apiKeyId);
    return {
      apiKeyId: stored.apiKeyId,
      organizationId: stored.organizationId,
      projectId: stored.projectId,
      scopes: stored.scopes,
    };
  }

  /** Forgets a cached key (a revocation announced by another replica). */
  forget(prefix: string): void {
    this.#cache.delete(prefix);
  }

  /** After revoking a key: forgets it here and tells the other replicas to. */
  revoked(prefix: string): void {
    this.forget(prefix);
    this.#announce?.(prefix);
  }

  async #lookup(prefix: string): Promise<StoredKey | undefined> {
    const cached = this.#cache.get(prefix);
    if (cached !== undefined && Date.now() - cached.fetchedAt < CACHE_MILLISECONDS)
      return cached.key;
    // System path: the key is what tells us the organisation, so this lookup cannot be org-scoped.
    const result = await this.#db.query<{
      id: string;
      org_id: string;
      project_id: string;
      scopes: ApiKeyScope[];
      secret_hash: string;
      revoked_at: Date | null;
    }>(
      'SELECT id, org_id, project_id, scopes, secret_hash, revoked_at FROM api_keys WHERE prefix = $1',
      [prefix],
    );
    const row = result.rows[0];
    const key =
      row === undefined
        ? undefined
        : {
            apiKeyId: row.id,
            organizationId: row.org_id,
            projectId: row.project_id,
            scopes: row.scopes,
            secretHash: row.secret_hash,
            revoked: row.revoked_at !== null,
          };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(prefix, { key, fetchedAt: Date.now() });
    return key;
  }

  #touch(apiKeyId: string): void {
    const now = Date.now();
    const last = this.#lastUsedWrites.get(apiKeyId) ?? 0;
    if (now - last < LAST_USED_WRITE_MILLISECONDS) return;
    this.#lastUsedWrites.set(apiKeyId, now);
    this.#db
      .query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [apiKeyId])
      .catch(() => this.#lastUsedWrites.delete(apiKeyId));
  }
}
