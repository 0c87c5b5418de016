import type { Database } from '../db/database.js';
import type { Role } from './roles.js';
import { randomToken, sha256Hex } from './tokens.js';

/** A signed-in user, as the session cookie resolved. */
export interface SessionUser {
  sessionHash: string;
  userId: string;
  email: string;
  csrfToken: string;
}

/** Creates a session; the token goes in the cookie and only its SHA-256 is stored. */
export async function createSession(
  db: Database,
  input: { userId: string; ttlHours: number; ip: string | null; userAgent: string | null },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      sha256Hex(token),
      input.userId,
      csrfToken,
      expiresAt,
      input.ip,
      input.userAgent?.slice(0, 512) ?? null,
    ],
  );
  return { token, csrfToken, expiresAt };
}

/** The live session behind `token`, or undefined (unknown or expired). */
export async function findSession(db: Database, token: string): Promise<SessionUser | undefined> {
  const result = await db.query<{
    token_hash: string;
    user_id: string;
    email: string;
    csrf_token: string;
  }>(
    `SELECT s.token_hash, s.user_id, u.email, s.csrf_token
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [sha256Hex(token)],
  );
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    sessionHash: row.token_hash,
    userId: row.user_id,
    email: row.email,
    csrfToken: row.csrf_token,
  };
}

/** Ends a session. */
export async function deleteSession(db: Database, sessionHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [sessionHash]);
}

/**
 * The user's role in an organisation, or undefined when they are not a member. User-scoped
 * (the system path): it is how a request earns its organisation context.
 */
export async function findMembershipRole(
  db: Database,
  userId: string,
  organizationId: string,
): Promise<Role | undefined> {
  const result = await db.query<{ role: Role }>(
    'SELECT role FROM memberships WHERE user_id = $1 AND org_id = $2',
    [userId, organizationId],
  );
  return result.rows[0]?.role;
}
