import { PolicyBundleSchema } from '@warden/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import { ServerError } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import type { AppEnv } from '../http/types.js';
import {
  addPolicyVersion,
  createPolicy,
  currentPolicyBundle,
  getPolicy,
  getPolicyVersion,
  listPolicies,
  listPolicyVersions,
  publishPolicyVersion,
} from '../services/policies.js';
import { auditContext, requireFeatures } from './audit.js';
import {
  ERROR_RESPONSES,
  OrganizationParams,
  requireApiKey,
  requireOrganization,
  requireUser,
  Uuid,
} from './shared.js';

const PolicyName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected letters, digits, . _ : - (at most 128)');
const Document = z.record(z.string(), z.unknown(), {
  message: 'expected a policy document (a JSON object)',
});
const Policy = z.object({
  id: z.uuid(),
  name: z.string(),
  projectId: z.uuid().nullable().describe('null: the organisation default'),
  createdAt: z.date(),
  latestVersion: z.number().nullable(),
  publishedVersion: z.number().nullable(),
  publishedAt: z.date().nullable(),
});
const Version = z.object({
  id: z.uuid(),
  policyId: z.uuid(),
  version: z.number(),
  contentHash: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.date(),
});
const PolicyParams = z.strictObject({ orgId: Uuid, policyId: Uuid });
const VersionParams = z.strictObject({
  orgId: Uuid,
  policyId: Uuid,
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'expected a version number')
    .transform(Number),
});

function signer(c: Context<AppEnv>) {
  return requireFeatures(c).policySigner;
}

/** Policies: immutable versions, signed publications, and the bundle SDKs pull. */
export const policyRoutes: RouteModule = {
  name: 'policies',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/policies',
        summary: "The organisation's policies with their latest and published versions",
        tag: 'policies',
        auth: { kind: 'member', role: 'viewer' },
        params: OrganizationParams,
        responses: {
          200: { description: 'Policies', schema: z.object({ policies: z.array(Policy) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c) => {
        const policies = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          listPolicies,
        );
        return c.json({ policies });
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/policies',
        summary:
          'Create a policy (the organisation default, or one project’s), optionally with its first version',
        tag: 'policies',
        auth: { kind: 'member', role: 'admin' },
        params: OrganizationParams,
        body: z.strictObject({
          name: PolicyName,
          projectId: Uuid.nullable().default(null),
          document: Document.optional(),
        }),
        responses: {
          201: { description: 'Created', schema: Policy },
          409: { description: 'The name, or the default / project slot, is taken' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { body }) => {
        const organization = requireOrganization(c);
        const policy = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const created = await createPolicy(tx, {
            organizationId: organization.id,
            name: body.name,
            projectId: body.projectId,
            createdBy: requireUser(c).userId,
          });
          const details: Record<string, unknown> = { name: body.name, projectId: body.projectId };
          if (body.document !== undefined) {
            const { version } = await addPolicyVersion(tx, {
              organizationId: organization.id,
              policyId: created.id,
              document: body.document,
              createdBy: requireUser(c).userId,
            });
            details.version = version.version;
            details.contentHash = version.contentHash;
          }
          await auditContext(c).record(
            tx,
            'policy.create',
            { type: 'policy', id: created.id },
            details,
          );
          return getPolicy(tx, created.id);
        });
        return c.json(policy, 201);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/policies/:policyId',
        summary: 'One policy with its versions (newest first)',
        tag: 'policies',
        auth: { kind: 'member', role: 'viewer' },
        params: PolicyParams,
        responses: {
          200: { description: 'The policy', schema: Policy.extend({ versions: z.array(Version) }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const result = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          async (tx) => ({
            ...(await getPolicy(tx, params.policyId)),
            versions: await listPolicyVersions(tx, params.policyId),
          }),
        );
        return c.json(result);
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/policies/:policyId/versions',
        summary:
          'Add an immutable version (validated with the scanner’s policy schema); an unchanged document adds nothing',
        tag: 'policies',
        auth: { kind: 'member', role: 'admin' },
        params: PolicyParams,
        body: z.strictObject({ document: Document }),
        responses: {
          201: { description: 'Created', schema: Version.extend({ document: Document }) },
          200: { description: 'Same content as the latest version, which is returned' },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params, body }) => {
        const organization = requireOrganization(c);
        const result = await withOrganization(c.get('services').db, organization.id, async (tx) => {
          const added = await addPolicyVersion(tx, {
            organizationId: organization.id,
            policyId: params.policyId,
            document: body.document,
            createdBy: requireUser(c).userId,
          });
          if (added.created) {
            await auditContext(c).record(
              tx,
              'policy.version_create',
              { type: 'policy', id: params.policyId },
              {
                version: added.version.version,
                contentHash: added.version.contentHash,
              },
            );
          }
          return added;
        });
        return c.json(result.version, result.created ? 201 : 200);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/orgs/:orgId/policies/:policyId/versions/:version',
        summary: 'One version with its document',
        tag: 'policies',
        auth: { kind: 'member', role: 'viewer' },
        params: VersionParams,
        responses: {
          200: { description: 'The version', schema: Version.extend({ document: Document }) },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const version = await withOrganization(
          c.get('services').db,
          requireOrganization(c).id,
          (tx) => getPolicyVersion(tx, params.policyId, params.version),
        );
        return c.json(version);
      },
    );
    router.add(
      {
        method: 'post',
        path: '/v1/orgs/:orgId/policies/:policyId/versions/:version/publish',
        summary:
          'Publish a version: sign its bundle and serve it to SDKs and gateways (publishing an older one rolls back)',
        tag: 'policies',
        auth: { kind: 'member', role: 'admin' },
        params: VersionParams,
        responses: {
          201: { description: 'The signed bundle now served', schema: PolicyBundleSchema },
          ...ERROR_RESPONSES,
        },
      },
      async (c, { params }) => {
        const organization = requireOrganization(c);
        const published = await withOrganization(
          c.get('services').db,
          organization.id,
          async (tx) => {
            const result = await publishPolicyVersion(tx, signer(c), {
              organizationId: organization.id,
              policyId: params.policyId,
              version: params.version,
              publishedBy: requireUser(c).userId,
            });
            await auditContext(c).record(
              tx,
              'policy.publish',
              { type: 'policy', id: params.policyId },
              {
                version: params.version,
                contentHash: result.bundle.contentHash,
                keyId: result.bundle.keyId,
              },
            );
            return result;
          },
        );
        c.header('ETag', published.etag);
        return c.json(published.bundle, 201);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/policy',
        summary:
          "The signed policy bundle for the API key's project (its own policy, else the organisation default); ETag / If-None-Match",
        tag: 'policies',
        auth: { kind: 'apiKey', scope: 'policy:read' },
        responses: {
          200: {
            description: 'The bundle; verify it with verifyPolicyBundle of @warden/protocol',
            schema: PolicyBundleSchema,
          },
          304: { description: 'Unchanged since the ETag sent in If-None-Match' },
          401: ERROR_RESPONSES[401],
          403: ERROR_RESPONSES[403],
          404: { description: 'No policy published yet: keep the built-in default' },
        },
      },
      async (c) => {
        const apiKey = requireApiKey(c);
        const current = await withOrganization(c.get('services').db, apiKey.organizationId, (tx) =>
          currentPolicyBundle(tx, apiKey.projectId),
        );
        c.header('Cache-Control', 'no-cache');
        if (current === undefined) {
          throw new ServerError(
            'WARDEN_NOT_FOUND',
            404,
            'No policy is published for this project or organisation yet; keep the built-in default.',
          );
        }
        c.header('ETag', current.etag);
        const match = c.req.header('if-none-match');
        if (
          match
            ?.split(',')
            .some((tag) => tag.trim().replace(/^W\//, '') === current.etag || tag.trim() === '*')
        ) {
          return c.body(null, 304);
        }
        return c.json(current.bundle);
      },
    );
    router.add(
      {
        method: 'get',
        path: '/v1/policy/keys',
        summary: 'The public keys that sign policy bundles (raw Ed25519, base64url, and SPKI PEM)',
        tag: 'policies',
        auth: { kind: 'public' },
        responses: {
          200: {
            description: 'Keys by id',
            schema: z.object({
              keys: z.array(
                z.object({
                  keyId: z.string(),
                  algorithm: z.literal('Ed25519'),
                  publicKey: z.string(),
                  publicKeyPem: z.string(),
                }),
              ),
            }),
          },
        },
      },
      (c) => {
        const key = signer(c);
        return c.json({
          keys: [
            {
              keyId: key.keyId,
              algorithm: 'Ed25519' as const,
              publicKey: Buffer.from(key.publicKey).toString('base64url'),
              publicKeyPem: key.publicKeyPem,
            },
          ],
        });
      },
    );
  },
};
