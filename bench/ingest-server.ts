/**
 * The server process of `npm run bench:ingest`: starts Warden with the environment it is given
 * and prints `WARDEN_BENCH_URL=<url>` on standard output once it listens.
 * WARDEN_BENCH_EMBEDDED_THREAD=main runs the embedded database on the server's own thread
 * instead of its worker (for before/after comparisons).
 */
import { loadConfig, openDatabase, startServer } from '@warden/server';

const config = loadConfig(process.env);
const thread = process.env.WARDEN_BENCH_EMBEDDED_THREAD;
if (thread !== undefined && thread !== 'main' && thread !== 'worker') {
  throw new Error(`WARDEN_BENCH_EMBEDDED_THREAD: main or worker, not ${thread}`);
}
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
