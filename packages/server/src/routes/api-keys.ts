import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import {
  API_KEY_COLUMNS,
  API_KEY_SCOPES,
  type ApiKeyRow,
  createApiKey,
} from '../services/api-keys.js';
import { assertProject } from './projects.js';
import { audit, ERROR_RESPONSES, requireOrganization, requireUser, Uuid } from './shared.js';

const ApiKey = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The public part of the key, to recognise it'),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
const ProjectParams = z.strictObject({ orgId: Uuid, projectId: Uuid });

/** API keys per project: created (shown once), listed, revoked. */
export const apiKeyRoutes: RouteModule = {
  name: 'api-keys',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/projects/:projectId/keys',
        summary: "A project's API keys (never the secret)",
        tag: 'api-keys',
        auth: { kind: 'member', role: 'admin' },
        params: ProjectParams,
        responses: {
          200: { description: 'Keys', schema: z.object({ keys: z.array(ApiKey) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const keys = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) => {
            await assertProject(tx, params.projectId);
            return (
              await tx.query<ApiKeyRow>(
                `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY created_at, id`,
                [params.projectId],
              )
            ).rows;
          },
        );
        return c.json({ keys });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/projects/:projectId/keys',
        summary: 'Create an API key; the response is the only time the key is shown',
        tag: 'api-keys',
        auth: { kind: 'member', role: 'admin' },
        params: ProjectParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          scopes: z
            .array(z.enum(API_KEY_SCOPES))
            .min(1)
            .refine((scopes) => new Set(scopes).size === scopes.length, {
              message: 'repeated scope',
            }),
        }),
        responses: {
          201: {
            description: 'Created',
            schema: ApiKey.extend({
              key: z.string().describe('Store it now: it is never shown again'),
            }),
          },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const created = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            await assertProject(tx, params.projectId);
            const result = await createApiKey(tx, {
              organizationId: organization.id,
              projectId: params.projectId,
              name: body.name,
              scopes: body.scopes,
              createdBy: requireUser(c).userId,
            });
            await audit(c, tx, {
              organizationId: organization.id,
              action: 'api_key.create',
              target: { type: 'api_key', id: result.row.id },
              details: {
                name: body.name,
                scopes: body.scopes,
                projectId: params.projectId,
                prefix: result.row.prefix,
              },
            });
            return result;
          },
        );
        return c.json({ ...created.row, key: created.key }, 201);
      },
    );
    router.add(
      {
        method: 'delete',
        path: '/v1/orgs/:orgId/projects/:projectId/keys/:keyId',
        summary:
          'Revoke an API key (at once; on other replicas at once with Redis, within 5 s without)',
        tag: 'api-keys',
        auth: { kind: 'member', role: 'admin' },
        params: z.strictObject({ orgId: Uuid, projectId: Uuid, keyId: Uuid }),
        responses: { 200: { description: 'Revoked', schema: ApiKey }, ...ERROR_RESPONSES },
      },
      async (c, { params }) => {
        const { db, apiKeys } = c.get('services');
        const organization = requireOrganization(c);
        const key = await withOrganization(db, organization.id, async (tx) => {
          const revoked = (
            await tx.query<ApiKeyRow>(
              `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                WHERE id = $1 AND project_id = $2 RETURNING ${API_KEY_COLUMNS}`,
              [params.keyId, params.projectId],
            )
          ).rows[0];
          if (revoked !== undefined) {
            await audit(c, tx, {
              organizationId: organization.id,
              action: 'api_key.revoke',
              target: { type: 'api_key', id: params.keyId },
              details: { name: revoked.name, prefix: revoked.prefix },
            });
          }
          return revoked;
        });
        if (key === undefined) throw errors.notFound('API key');
        apiKeys.revoked(key.prefix);
        return c.json(key);
      },
    );
  },
};
