/**
 * The server process of `npm run bench:ingest`: starts Warden with the environment it is given
 * and prints `WARDEN_BENCH_URL=<url>` on standard output once it listens.
 */
import { loadConfig, startServer } from '@warden/server';

const config = loadConfig(process.env);
const server = await startServer({ config, processMetrics: false });
process.stdout.write(`WARDEN_BENCH_URL=${server.url}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
