/**
 * The server process of `npm run bench:ingest`: starts Warden with the environment it is given
 * and prints `WARDEN_BENCH_URL=<url>` on standard output once it listens.
 * WARDEN_BENCH_EMBEDDED_THREAD=main runs the embedded database on the server's own thread
 * instead of its worker (for before/after comparisons). WARDEN_WORKERS > 1 (PostgreSQL only)
 * runs a node:cluster primary that forks that many workers, each re-running this file.
 */
import cluster from 'node:cluster';
import {
  loadConfig,
  openDatabase,
  startCluster,
  startClusterWorker,
  startServer,
} from '@warden/server';

const config = loadConfig(process.env);
const thread = process.env.WARDEN_BENCH_EMBEDDED_THREAD;
if (thread !== undefined && thread !== 'main' && thread !== 'worker') {
  throw new Error(`WARDEN_BENCH_EMBEDDED_THREAD: main or worker, not ${thread}`);
}
if (config.WARDEN_WORKERS > 1 && cluster.isWorker) {
  // Drains and exits when the primary tells it to.
  await startClusterWorker({ config, processMetrics: false });
} else if (config.WARDEN_WORKERS > 1) {
  const running = await startCluster({ config });
  process.stdout.write(`WARDEN_BENCH_URL=${running.url}\n`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  const db =
    thread === undefined ? undefined : await openDatabase(config, { embeddedThread: thread });
  const server = await startServer({
    config,
    processMetrics: false,
    ...(db === undefined ? {} : { db }),
  });
  process.stdout.write(`WARDEN_BENCH_URL=${server.url}\n`);
  const stop = async () => {
    await server.close();
    await db?.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
