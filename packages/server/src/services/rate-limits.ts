import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { ServerError } from '../errors.js';

/** Limits, per second (ingestion) and per minute (login attempts). */
export interface RateLimitSettings {
  keyEventsPerSecond: number;
  organizationEventsPerSecond: number;
  loginAttemptsPerMinute: number;
  /** Separates deployments (and tests) sharing one Redis. */
  keyPrefix?: string;
}

/**
 * The server's rate limits: in memory, or in Redis (shared by every replica) when a client is
 * given, with an in-memory insurance limiter while Redis is unreachable.
 */
export class RateLimits {
  readonly #perKey: RateLimiterAbstract;
  readonly #perOrganization: RateLimiterAbstract;
  readonly #login: RateLimiterAbstract;
  readonly #settings: RateLimitSettings;

  constructor(settings: RateLimitSettings, redis?: Redis) {
    this.#settings = settings;
    const prefix = settings.keyPrefix ?? 'warden';
    const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration });
      if (redis === undefined) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${name}`,
        points,
        duration,
        insuranceLimiter: memory,
      });
    };
    this.#perKey = make('ingest-key', settings.keyEventsPerSecond, 1);
    this.#perOrganization = make('ingest-org', settings.organizationEventsPerSecond, 1);
    this.#login = make('login', settings.loginAttemptsPerMinute, 60);
  }

  /** Takes `events` tokens from the key's and the organisation's buckets, or throws a 429. */
  async consumeIngest(apiKeyId: string, organizationId: string, events: number): Promise<void> {
    await consume(
      this.#perKey,
      apiKeyId,
      Math.min(events, this.#settings.keyEventsPerSecond),
      'API key',
    );
    await consume(
      this.#perOrganization,
      organizationId,
      Math.min(events, this.#settings.organizationEventsPerSecond),
      'organisation',
    );
  }

  /** Counts a sign-in attempt for `subject` (address and email); throws a 429 past the limit. */
  async consumeLogin(subject: string): Promise<void> {
    await consume(this.#login, subject, 1, 'sign-in');
  }
}

function limited(what: string, msBeforeNext: number): ServerError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ServerError(
    what === 'sign-in' ? 'WARDEN_RATE_LIMITED' : 'WARDEN_INGEST_RATE_LIMITED',
    429,
    `Rate limit of this ${what} reached; retry after ${seconds} s (Retry-After).`,
    { headers: { 'Retry-After': String(seconds) } },
  );
}

async function consume(
  limiter: RateLimiterAbstract,
  subject: string,
  points: number,
  what: string,
): Promise<void> {
  try {
    await limiter.consume(subject, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw limited(what, rejection.msBeforeNext);
    throw rejection;
  }
}
