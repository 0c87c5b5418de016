import { z } from 'zod';
import { errorBody, errors, ServerError } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import { constantTimeEqual } from '../services/tokens.js';

/** Liveness, readiness and Prometheus metrics. */
export const healthRoutes: RouteModule = {
  name: 'health',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/healthz',
        summary: 'Liveness: the process answers',
        tag: 'operations',
        auth: { kind: 'public' },
        responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      },
      (c) => c.json({ status: 'ok' as const }),
    );
    router.add(
      {
        method: 'get',
        path: '/readyz',
        summary: 'Readiness: the database answers and the server is not draining',
        tag: 'operations',
        auth: { kind: 'public' },
        responses: {
          200: { description: 'Ready', schema: z.object({ status: z.literal('ready') }) },
          503: { description: 'Not ready (draining, or the database does not answer)' },
        },
      },
      async (c) => {
        const { db, lifecycle } = c.get('services');
        const notReady = (reason: string) =>
          c.json(errorBody(new ServerError('WARDEN_NOT_READY', 503, reason)), 503);
        if (lifecycle.draining) return notReady('The server is shutting down.');
        try {
          await db.query('SELECT 1');
        } catch {
          return notReady('The database does not answer.');
        }
        return c.json({ status: 'ready' as const });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/metrics',
        summary: 'Prometheus metrics (Bearer WARDEN_METRICS_TOKEN when set)',
        tag: 'operations',
        auth: { kind: 'public' },
        contentType: 'text/plain',
        responses: {
          200: { description: 'Metrics in the Prometheus text format', schema: z.string() },
        },
      },
      async (c) => {
        const { metrics, config } = c.get('services');
        const token = config.WARDEN_METRICS_TOKEN;
        if (token !== undefined) {
          const presented = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
          if (!constantTimeEqual(presented, token)) {
            throw errors.unauthenticated('Send Authorization: Bearer <WARDEN_METRICS_TOKEN>.');
          }
        }
        const { registry } = metrics;
        const body = await (metrics.render?.() ?? registry.metrics());
        return c.body(body, 200, { 'Content-Type': registry.contentType });
      },
    );
  },
};
