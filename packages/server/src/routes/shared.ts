import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { z } from 'zod';
import type { Queryable } from '../db/database.js';
import type { AppEnv, OrganizationContext } from '../http/types.js';
import type { ApiKeyPrincipal } from '../services/api-keys.js';
import { type AuditInput, recordAudit } from '../services/audit.js';
import type { SessionUser } from '../services/sessions.js';

/** A UUID path or body field. */
export const Uuid = z.uuid({ message: 'expected a UUID' });

/** Path parameters of organisation routes. */
export const OrganizationParams = z.strictObject({ orgId: Uuid });

/** The error body every 4xx/5xx carries, for the OpenAPI document. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** Standard error responses for the OpenAPI document. */
export const ERROR_RESPONSES = {
  400: { description: 'Malformed request (the issues name each field)', schema: ErrorResponse },
  401: { description: 'Not signed in, or no valid API key', schema: ErrorResponse },
  403: {
    description: 'Signed in but not allowed (role, scope or CSRF token)',
    schema: ErrorResponse,
  },
  404: { description: 'Not found in this organisation', schema: ErrorResponse },
} as const;

/** The organisation the route acts in (routes with `member` or `apiKey` auth). */
export function requireOrganization(c: Context<AppEnv>): OrganizationContext {
  const organization = c.get('organization');
  if (organization === undefined) throw new Error('route has no organisation context');
  return organization;
}

/** The signed-in user (routes with `user` or `member` auth). */
export function requireUser(c: Context<AppEnv>): SessionUser {
  const user = c.get('user');
  if (user === undefined) throw new Error('route has no signed-in user');
  return user;
}

/** The API key (routes with `apiKey` auth). */
export function requireApiKey(c: Context<AppEnv>): ApiKeyPrincipal {
  const apiKey = c.get('apiKey');
  if (apiKey === undefined) throw new Error('route has no API key');
  return apiKey;
}

/** The caller's address: the socket's, or X-Forwarded-For's first hop when WARDEN_TRUST_PROXY. */
export function clientAddress(c: Context<AppEnv>): string | null {
  if (c.get('services').config.WARDEN_TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // in-process requests (app.request) have no socket
  }
}

/** Who did something, for the audit log. */
export function actorOf(c: Context<AppEnv>): { userId: string } | { apiKeyId: string } {
  const user = c.get('user');
  if (user !== undefined) return { userId: user.userId };
  return { apiKeyId: requireApiKey(c).apiKeyId };
}

/**
 * Records an audit entry for the request's actor, address and user agent, inside the caller's
 * organisation transaction (the entry commits or rolls back with the change).
 * @example await audit(c, tx, { organizationId, action: 'project.create', target: { type: 'project', id } })
 */
export async function audit(
  c: Context<AppEnv>,
  transaction: Queryable,
  entry: Omit<AuditInput, 'actor' | 'ip' | 'userAgent'> & { actor?: AuditInput['actor'] },
): Promise<void> {
  await recordAudit(transaction, {
    actor: entry.actor ?? actorOf(c),
    ip: clientAddress(c),
    userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
    ...entry,
  });
}
