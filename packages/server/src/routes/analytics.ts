import { CATEGORIES } from '@warden/scanner';
import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import {
  decodeCursor,
  eventCountsOverTime,
  latencyPercentiles,
  listEvents,
  topKeys,
} from '../services/analytics.js';
import { ERROR_RESPONSES, OrganizationParams, requireOrganization, Uuid } from './shared.js';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 400;

const TimeRange = {
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Inclusive start (default: `to` minus 24 h)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive end (default: now)'),
  projectId: Uuid.optional(),
};

function range(query: { from?: string | undefined; to?: string | undefined }, defaultDays: number) {
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from =
    query.from === undefined ? new Date(to.getTime() - defaultDays * DAY) : new Date(query.from);
  if (from >= to)
    throw errors.invalid('from must be before to.', [
      { path: 'query.from', message: 'not before to' },
    ]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw errors.invalid(`The range is longer than ${MAX_RANGE_DAYS} days.`, [
      { path: 'query.from', message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

const Event = z.object({
  id: z.uuid(),
  timestamp: z.date(),
  receivedAt: z.date(),
  projectId: z.uuid(),
  agentId: z.string(),
  surface: z.string(),
  decision: z.string(),
  policyDecision: z.string(),
  risk: z.number(),
  categories: z.array(z.string()),
  ruleIds: z.array(z.string()),
  matchedRule: z.string().nullable(),
  layers: z.array(z.string()),
  latencyMs: z.number(),
  policyName: z.string(),
  policyRevision: z.string().nullable(),
  toolName: z.string().nullable(),
  argumentHashes: z.record(z.string(), z.string()).nullable(),
  sdkVersion: z.string(),
  failedLayers: z
    .array(z.string())
    .describe(
      'Layers that failed on the scan (empty when every layer ran); with a policyDecision other than block the scan failed open',
    ),
});

/** The query API: events, stats over time, top categories and rules, latency percentiles. */
export const analyticsRoutes: RouteModule = {
  name: 'analytics',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/events',
        summary: 'Events, newest first, with filters and cursor pagination',
        tag: 'analytics',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject({
          ...TimeRange,
          agentId: z.string().max(128).optional(),
          decision: z.enum(['allow', 'alert', 'redact', 'block']).optional(),
          category: z.enum(CATEGORIES).optional(),
          ruleId: z
            .string()
            .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/)
            .max(128)
            .optional(),
          failedOpen: z
            .enum(['true', 'false'])
            .optional()
            .describe(
              'true: only scans that failed open (a layer failed and the policy did not block); false: only the others',
            ),
          cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        responses: {
          200: {
            description: 'A page of events',
            schema: z.object({ events: z.array(Event), nextCursor: z.string().nullable() }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const { from, to } = range(query, 1);
        const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        if (query.cursor !== undefined && cursor === undefined) {
          throw errors.invalid('The cursor is not one this API returned.', [
            { path: 'query.cursor', message: 'unknown cursor' },
          ]);
        }
        const page = await withOrganization(c.get('services').db, requireOrganization(c).id, (tx) =>
          listEvents(
            tx,
            {
              from,
              to,
              projectId: query.projectId,
              agentId: query.agentId,
              decision: query.decision,
              category: query.category,
              ruleId: query.ruleId,
              failedOpen: query.failedOpen === undefined ? undefined : query.failedOpen === 'true',
            },
            cursor,
            query.limit,
          ),
        );
        return c.json(page);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/stats',
        summary: 'Event counts per time bucket and decision (from hourly rollups)',
        tag: 'analytics',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject({ ...TimeRange, interval: z.enum(['hour', 'day']).default('hour') }),
        responses: {
          200: {
            description: 'Buckets, oldest first (empty buckets left out)',
            schema: z.object({
              interval: z.enum(['hour', 'day']),
              buckets: z.array(
                z.object({
                  bucket: z.string(),
                  total: z.number(),
                  byDecision: z.record(z.string(), z.number()),
                }),
              ),
            }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const { from, to } = range(query, query.interval === 'day' ? 30 : 1);
        const buckets = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          (tx) => eventCountsOverTime(tx, { from, to, projectId: query.projectId }, query.interval),
        );
        return c.json({ interval: query.interval, buckets });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/stats/top',
        summary: 'Most frequent categories, rules or surfaces, with their blocked counts',
        tag: 'analytics',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject({
          ...TimeRange,
          dimension: z.enum(['category', 'rule', 'surface']),
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        responses: {
          200: {
            description: 'Top keys, most events first',
            schema: z.object({
              dimension: z.string(),
              top: z.array(z.object({ key: z.string(), events: z.number(), blocked: z.number() })),
            }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const { from, to } = range(query, 1);
        const top = await withOrganization(c.get('services').db, requireOrganization(c).id, (tx) =>
          topKeys(tx, { from, to, projectId: query.projectId }, query.dimension, query.limit),
        );
        return c.json({ dimension: query.dimension, top });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/stats/latency',
        summary: 'Scan latency percentiles per deepest layer run (histogram upper bounds, ms)',
        tag: 'analytics',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject(TimeRange),
        responses: {
          200: {
            description: 'Percentiles per layer',
            schema: z.object({
              layers: z.array(
                z.object({
                  layer: z.string(),
                  events: z.number(),
                  p50: z.number(),
                  p90: z.number(),
                  p99: z.number(),
                }),
              ),
            }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const { from, to } = range(query, 1);
        const layers = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          (tx) => latencyPercentiles(tx, { from, to, projectId: query.projectId }),
        );
        return c.json({ layers });
      },
    );
  },
};
