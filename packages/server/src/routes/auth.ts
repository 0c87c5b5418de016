import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import { type RouteModule, sessionCookieName } from '../http/router.js';
import type { AppEnv } from '../http/types.js';
import { verifyDecoy, verifyPassword } from '../services/passwords.js';
import { ROLES } from '../services/roles.js';
import { createSession, deleteSession } from '../services/sessions.js';
import { findUserForLogin, listUserOrganizations } from '../services/users.js';
import { audit, clientAddress, ERROR_RESPONSES, requireUser } from './shared.js';

/**
 * Records a sign-in event in the audit log of every organisation the user belongs to (a session
 * is not tied to one organisation); resolves to those organisations.
 */
async function auditSession(c: Context<AppEnv>, userId: string, action: string) {
  const { db } = c.get('services');
  const organizations = await listUserOrganizations(db, userId);
  for (const organization of organizations) {
    await withOrganization(db, organization.id, (tx) =>
      audit(c, tx, { organizationId: organization.id, actor: { userId }, action }),
    );
  }
  return organizations;
}

const SessionResponse = z.object({
  user: z.object({ id: z.uuid(), email: z.string() }),
  csrfToken: z.string().describe('Send as X-CSRF-Token on every state-changing request'),
  organizations: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(ROLES) })),
});

/** Sign-in, sign-out and the current session. */
export const authRoutes: RouteModule = {
  name: 'auth',
  register(router, services) {
    const cookieName = sessionCookieName(services.config.WARDEN_COOKIE_SECURE);
    router.add(
      {
        method: 'post',
        path: '/v1/auth/login',
        summary: 'Sign in with email and password; sets the session cookie',
        tag: 'auth',
        auth: { kind: 'public' },
        body: z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(1024) }),
        responses: {
          200: { description: 'Signed in', schema: SessionResponse },
          400: ERROR_RESPONSES[400],
          401: { description: 'Wrong email or password', schema: ERROR_RESPONSES[401].schema },
          429: { description: 'Too many attempts; see Retry-After' },
        },
      },
      async (c, { body }) => {
        const { db, rateLimits, config } = c.get('services');
        const address = clientAddress(c) ?? 'unknown';
        await rateLimits.consumeLogin(`${address}|${body.email.toLowerCase()}`);
        const user = await findUserForLogin(db, body.email);
        if (user === undefined) {
          await verifyDecoy(body.password);
          throw errors.unauthenticated('Wrong email or password.');
        }
        if (!(await verifyPassword(user.passwordHash, body.password))) {
          await auditSession(c, user.id, 'session.login_failed');
          throw errors.unauthenticated('Wrong email or password.');
        }
        const session = await createSession(db, {
          userId: user.id,
          ttlHours: config.WARDEN_SESSION_TTL_HOURS,
          ip: address,
          userAgent: c.req.header('user-agent') ?? null,
        });
        setCookie(c, cookieName, session.token, {
          httpOnly: true,
          secure: config.WARDEN_COOKIE_SECURE,
          sameSite: 'Strict',
          path: '/',
          expires: session.expiresAt,
        });
        const organizations = await auditSession(c, user.id, 'session.login');
        return c.json({
          user: { id: user.id, email: user.email },
          csrfToken: session.csrfToken,
          organizations: organizations.map(({ id, name, role }) => ({ id, name, role })),
        });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/auth/session',
        summary: 'The signed-in user, their CSRF token and organisations',
        tag: 'auth',
        auth: { kind: 'user' },
        responses: {
          200: { description: 'The session', schema: SessionResponse },
          401: ERROR_RESPONSES[401],
        },
      },
      async (c) => {
        const user = requireUser(c);
        const organizations = await listUserOrganizations(c.get('services').db, user.userId);
        return c.json({
          user: { id: user.userId, email: user.email },
          csrfToken: user.csrfToken,
          organizations: organizations.map(({ id, name, role }) => ({ id, name, role })),
        });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/auth/logout',
        summary: 'End the session',
        tag: 'auth',
        auth: { kind: 'user' },
        responses: {
          204: { description: 'Signed out' },
          401: ERROR_RESPONSES[401],
          403: ERROR_RESPONSES[403],
        },
      },
      async (c) => {
        const user = requireUser(c);
        await deleteSession(c.get('services').db, user.sessionHash);
        await auditSession(c, user.userId, 'session.logout');
        deleteCookie(c, cookieName, { path: '/', secure: services.config.WARDEN_COOKIE_SECURE });
        return c.body(null, 204);
      },
    );
  },
};
