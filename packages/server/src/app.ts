import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { errorBody, isServerError, ServerError } from './errors.js';
import { createOpenApiDocument } from './http/openapi.js';
import { createRouter, type Router } from './http/router.js';
import type { AppEnv, AppServices } from './http/types.js';
import { ROUTE_MODULES } from './routes/index.js';

/** The server's version, reported by /healthz and the OpenAPI document. */
export const SERVER_VERSION = '0.1.0';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The app and its router (whose definitions make /openapi.json). */
export interface WardenApp {
  app: Hono<AppEnv>;
  router: Router;
}

/**
 * Creates the HTTP app over the given services: middleware (request ids, logs, metrics,
 * security headers, body limit, JSON errors) and every route module in src/routes/index.ts.
 * Testable in-process with `app.request()` or served by `startServer`.
 * @example const { app } = createApp(services); const response = await app.request('/healthz')
 */
export function createApp(services: AppServices): WardenApp {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('logger', services.logger.child({ requestId }));
    c.set('routePattern', 'unmatched');
    await next();
    c.header('X-Request-Id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = c.get('routePattern');
    const status = c.res.status;
    services.metrics.httpRequests.inc({ method: c.req.method, route, status: String(status) });
    services.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    const line = {
      method: c.req.method,
      route,
      path: c.req.path,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
    };
    if (status >= 500) c.get('logger').error(line, 'request failed');
    else c.get('logger').info(line, 'request');
  });

  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      referrerPolicy: 'no-referrer',
    }),
  );

  app.use(
    bodyLimit({
      maxSize: services.config.WARDEN_BODY_LIMIT_BYTES,
      onError: () => {
        throw new ServerError(
          'WARDEN_PAYLOAD_TOO_LARGE',
          413,
          `The body is larger than ${services.config.WARDEN_BODY_LIMIT_BYTES} bytes (WARDEN_BODY_LIMIT_BYTES); send smaller batches.`,
          // The rest of the body is not read: the connection cannot carry another request.
          { headers: { Connection: 'close' } },
        );
      },
    }),
  );

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals (malformed cookies, bad parameters): same envelope as ours.
      const refused = new ServerError(
        'WARDEN_REQUEST_INVALID',
        error.status,
        error.message || 'Malformed request.',
      );
      return c.json(errorBody(refused), error.status);
    }
    if (isServerError(error)) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(errorBody(error), error.status as 400);
    }
    c.get('logger')?.error({ err: error }, 'unhandled error');
    const internal = new ServerError(
      'WARDEN_INTERNAL',
      500,
      `Internal error; the server log has the details under request id ${c.get('requestId')}.`,
    );
    return c.json(errorBody(internal), 500);
  });

  app.notFound((c) => {
    const notFound = new ServerError(
      'WARDEN_NOT_FOUND',
      404,
      `No route ${c.req.method} ${c.req.path}; /openapi.json lists them.`,
    );
    return c.json(errorBody(notFound), 404);
  });

  const router = createRouter(app);
  for (const module of ROUTE_MODULES) module.register(router, services);

  const openApi = () => createOpenApiDocument(router.definitions, SERVER_VERSION);
  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', (c) => {
    c.set('routePattern', '/openapi.json');
    document ??= openApi();
    return c.json(document);
  });

  return { app, router };
}
