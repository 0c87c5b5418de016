import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { createApp, SERVER_VERSION } from './app.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open.js';
import { ensureEventPartitions } from './db/partitions.js';
import type { ServerConfig } from './env.js';
import { createFeatureServices, parseFeatureConfig } from './features.js';
import { createMetrics } from './http/metrics.js';
import type { AppServices } from './http/types.js';
import { ApiKeyAuthenticator } from './services/api-keys.js';
import { bootstrap, logBootstrap } from './services/bootstrap.js';
import { RateLimits } from './services/rate-limits.js';

/** Options of `startServer`; everything but `config` is for tests and embedding. */
export interface StartServerOptions {
  config: ServerConfig;
  /** The raw environment, for route modules with settings of their own (default process.env). */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Use this database instead of opening one (it is not closed on shutdown). */
  db?: Database;
  /** Run the embedded database in memory instead of in the data directory. */
  inMemory?: boolean;
  logger?: Logger;
  /** Prefix of the rate-limit keys and channels in Redis (default WARDEN_REDIS_PREFIX). */
  rateLimitPrefix?: string;
  /** Collect process metrics (CPU, memory); off for the many servers tests start. */
  processMetrics?: boolean;
  /** Create the first owner from WARDEN_BOOTSTRAP_* (default true; cluster workers leave it to the primary). */
  bootstrap?: boolean;
  /**
   * Processes sharing the in-memory rate limits' budget (default 1): without Redis each of N
   * cluster workers enforces 1/N of every limit (rounded up), so the total stays the configured one.
   */
  rateLimitShares?: number;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  services: AppServices;
  /** Stops accepting connections, drains in-flight requests, then closes Redis and the database. */
  close(): Promise<void>;
}

const DAY = 86_400_000;

/**
 * Opens the database (migrating it), bootstraps the first owner when configured, and serves
 * the app on WARDEN_HOST:WARDEN_PORT (port 0 picks a free one).
 * @example const server = await startServer({ config: loadConfig(process.env) }); console.log(server.url)
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const environment = options.environment ?? process.env;
  // Parsed before anything opens, so a bad value stops the start-up at once.
  const featureConfig = parseFeatureConfig(environment);
  const logger =
    options.logger ?? pino({ level: config.WARDEN_LOG_LEVEL, base: { service: 'warden-server' } });
  const db =
    options.db ?? (await openDatabase(config, options.inMemory === true ? { inMemory: true } : {}));
  const ownsDatabase = options.db === undefined;
  if (options.bootstrap !== false)
    logBootstrap(logger, await bootstrap(db, config), config.WARDEN_BOOTSTRAP_EMAIL);

  const redis =
    config.REDIS_URL === undefined
      ? undefined
      : new Redis(config.REDIS_URL, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        });
  redis?.on('error', (error) =>
    logger.warn({ err: error }, 'redis error (rate limits fall back to memory)'),
  );
  const redisPrefix = options.rateLimitPrefix ?? config.WARDEN_REDIS_PREFIX;
  // Revocations reach every replica at once through Redis; without it, within the 5 s cache.
  const revocations = `${redisPrefix}:api-key-revoked`;
  // Queued until connected (and renewed on reconnection), so a slow Redis does not hold the start.
  const subscriber = redis?.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber?.on('error', () => {}); // reported once through `redis` already
  const apiKeys = new ApiKeyAuthenticator(
    db,
    redis === undefined
      ? undefined
      : (prefix) => {
          redis.publish(revocations, prefix).catch(() => {});
        },
  );
  if (subscriber !== undefined) {
    subscriber.on('message', (_channel: string, prefix: string) => apiKeys.forget(prefix));
    subscriber.subscribe(revocations).catch((error: unknown) => {
      logger.warn(
        { err: error },
        'redis: revocations from other replicas reach this one within 5 s',
      );
    });
  }

  // Without Redis the limits live in each process: N workers share them out (see rateLimitShares).
  const shares = redis === undefined ? Math.max(1, options.rateLimitShares ?? 1) : 1;
  const share = (limit: number) => Math.max(1, Math.ceil(limit / shares));

  const features = await createFeatureServices({
    config: featureConfig,
    dataDir: config.WARDEN_DATA_DIR,
    db,
    logger,
  });
  const stopJobs = features.startJobs();

  const services: AppServices = {
    config,
    environment,
    features,
    db,
    logger,
    metrics: createMetrics(options.processMetrics ?? true),
    rateLimits: new RateLimits(
      {
        keyEventsPerSecond: share(config.WARDEN_RATE_LIMIT_KEY_EVENTS_PER_SECOND),
        organizationEventsPerSecond: share(config.WARDEN_RATE_LIMIT_ORG_EVENTS_PER_SECOND),
        loginAttemptsPerMinute: share(config.WARDEN_RATE_LIMIT_LOGIN_PER_MINUTE),
        keyPrefix: redisPrefix,
      },
      redis,
    ),
    apiKeys,
    lifecycle: { draining: false },
  };
  const { app } = createApp(services);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: config.WARDEN_HOST });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WARDEN_PORT === 0 ? 0 : config.WARDEN_PORT, config.WARDEN_HOST, () =>
      resolve(),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.WARDEN_HOST === '0.0.0.0' ? '127.0.0.1' : config.WARDEN_HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    { url, database: db.kind, redis: redis !== undefined, version: SERVER_VERSION },
    'warden server listening',
  );

  // New months need partitions before their first event; daily is plenty for monthly partitions.
  const partitionTimer = setInterval(() => {
    ensureEventPartitions(db).catch((error) =>
      logger.warn({ err: error }, 'partition maintenance failed'),
    );
    // Expired sessions are refused already; this only keeps the table small.
    db.query('DELETE FROM sessions WHERE expires_at < now()').catch((error) =>
      logger.warn({ err: error }, 'session clean-up failed'),
    );
  }, DAY);
  partitionTimer.unref();

  // Requests in flight, counted here: the listener's own 'close' does not wait for them.
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  server.on('request', (_request, response) => {
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) onIdle?.();
    });
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      services.lifecycle.draining = true;
      clearInterval(partitionTimer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const drained = new Promise<void>((resolve) => {
        onIdle = resolve;
        if (inFlight === 0) resolve();
      });
      let timeout: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, config.WARDEN_SHUTDOWN_TIMEOUT_MS);
      });
      await Promise.race([drained, timedOut]);
      clearTimeout(timeout);
      if (inFlight > 0)
        logger.warn({ inFlight }, 'shutdown timeout: closing requests still in flight');
      // What is left are idle keep-alive connections (or requests past the timeout).
      if ('closeAllConnections' in server) server.closeAllConnections();
      await stopped;
      await stopJobs();
      await features.close();
      subscriber?.disconnect();
      await redis?.quit().catch(() => {});
      if (ownsDatabase) await db.close();
      logger.info('warden server stopped');
    })();
    return closing;
  };
  return { url, port, services, close };
}
