import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { isUuid } from '../db/tenancy.js';
import { errors, type RequestIssue, ServerError } from '../errors.js';
import type { ApiKeyScope } from '../services/api-keys.js';
import { hasRole, type Role } from '../services/roles.js';
import { findMembershipRole, findSession, type SessionUser } from '../services/sessions.js';
import { constantTimeEqual } from '../services/tokens.js';
import type { AppEnv, AppServices } from './types.js';

/** Who may call a route. */
export type RouteAuth =
  | { kind: 'public' }
  /** Any signed-in user (session cookie). */
  | { kind: 'user' }
  /** A member of the `:orgId` path parameter's organisation with at least `role`. */
  | { kind: 'member'; role: Role }
  /** An API key with `scope` (`Authorization: Bearer` or `X-Warden-Key`). */
  | { kind: 'apiKey'; scope: ApiKeyScope };

type AnyObject = z.ZodObject<z.ZodRawShape>;
const EMPTY = z.object({});

/** A route: method, path, who may call it, its request schemas and its documented responses. */
export interface RouteDefinition<
  Params extends AnyObject,
  Query extends AnyObject,
  Body extends z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path, e.g. `/v1/orgs/:orgId/projects`. */
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  params?: Params;
  query?: Query;
  body?: Body;
  /** The body schema to document when it differs from the one validated up front. */
  documentedBody?: z.ZodType;
  /** Status → description and (optionally) schema, for the OpenAPI document. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Content type of a non-JSON response (e.g. `text/plain`), for the OpenAPI document. */
  contentType?: string;
}

/** The validated request a handler receives. */
export interface RouteInput<
  Params extends AnyObject,
  Query extends AnyObject,
  Body extends z.ZodType,
> {
  params: z.output<Params>;
  query: z.output<Query>;
  body: z.output<Body>;
}

export type RouteHandler<
  Params extends AnyObject,
  Query extends AnyObject,
  Body extends z.ZodType,
> = (c: Context<AppEnv>, input: RouteInput<Params, Query, Body>) => Promise<Response> | Response;

/** Registers routes on the app and remembers them for `/openapi.json`. */
export interface Router {
  add<
    Params extends AnyObject = typeof EMPTY,
    Query extends AnyObject = typeof EMPTY,
    Body extends z.ZodType = z.ZodUndefined,
  >(
    definition: RouteDefinition<Params, Query, Body>,
    handler: RouteHandler<Params, Query, Body>,
  ): void;
  readonly definitions: readonly RouteDefinition<AnyObject, AnyObject, z.ZodType>[];
}

/** A module of routes; src/routes/index.ts lists them all. */
export interface RouteModule {
  name: string;
  /** Adds the module's routes; runs once at start-up, so it may parse its own settings here. */
  register(router: Router, services: AppServices): void;
}

/** Converts zod issues to request issues under `prefix` (`body`, `query`, `params`). */
export function toIssues(prefix: string, error: z.ZodError): RequestIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parse<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toIssues(prefix, result.error);
    throw errors.invalid(
      `Invalid ${prefix}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  return result.data;
}

/** The session cookie's name: `__Host-` pins it to this host over HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-warden_session' : 'warden_session';
}

async function resolveUser(c: Context<AppEnv>): Promise<SessionUser> {
  const { config, db } = c.get('services');
  const token = getCookie(c, sessionCookieName(config.WARDEN_COOKIE_SECURE));
  if (token === undefined || token.length > 200) throw errors.unauthenticated();
  const user = await findSession(db, token);
  if (user === undefined)
    throw errors.unauthenticated('The session expired or was ended; sign in again.');
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    // Double-submit: the token came in the sign-in response body, a cross-site form cannot send it.
    const presented = c.req.header('x-csrf-token') ?? '';
    if (!constantTimeEqual(presented, user.csrfToken)) {
      throw new ServerError(
        'WARDEN_CSRF_FAILED',
        403,
        'Missing or wrong X-CSRF-Token header: send the csrfToken from POST /v1/auth/login or GET /v1/auth/session.',
      );
    }
  }
  return user;
}

/** The API key a request presents, from `Authorization: Bearer` or `X-Warden-Key`. */
export function presentedApiKey(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('x-warden-key');
  if (header !== undefined) return header.trim();
  const authorization = c.req.header('authorization');
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  return undefined;
}

async function authenticate(c: Context<AppEnv>, auth: RouteAuth): Promise<void> {
  if (auth.kind === 'public') return;
  if (auth.kind === 'apiKey') {
    const presented = presentedApiKey(c);
    if (presented === undefined) {
      throw errors.unauthenticated(
        'Send an API key as Authorization: Bearer <key> or X-Warden-Key.',
      );
    }
    const principal = await c.get('services').apiKeys.authenticate(presented);
    if (principal === undefined) throw errors.unauthenticated('The API key is unknown or revoked.');
    if (!principal.scopes.includes(auth.scope)) {
      throw errors.forbidden(`This API key lacks the "${auth.scope}" scope.`);
    }
    c.set('apiKey', principal);
    c.set('organization', { id: principal.organizationId, role: 'member' });
    return;
  }
  const user = await resolveUser(c);
  c.set('user', user);
  if (auth.kind === 'user') return;
  const organizationId = c.req.param('orgId');
  if (organizationId === undefined)
    throw new Error(`Route ${c.req.path} needs an :orgId parameter`);
  const role = isUuid(organizationId)
    ? await findMembershipRole(c.get('services').db, user.userId, organizationId)
    : undefined;
  // Not a member and no such organisation answer alike: ids of other tenants stay unconfirmed.
  if (role === undefined) throw errors.notFound('Organisation');
  if (!hasRole(role, auth.role)) {
    throw errors.forbidden(`This needs the ${auth.role} role or higher; you are ${role}.`);
  }
  c.set('organization', { id: organizationId, role });
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ServerError(
      'WARDEN_UNSUPPORTED_MEDIA_TYPE',
      415,
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ServerError('WARDEN_REQUEST_INVALID', 400, 'The body is not valid JSON.', {
      issues: [{ path: 'body', message: (cause as Error).message }],
      cause,
    });
  }
}

/**
 * Creates the router for `app`: each route authenticates (as its definition says), then
 * validates params, query and body before the handler runs, so a malformed request changes nothing.
 * @example createRouter(app).add({ method: 'get', path: '/v1/ping', summary: 'Ping', tag: 'meta', auth: { kind: 'public' }, responses: { 200: { description: 'pong' } } }, (c) => c.json({ ok: true }))
 */
export function createRouter(app: Hono<AppEnv>): Router {
  const definitions: RouteDefinition<AnyObject, AnyObject, z.ZodType>[] = [];
  return {
    definitions,
    add(definition, handler) {
      definitions.push(definition as unknown as RouteDefinition<AnyObject, AnyObject, z.ZodType>);
      app.on(definition.method.toUpperCase(), definition.path, async (c) => {
        c.set('routePattern', definition.path);
        await authenticate(c, definition.auth);
        const params = parse(definition.params ?? EMPTY, c.req.param(), 'params');
        const query = parse(definition.query ?? EMPTY, c.req.query(), 'query');
        const body =
          definition.body === undefined
            ? undefined
            : parse(definition.body, await readJson(c), 'body');
        return handler(c, { params, query, body } as never);
      });
    },
  };
}
