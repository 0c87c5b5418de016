import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import type { RouteModule } from '../http/router.js';
import { argumentHashKey } from '../services/sdk-config.js';
import { requireFeatures } from './audit.js';
import { ERROR_RESPONSES, requireApiKey } from './shared.js';

/** The answer to `GET /v1/sdk/config`. */
export const SdkConfigSchema = z.object({
  organizationId: z.uuid(),
  projectId: z.uuid(),
  argumentHashKey: z.object({
    id: z.string().describe('First 16 hex digits of the SHA-256 of the raw key'),
    key: z
      .string()
      .describe(
        'HMAC-SHA256 key (32 bytes, base64url) for hashing tool argument values; keep it in memory or a private file',
      ),
  }),
});

/** `GET /v1/sdk/config`: what an SDK needs before it reports (the argument hash key). */
export const sdkRoutes: RouteModule = {
  name: 'sdk',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/v1/sdk/config',
        summary:
          "SDK settings for the API key's project: ids, and the organisation's key for hashing tool argument values (made on first request)",
        tag: 'ingestion',
        auth: { kind: 'apiKey', scope: 'ingest' },
        responses: {
          200: { description: 'The settings (Cache-Control: no-store)', schema: SdkConfigSchema },
          401: ERROR_RESPONSES[401],
          403: ERROR_RESPONSES[403],
        },
      },
      async (c) => {
        const apiKey = requireApiKey(c);
        const box = requireFeatures(c).secretBox;
        const key = await withOrganization(c.get('services').db, apiKey.organizationId, (tx) =>
          argumentHashKey(tx, box, apiKey.organizationId),
        );
        // The key is a secret: no cache may keep it.
        c.header('Cache-Control', 'no-store');
        return c.json({
          organizationId: apiKey.organizationId,
          projectId: apiKey.projectId,
          argumentHashKey: key,
        });
      },
    );
  },
};
