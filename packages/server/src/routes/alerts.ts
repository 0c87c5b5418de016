import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import type { RouteModule } from '../http/router.js';
import {
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  listAlerts,
  setAlertStatus,
  updateAlertRule,
} from '../services/alerts.js';
import { AlertConditionSchema } from '../services/alerts-evaluate.js';
import { auditContext } from './audit.js';
import {
  ERROR_RESPONSES,
  OrganizationParams,
  requireOrganization,
  requireUser,
  Uuid,
} from './shared.js';

const Rule = z.object({
  id: z.uuid(),
  name: z.string(),
  condition: AlertConditionSchema,
  cooldownMinutes: z.number(),
  webhookIds: z.array(z.uuid()),
  enabled: z.boolean(),
  lastTriggeredAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const Alert = z.object({
  id: z.uuid(),
  ruleId: z.uuid(),
  triggeredAt: z.date(),
  summary: z.string(),
  eventCount: z.number(),
  eventIds: z.array(z.uuid()),
  categories: z.array(z.string()),
  agentIds: z.array(z.string()),
  status: z.enum(['open', 'acknowledged', 'resolved']),
});
const RuleName = z.string().trim().min(1).max(100);
const Cooldown = z.number().int().min(0).max(10_080);
const WebhookIds = z
  .array(Uuid)
  .max(10)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'repeated webhook id' });
const RuleParams = z.strictObject({ orgId: Uuid, ruleId: Uuid });
const AlertParams = z.strictObject({ orgId: Uuid, alertId: Uuid });

/** Alert rules (N blocked events of a category in a window, critical findings, fail-open) and fired alerts. */
export const alertRoutes: RouteModule = {
  name: 'alerts',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/alert-rules',
        summary: "The organisation's alert rules",
        tag: 'alerts',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        responses: {
          200: { description: 'Rules', schema: z.object({ rules: z.array(Rule) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c) => {
        const rules = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          listAlertRules,
        );
        return c.json({ rules });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/alert-rules',
        summary:
          'Create an alert rule, evaluated as events arrive; one notification per burst (cooldown)',
        tag: 'alerts',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        body: z.strictObject({
          name: RuleName,
          condition: AlertConditionSchema,
          cooldownMinutes: Cooldown.default(15),
          webhookIds: WebhookIds.default([]),
          enabled: z.boolean().default(true),
        }),
        responses: { 201: { description: 'Created', schema: Rule }, ...ERROR_RESPONSES },
      },
      async (c, { body }) => {
        const organization = requireOrganization(c);
        const rule = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const created = await createAlertRule(tx, {
            ...body,
            organizationId: organization.id,
            createdBy: requireUser(c).userId,
          });
          await auditContext(c).record(
            tx,
            'alert_rule.create',
            { type: 'alert_rule', id: created.id },
            {
              name: created.name,
              condition: created.condition,
              webhookIds: created.webhookIds,
            },
          );
          return created;
        });
        c.get('services').features?.alerts.invalidate(organization.id);
        return c.json(rule, 201);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/alert-rules/:ruleId',
        summary: 'One alert rule',
        tag: 'alerts',
        auth: { kind: 'member', role: 'viewer' },
        params: RuleParams,
        responses: { 200: { description: 'The rule', schema: Rule }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const rule = await withOrganization(c.get('services').db, requireOrganization(c).id, (tx) =>
          getAlertRule(tx, params.ruleId),
        );
        return c.json(rule);
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId/alert-rules/:ruleId',
        summary: 'Change an alert rule',
        tag: 'alerts',
        auth: { kind: 'member', role: 'admin' },
        params: RuleParams,
        body: z
          .strictObject({
            name: RuleName.optional(),
            condition: AlertConditionSchema.optional(),
            cooldownMinutes: Cooldown.optional(),
            webhookIds: WebhookIds.optional(),
            enabled: z.boolean().optional(),
          })
          .refine((value) => Object.keys(value).length > 0, {
            message: 'send at least one field to change',
          }),
        responses: { 200: { description: 'Updated', schema: Rule }, ...ERROR_RESPONSES },
      },
      async (c, { params, body }) => {
        const rule = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) => {
            const changes = Object.fromEntries(
              Object.entries(body).filter(([, value]) => value !== undefined),
            );
            const updated = await updateAlertRule(tx, params.ruleId, changes);
            await auditContext(c).record(
              tx,
              'alert_rule.update',
              { type: 'alert_rule', id: params.ruleId },
              { changes },
            );
            return updated;
          },
        );
        c.get('services').features?.alerts.invalidate(requireOrganization(c).id);
        return c.json(rule);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/alert-rules/:ruleId',
        summary: 'Delete an alert rule and its alerts',
        tag: 'alerts',
        auth: { kind: 'member', role: 'admin' },
        params: RuleParams,
        responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        await withOrganization(c.get('services').db, requireOrganization(c).id, async (tx) => {
          const rule = await deleteAlertRule(tx, params.ruleId);
          await auditContext(c).record(
            tx,
            'alert_rule.delete',
            { type: 'alert_rule', id: params.ruleId },
            { name: rule.name },
          );
        });
        c.get('services').features?.alerts.invalidate(requireOrganization(c).id);
        return c.body(null, 204);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/alerts',
        summary: 'Fired alerts, newest first',
        tag: 'alerts',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        query: z.strictObject({
          status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
          before: z.iso
            .datetime({ offset: true })
            .transform((value) => new Date(value))
            .optional(),
          limit: z
            .string()
            .regex(/^[0-9]{1,3}$/, 'expected 1 to 500')
            .transform(Number)
            .pipe(z.number().min(1).max(500))
            .optional(),
        }),
        responses: {
          200: { description: 'Alerts', schema: z.object({ alerts: z.array(Alert) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { query }) => {
        const alerts = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          (tx) =>
            listAlerts(tx, {
              status: query.status,
              before: query.before,
              limit: query.limit ?? 100,
            }),
        );
        return c.json({ alerts });
      },
    );
    router.add(
      {
        method: 'patch',
        path: '/v1/orgs/:orgId/alerts/:alertId',
        summary: 'Acknowledge or resolve an alert',
        tag: 'alerts',
        auth: { kind: 'member', role: 'member' },
        params: AlertParams,
        body: z.strictObject({ status: z.enum(['open', 'acknowledged', 'resolved']) }),
        responses: { 200: { description: 'Updated', schema: Alert }, ...ERROR_RESPONSES },
      },
      async (c, { params, body }) => {
        const alert = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) => {
            const updated = await setAlertStatus(tx, params.alertId, body.status);
            await auditContext(c).record(
              tx,
              'alert.status_change',
              { type: 'alert', id: params.alertId },
              { status: body.status },
            );
            return updated;
          },
        );
        return c.json(alert);
      },
    );
  },
};
