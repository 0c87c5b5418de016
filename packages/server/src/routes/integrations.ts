import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import type { RouteModule } from '../http/router.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  rotateWebhookSecret,
} from '../services/integrations.js';
import { auditContext, requireFeatures } from './audit.js';
import { ERROR_RESPONSES, OrganizationParams, requireOrganization, Uuid } from './shared.js';

const Webhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string().describe('Scheme and host only: the full URL is stored encrypted'),
  format: z.enum(['warden', 'slack']),
  enabled: z.boolean(),
  createdAt: z.date(),
});
const Delivery = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  alertId: z.uuid().nullable(),
  attempt: z.number(),
  startedAt: z.date(),
  durationMs: z.number(),
  status: z.number().nullable(),
  ok: z.boolean(),
  error: z.string().nullable(),
  nextDelayMs: z.number().nullable(),
});
const WebhookParams = z.strictObject({ orgId: Uuid, webhookId: Uuid });
const Secret = z.string().min(16, 'expected at least 16 characters').max(256);

/** Webhooks (alert notifications), their encrypted secrets and their delivery log. */
export const integrationRoutes: RouteModule = {
  name: 'integrations',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/webhooks',
        summary: "The organisation's webhooks (URLs shown as scheme and host)",
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        responses: {
          200: { description: 'Webhooks', schema: z.object({ webhooks: z.array(Webhook) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c) => {
        const webhooks = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          listWebhooks,
        );
        return c.json({ webhooks });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/webhooks',
        summary:
          'Add a webhook; its URL and signing secret are stored encrypted, the secret shown this once',
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          url: z.string().max(2048),
          format: z.enum(['warden', 'slack']).default('warden'),
          secret: Secret.optional(),
        }),
        responses: {
          201: {
            description: 'Created',
            schema: Webhook.extend({
              secret: z.string().describe('Verify X-Warden-Signature with it; shown once'),
            }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { body }) => {
        const features = requireFeatures(c);
        const organization = requireOrganization(c);
        const created = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const result = await createWebhook(tx, features.secretBox, {
              organizationId: organization.id,
              name: body.name,
              url: body.url,
              format: body.format,
              secret: body.secret,
              allowInternal: features.config.allowInternalWebhooks,
            });
            await auditContext(c).record(
              tx,
              'webhook.create',
              { type: 'webhook', id: result.webhook.id },
              {
                name: body.name,
                url: result.webhook.url,
                format: body.format,
              },
            );
            return result;
          },
        );
        return c.json({ ...created.webhook, secret: created.secret }, 201);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/webhooks/:webhookId',
        summary: 'Delete a webhook and its secrets (rules stop notifying it)',
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: WebhookParams,
        responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        await withOrganization(c.get('services').db, requireOrganization(c).id, async (tx) => {
          const webhook = await deleteWebhook(tx, params.webhookId);
          await auditContext(c).record(
            tx,
            'webhook.delete',
            { type: 'webhook', id: params.webhookId },
            { name: webhook.name },
          );
        });
        c.get('services').features?.alerts.invalidate(requireOrganization(c).id);
        return c.body(null, 204);
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/webhooks/:webhookId/rotate-secret',
        summary: 'Replace the signing secret; the new one is shown this once',
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: WebhookParams,
        responses: {
          200: { description: 'The new secret', schema: z.object({ secret: z.string() }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const features = requireFeatures(c);
        const organization = requireOrganization(c);
        const secret = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const rotated = await rotateWebhookSecret(tx, features.secretBox, {
            organizationId: organization.id,
            webhookId: params.webhookId,
          });
          await auditContext(c).record(tx, 'webhook.rotate_secret', {
            type: 'webhook',
            id: params.webhookId,
          });
          return rotated;
        });
        return c.json({ secret });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/webhooks/:webhookId/test',
        summary: 'Send a test notification now and return the delivery attempts',
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: WebhookParams,
        responses: {
          200: {
            description: 'Attempts (also in the delivery log)',
            schema: z.object({ attempts: z.array(z.unknown()) }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const features = requireFeatures(c);
        const organization = requireOrganization(c);
        await withOrganization(c.get('services').db, organization.id, (tx) =>
          getWebhook(tx, params.webhookId),
        );
        const attempts = await features.alerts.notify(organization.id, params.webhookId, null);
        return c.json({ attempts });
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/webhooks/:webhookId/deliveries',
        summary: 'The delivery log of a webhook: one row per attempt, newest first',
        tag: 'integrations',
        auth: { kind: 'member', role: 'admin' },
        params: WebhookParams,
        query: z.strictObject({
          limit: z
            .string()
            .regex(/^[0-9]{1,3}$/, 'expected 1 to 500')
            .transform(Number)
            .pipe(z.number().min(1).max(500))
            .optional(),
        }),
        responses: {
          200: { description: 'Attempts', schema: z.object({ deliveries: z.array(Delivery) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params, query }) => {
        const deliveries = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          (tx) => listDeliveries(tx, params.webhookId, query.limit ?? 100),
        );
        return c.json({ deliveries });
      },
    );
  },
};
