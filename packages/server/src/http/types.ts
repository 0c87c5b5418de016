import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ServerConfig } from '../env.js';
import type { ApiKeyAuthenticator, ApiKeyPrincipal } from '../services/api-keys.js';
import type { RateLimits } from '../services/rate-limits.js';
import type { Role } from '../services/roles.js';
import type { SessionUser } from '../services/sessions.js';
import type { Metrics } from './metrics.js';

/** What every route can reach: configuration, database, logger, metrics, limits. */
export interface AppServices {
  config: ServerConfig;
  /** The raw environment, for modules that parse settings of their own at start-up. */
  environment: Readonly<Record<string, string | undefined>>;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  rateLimits: RateLimits;
  apiKeys: ApiKeyAuthenticator;
  /** Set while shutting down: /readyz answers 503 so load balancers stop sending traffic. */
  lifecycle: { draining: boolean };
}

/** The organisation a request acts in, and the caller's role there (API keys act as `member`). */
export interface OrganizationContext {
  id: string;
  role: Role;
}

/** Hono's environment for Warden's app: the per-request variables routes read with `c.get`. */
export interface AppEnv {
  Variables: {
    services: AppServices;
    requestId: string;
    logger: Logger;
    /** Set on routes whose auth is `user` or `member`. */
    user: SessionUser | undefined;
    /** Set on routes whose auth is `apiKey`. */
    apiKey: ApiKeyPrincipal | undefined;
    /** Set on routes whose auth is `member` (from the `:orgId` path parameter) or `apiKey`. */
    organization: OrganizationContext | undefined;
    /** The route's path pattern, for logs and metrics. */
    routePattern: string;
  };
}
