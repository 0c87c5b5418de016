import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { auditEntryToCef, auditEntryToJsonLine } from '../crypto/audit-chain.js';
import type { Queryable } from '../db/database.js';
import { withOrganization } from '../db/tenancy.js';
import { ServerError } from '../errors.js';
import type { FeatureServices } from '../features.js';
import type { RouteModule } from '../http/router.js';
import type { AppEnv } from '../http/types.js';
import {
  type AuditEntry,
  iterateAuditEntries,
  listAuditEntries,
  recordAudit,
} from '../services/audit.js';
import {
  actorOf,
  clientAddress,
  ERROR_RESPONSES,
  OrganizationParams,
  requireOrganization,
} from './shared.js';

/** The feature services, or 503 when the server was started without them. */
export function requireFeatures(c: Context<AppEnv>): FeatureServices {
  const features = c.get('services').features;
  if (features === undefined) {
    throw new ServerError(
      'WARDEN_NOT_READY',
      503,
      'Policies, alerts and integrations are not configured on this server.',
    );
  }
  return features;
}

/**
 * Records audit entries for the request's caller (user or API key), address and user agent.
 * @example await auditContext(c).record(tx, 'webhook.create', { type: 'webhook', id }, { name })
 */
export function auditContext(c: Context<AppEnv>): {
  record(
    tx: Queryable,
    action: string,
    target: { type: string; id: string } | null,
    details?: Record<string, unknown>,
  ): Promise<AuditEntry>;
} {
  return {
    record: (tx, action, target, details = {}) =>
      recordAudit(tx, {
        organizationId: requireOrganization(c).id,
        actor: actorOf(c),
        action,
        target,
        details,
        ip: clientAddress(c),
        userAgent: c.req.header('user-agent') ?? null,
      }),
  };
}

const Entry = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  sequence: z.number(),
  occurredAt: z.string(),
  actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  previousHash: z.string(),
  hash: z.string(),
});
const Action = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'expected noun.verb, e.g. api_key.create');
const Range = {
  from: z.iso
    .datetime({ offset: true, message: 'expected an ISO 8601 date-time' })
    .transform((value) => new Date(value))
    .optional(),
  to: z.iso
    .datetime({ offset: true, message: 'expected an ISO 8601 date-time' })
    .transform((value) => new Date(value))
    .optional(),
  action: Action.optional(),
};

/** The audit log: listing with a cursor, and export as JSON lines or CEF for SIEMs. */
export const auditRoutes: RouteModule = {
  name: 'audit',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/audit',
        summary:
          'Audit entries in chain order; pass the last sequence as `after` for the next page',
        tag: 'audit',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        query: z.strictObject({
          after: z
            .string()
            .regex(/^[0-9]{1,15}$/, 'expected a sequence number')
            .transform(Number)
            .optional(),
          limit: z
            .string()
            .regex(/^[0-9]{1,4}$/, 'expected 1 to 1000')
            .transform(Number)
            .pipe(z.number().min(1).max(1000))
            .optional(),
          ...Range,
        }),
        responses: {
          200: {
            description: 'Entries and the cursor of the next page',
            schema: z.object({ entries: z.array(Entry), next: z.number().nullable() }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const organization = requireOrganization(c);
        const limit = query.limit ?? 100;
        const entries = await withOrganization(c.get('services').db, organization.id, (tx) =>
          listAuditEntries(tx, organization.id, {
            limit,
            ...(query.after === undefined ? {} : { afterSequence: query.after }),
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.to === undefined ? {} : { to: query.to }),
            ...(query.action === undefined ? {} : { action: query.action }),
          }),
        );
        return c.json({
          entries,
          next: entries.length === limit ? entries[entries.length - 1]!.sequence : null,
        });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/audit/export',
        summary:
          'Export the audit log as JSON lines (verifiable with `warden audit verify`) or CEF',
        tag: 'audit',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        query: z.strictObject({ format: z.enum(['jsonl', 'cef']).default('jsonl'), ...Range }),
        contentType: 'application/x-ndjson',
        responses: {
          200: { description: 'One entry per line, in chain order' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const organization = requireOrganization(c);
        const { db } = c.get('services');
        // The export is itself recorded, before it is streamed.
        await withOrganization(db, organization.id, (tx) =>
          auditContext(c).record(tx, 'audit.export', null, {
            format: query.format,
            from: query.from?.toISOString() ?? null,
            to: query.to?.toISOString() ?? null,
          }),
        );
        const date = new Date().toISOString().slice(0, 10);
        c.header(
          'Content-Type',
          query.format === 'jsonl' ? 'application/x-ndjson' : 'text/plain; charset=utf-8',
        );
        c.header(
          'Content-Disposition',
          `attachment; filename="warden-audit-${date}.${query.format === 'jsonl' ? 'jsonl' : 'cef'}"`,
        );
        const toLine =
          query.format === 'jsonl'
            ? auditEntryToJsonLine
            : (entry: AuditEntry) => auditEntryToCef(entry);
        return stream(c, async (output) => {
          // One transaction for a consistent snapshot of the chain, paged to bound memory.
          await withOrganization(db, organization.id, async (tx) => {
            let buffer = '';
            for await (const entry of iterateAuditEntries(tx, organization.id, {
              ...(query.from === undefined ? {} : { from: query.from }),
              ...(query.to === undefined ? {} : { to: query.to }),
              ...(query.action === undefined ? {} : { action: query.action }),
            })) {
              buffer += toLine(entry);
              if (buffer.length > 64 * 1024) {
                await output.write(buffer);
                buffer = '';
              }
            }
            if (buffer !== '') await output.write(buffer);
          });
        });
      },
    );
  },
};
