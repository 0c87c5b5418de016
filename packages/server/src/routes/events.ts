import { IngestRequestSchema, IngestResponseSchema } from '@warden/protocol';
import { z } from 'zod';
import { withOrganization } from '../db/tenancy.js';
import { errors } from '../errors.js';
import type { RouteModule } from '../http/router.js';
import { EventIngestor } from '../services/ingest.js';
import { ERROR_RESPONSES, requireApiKey } from './shared.js';

const IngestRejected = IngestResponseSchema.extend({
  error: z.object({
    code: z.literal('WARDEN_EVENT_INVALID'),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

/** `POST /v1/events`: batches of scan events from SDKs and gateways. */
export const eventRoutes: RouteModule = {
  name: 'events',
  register(router, services) {
    // Leave a couple of pool connections for sign-in, queries and API key lookups.
    const ingestor = new EventIngestor(
      services.db,
      services.db.kind === 'embedded' ? 1 : Math.max(1, services.config.DATABASE_POOL_SIZE - 2),
    );
    const slugs = new Map<string, string | undefined>();
    const maxEvents = services.config.WARDEN_MAX_BATCH_EVENTS;
    router.add(
      {
        method: 'post',
        path: '/v1/events',
        summary:
          'Ingest a batch of scan events (per-event results; retries are idempotent by event id)',
        tag: 'ingestion',
        auth: { kind: 'apiKey', scope: 'ingest' },
        documentedBody: IngestRequestSchema,
        // Each event is validated on its own below, so one bad event does not sink the batch.
        body: z.strictObject({
          events: z
            .array(z.unknown())
            .min(1, 'send at least one event')
            .max(maxEvents, `at most ${maxEvents} events per batch (WARDEN_MAX_BATCH_EVENTS)`),
        }),
        responses: {
          200: {
            description: 'Every event accepted (or a duplicate of one stored before)',
            schema: IngestResponseSchema,
          },
          207: { description: 'Some events rejected: see results', schema: IngestResponseSchema },
          400: {
            description:
              'Every event rejected (results name each event and field), or a malformed batch',
            schema: IngestRejected,
          },
          401: ERROR_RESPONSES[401],
          403: ERROR_RESPONSES[403],
          413: { description: 'Body over WARDEN_BODY_LIMIT_BYTES' },
          429: { description: 'Rate limit of the key or organisation; see Retry-After' },
        },
      },
      async (c, { body }) => {
        const key = requireApiKey(c);
        const { rateLimits, metrics, db } = c.get('services');
        await rateLimits.consumeIngest(key.apiKeyId, key.organizationId, body.events.length);
        let slug = slugs.get(key.projectId);
        if (!slugs.has(key.projectId)) {
          slug = await withOrganization(
            db,
            key.organizationId,
            async (tx) =>
              (
                await tx.query<{ slug: string }>('SELECT slug FROM projects WHERE id = $1', [
                  key.projectId,
                ])
              ).rows[0]?.slug,
          );
          if (slug === undefined)
            throw errors.unauthenticated("The API key's project no longer exists.");
          slugs.set(key.projectId, slug);
        }
        const { response, stored } = await ingestor.ingest(
          { organizationId: key.organizationId, projectId: key.projectId, projectSlug: slug },
          body.events,
        );
        // Alert rules run after the response, off the acknowledgement path.
        if (stored.length > 0) {
          c.get('services').features?.alerts.onEventsIngested(
            key.organizationId,
            key.projectId,
            stored,
          );
        }
        metrics.eventsIngested.inc({ result: 'accepted' }, response.accepted);
        metrics.eventsIngested.inc({ result: 'duplicate' }, response.duplicates);
        metrics.eventsIngested.inc({ result: 'rejected' }, response.rejected);
        if (response.rejected === 0) return c.json(response, 200);
        if (response.rejected < body.events.length) return c.json(response, 207);
        const issues = response.results.flatMap((result) => result.error?.issues ?? []);
        return c.json(
          {
            error: {
              code: 'WARDEN_EVENT_INVALID' as const,
              message: `Every event of the batch was rejected: ${response.results[0]?.error?.message ?? ''}`,
              issues,
            },
            ...response,
          },
          400,
        );
      },
    );
  },
};
