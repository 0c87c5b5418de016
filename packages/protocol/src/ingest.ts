import { z } from 'zod';
import { ScanEventSchema } from './scan-event.js';

/** The most events one `POST /v1/events` request may carry. */
const MAX_EVENTS_PER_BATCH = 1000;

/**
 * The body of `POST /v1/events`: a batch of scan events. The server validates each event on its
 * own, so one bad event is reported in the results without losing the good ones.
 * @example IngestRequestSchema.parse({ events: [event] })
 */
export const IngestRequestSchema = z
  .object({ events: z.array(ScanEventSchema).min(1).max(MAX_EVENTS_PER_BATCH) })
  .strict();

export type IngestRequest = z.infer<typeof IngestRequestSchema>;

/** What happened to one event of a batch, in the order sent. */
export const IngestEventResultSchema = z.object({
  index: z.number().int().min(0),
  /** The event's id when it had a readable one. */
  id: z.string().optional(),
  /** accepted: stored now; duplicate: an event with this id was stored before (a retry); rejected: invalid. */
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
    })
    .optional(),
});

export type IngestEventResult = z.infer<typeof IngestEventResultSchema>;

/**
 * The answer to `POST /v1/events`: counts and one result per event. HTTP 200 when none was
 * rejected, 207 when some were, 400 when all were.
 */
export const IngestResponseSchema = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.number().int().min(0),
  results: z.array(IngestEventResultSchema),
});

export type IngestResponse = z.infer<typeof IngestResponseSchema>;
