/**
 * Several HTTP worker processes on one port (node:cluster), for WARDEN_WORKERS > 1 with
 * PostgreSQL. The primary prepares what must happen once (migrations, partitions, bootstrap,
 * keys generated in the data directory), forks the workers, restarts one that dies (with
 * backoff), answers /metrics for all of them, and drains them all on close. Each worker is an
 * ordinary `startServer`: its own pool, ingestion queues, rate limits and jobs.
 */
import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { openDatabase } from './db/open.js';
import { ServerError } from './errors.js';
import { createFeatureServices, parseFeatureConfig } from './features.js';
import { type RunningServer, type StartServerOptions, startServer } from './server.js';
import { bootstrap, logBootstrap } from './services/bootstrap.js';

/** Messages between the primary and its workers (on the cluster's IPC channel). */
type ToPrimary =
  | { type: 'warden:listening'; url: string; port: number }
  | { type: 'warden:failed'; message: string }
  | { type: 'warden:metrics-request'; id: number }
  | { type: 'warden:metrics-part'; id: number; metrics: MetricsJson };
type ToWorker =
  | { type: 'warden:shutdown' }
  | { type: 'warden:metrics-collect'; id: number }
  | { type: 'warden:metrics-response'; id: number; body?: string; error?: string };
/** One worker's registry as `Registry.getMetricsAsJSON` gives it. */
type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Environment variable the primary gives each worker: its slot, 1 to N (kept on restarts). */
const SLOT_VARIABLE = 'WARDEN_CLUSTER_WORKER';
/** Restart delays of a worker that died: doubling from 0.5 s up to 30 s. */
const BACKOFF_MS = { first: 500, max: 30_000 };
/** A worker that lived this long starts its next restart from the first delay again. */
const HEALTHY_AFTER_MS = 60_000;
/** How long the primary waits for the workers' metrics; a late worker is left out. */
const METRICS_WAIT_MS = 3_000;

/** Options of `startCluster`: those of `startServer` (but its own database) and the count. */
export interface StartClusterOptions
  extends Pick<StartServerOptions, 'config' | 'environment' | 'logger'> {
  /** Worker processes (default config.WARDEN_WORKERS). */
  workers?: number;
}

/** A running cluster, seen from its primary. */
export interface RunningCluster {
  url: string;
  port: number;
  workers: number;
  /** Process ids of the workers alive now. */
  pids(): number[];
  /** Drains every worker (each as `RunningServer.close`), then returns. */
  close(): Promise<void>;
}

function isMessage<T extends { type: string }>(message: unknown): message is T {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { type?: unknown }).type === 'string' &&
    (message as { type: string }).type.startsWith('warden:')
  );
}

/**
 * Runs in the primary process: migrates, bootstraps and generates the data-directory keys
 * once, then forks `workers` processes that re-run the program (`process.argv`) and call
 * `startClusterWorker`. Resolves once every worker listens; rejects (stopping the others) when
 * one fails to start. Needs PostgreSQL: the embedded database belongs to one process.
 * @example const running = await startCluster({ config: loadConfig(process.env) })
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  if (!cluster.isPrimary) {
    throw new Error('startCluster runs in the primary process; workers call startClusterWorker');
  }
  const { config } = options;
  const environment = options.environment ?? process.env;
  const count = options.workers ?? config.WARDEN_WORKERS;
  if (count > 1 && config.DATABASE_URL === undefined) {
    throw new ServerError(
      'WARDEN_CONFIG_INVALID',
      500,
      'Invalid configuration: WARDEN_WORKERS > 1 needs DATABASE_URL (PostgreSQL).',
      { issues: [{ path: 'WARDEN_WORKERS', message: 'more than one worker needs DATABASE_URL' }] },
    );
  }
  const logger =
    options.logger ??
    pino({ level: config.WARDEN_LOG_LEVEL, base: { service: 'warden-server', role: 'primary' } });

  // Once, before forking: migrations and partitions (in openDatabase), the first owner, and
  // the keys generated in the data directory (so no two workers race to write them).
  const featureConfig = parseFeatureConfig(environment);
  const db = await openDatabase(config);
  try {
    logBootstrap(logger, await bootstrap(db, config), config.WARDEN_BOOTSTRAP_EMAIL);
    const features = await createFeatureServices({
      config: featureConfig,
      dataDir: config.WARDEN_DATA_DIR,
      db,
      logger,
    });
    await features.close();
  } finally {
    await db.close();
  }

  interface Slot {
    slot: number;
    worker: Worker | undefined;
    /** Listening (a worker still starting is left out of /metrics). */
    ready: boolean;
    startedAt: number;
    delay: number;
    restart: NodeJS.Timeout | undefined;
  }
  const slots: Slot[] = [];
  const bySlot = new Map<Worker, Slot>();
  let closing = false;
  let address: { url: string; port: number } | undefined;
  let starting:
    | { pending: number; resolve: () => void; reject: (error: Error) => void }
    | undefined;

  const fork = (slot: Slot) => {
    slot.restart = undefined;
    slot.startedAt = Date.now();
    slot.ready = false;
    const worker = cluster.fork({ [SLOT_VARIABLE]: String(slot.slot) });
    slot.worker = worker;
    bySlot.set(worker, slot);
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage<ToPrimary>(message)) return;
    const slot = bySlot.get(worker);
    if (slot === undefined) return;
    const send = (answer: ToWorker) => {
      if (worker.isConnected()) worker.send(answer);
    };
    switch (message.type) {
      case 'warden:listening':
        slot.ready = true;
        address ??= { url: message.url, port: message.port };
        if (starting !== undefined) {
          starting.pending -= 1;
          if (starting.pending === 0) starting.resolve();
        } else {
          logger.info({ worker: slot.slot, pid: worker.process.pid }, 'cluster: worker restarted');
        }
        break;
      case 'warden:failed':
        starting?.reject(new Error(`worker ${slot.slot} could not start: ${message.message}`));
        break;
      case 'warden:metrics-request':
        collectMetrics().then(
          (body) => send({ type: 'warden:metrics-response', id: message.id, body }),
          (error: Error) =>
            send({ type: 'warden:metrics-response', id: message.id, error: error.message }),
        );
        break;
      case 'warden:metrics-part':
        collecting.get(message.id)?.(message.metrics);
        break;
    }
  };

  // /metrics of any worker: every listening worker's registry, summed by prom-client's
  // aggregator (series differ by their `worker` label, so each worker's stay apart).
  let nextCollection = 0;
  const collecting = new Map<number, (metrics: MetricsJson) => void>();
  const collectMetrics = async (): Promise<string> => {
    const id = nextCollection++;
    const ready = slots.filter((slot) => slot.ready && slot.worker?.isConnected() === true);
    const parts: MetricsJson[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn(
          { missing: ready.length - parts.length },
          'cluster: metrics of a worker came too late; left out',
        );
        resolve();
      }, METRICS_WAIT_MS);
      collecting.set(id, (metrics) => {
        parts.push(metrics);
        if (parts.length === ready.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      for (const slot of ready) slot.worker!.send({ type: 'warden:metrics-collect', id });
      if (ready.length === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
    collecting.delete(id);
    return AggregatorRegistry.aggregate(parts).metrics();
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    const slot = bySlot.get(worker);
    if (slot === undefined) return;
    bySlot.delete(worker);
    slot.worker = undefined;
    slot.ready = false;
    if (closing) return;
    if (starting !== undefined) {
      starting.reject(
        new Error(`worker ${slot.slot} exited while starting (code ${code}, signal ${signal})`),
      );
      return;
    }
    // Unexpected: restart it, waiting longer each time it dies soon after starting.
    slot.delay =
      Date.now() - slot.startedAt >= HEALTHY_AFTER_MS
        ? BACKOFF_MS.first
        : Math.min(BACKOFF_MS.max, slot.delay * 2);
    logger.error(
      { worker: slot.slot, pid: worker.process.pid, code, signal, restartInMs: slot.delay },
      'cluster: worker died unexpectedly; restarting it',
    );
    slot.restart = setTimeout(() => fork(slot), slot.delay);
  };

  cluster.on('message', onMessage);
  cluster.on('exit', onExit);

  const stopAll = async (): Promise<void> => {
    closing = true;
    const exits: Promise<void>[] = [];
    for (const slot of slots) {
      if (slot.restart !== undefined) clearTimeout(slot.restart);
      const worker = slot.worker;
      if (worker === undefined) continue;
      exits.push(
        new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          // A worker still starting does not listen for messages yet: SIGTERM ends it (or,
          // once its handlers are in, drains it like the message does).
          if (slot.ready && worker.isConnected())
            worker.send({ type: 'warden:shutdown' } satisfies ToWorker);
          else worker.process.kill('SIGTERM');
        }),
      );
    }
    // Each worker drains within WARDEN_SHUTDOWN_TIMEOUT_MS; a stuck one is killed a bit later.
    const timer = setTimeout(() => {
      for (const slot of slots) {
        if (slot.worker === undefined) continue;
        logger.warn({ worker: slot.slot }, 'cluster: worker did not stop in time; killing it');
        slot.worker.process.kill('SIGKILL');
      }
    }, config.WARDEN_SHUTDOWN_TIMEOUT_MS + 5_000);
    await Promise.all(exits);
    clearTimeout(timer);
    cluster.off('message', onMessage);
    cluster.off('exit', onExit);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      starting = { pending: count, resolve, reject };
      for (let index = 1; index <= count; index += 1) {
        const slot: Slot = {
          slot: index,
          worker: undefined,
          ready: false,
          startedAt: 0,
          delay: BACKOFF_MS.first / 2,
          restart: undefined,
        };
        slots.push(slot);
        fork(slot);
      }
    });
  } catch (error) {
    await stopAll();
    throw error;
  } finally {
    starting = undefined;
  }
  const { url, port } = address!;
  logger.info({ url, workers: count }, 'warden cluster listening');

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    workers: count,
    pids: () =>
      slots.flatMap((slot) => {
        const pid = slot.worker?.process.pid;
        return pid === undefined ? [] : [pid];
      }),
    close: () => {
      closed ??= stopAll().then(() => logger.info('warden cluster stopped'));
      return closed;
    },
  };
}

/**
 * Runs in a worker process forked by `startCluster`: starts the server (without bootstrap,
 * with 1/N of each in-memory rate limit when there is no Redis), reports to the primary, and
 * drains and exits when the primary says so, on SIGINT/SIGTERM, or when the primary is gone.
 * /metrics answers with the sum over every worker, each series labelled with `worker`.
 * @example if (cluster.isWorker) await startClusterWorker({ config: loadConfig(process.env) })
 */
export async function startClusterWorker(options: StartServerOptions): Promise<RunningServer> {
  if (!cluster.isWorker || process.send === undefined) {
    throw new Error('startClusterWorker runs in a worker forked by startCluster');
  }
  const send = (message: ToPrimary) => {
    if (process.connected) process.send!(message);
  };
  const slot = process.env[SLOT_VARIABLE] ?? String(cluster.worker?.id ?? 0);
  const logger =
    options.logger ??
    pino({
      level: options.config.WARDEN_LOG_LEVEL,
      base: { service: 'warden-server', worker: Number(slot) },
    });
  let server: RunningServer;
  try {
    server = await startServer({
      ...options,
      logger,
      bootstrap: false,
      rateLimitShares: options.config.WARDEN_WORKERS,
    });
  } catch (error) {
    send({ type: 'warden:failed', message: (error as Error).message });
    throw error;
  }

  // /metrics: the primary collects every worker's registry and sums them.
  const { metrics } = server.services;
  metrics.registry.setDefaultLabels({ worker: slot });
  let nextId = 0;
  const waiting = new Map<number, (answer: { body?: string; error?: string }) => void>();
  metrics.render = () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('metrics: the cluster primary did not answer'));
      }, 6_000);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (answer.body !== undefined) resolve(answer.body);
        else reject(new Error(`metrics: ${answer.error ?? 'no answer'}`));
      });
      send({ type: 'warden:metrics-request', id });
    });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'cluster worker: draining');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'cluster worker: shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('message', (message: unknown) => {
    if (!isMessage<ToWorker>(message)) return;
    if (message.type === 'warden:shutdown') stop('primary');
    else if (message.type === 'warden:metrics-collect') {
      metrics.registry.getMetricsAsJSON().then(
        (json) => send({ type: 'warden:metrics-part', id: message.id, metrics: json }),
        (error: unknown) => logger.warn({ err: error }, 'cluster worker: metrics failed'),
      );
    } else waiting.get(message.id)?.(message);
  });
  // Ctrl-C reaches the whole process group; a primary killed outright leaves its workers alone.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('disconnect', () => stop('primary gone'));

  send({ type: 'warden:listening', url: server.url, port: server.port });
  return server;
}
