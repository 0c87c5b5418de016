import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, write } from '../io.js';

export const SERVE_HELP = `Usage: warden serve [--port N] [--host ADDRESS] [--data-dir DIR] [--workers N]

Starts the Warden control plane. With no DATABASE_URL it keeps its data in an embedded database
under --data-dir; flags override the environment variables named below.

Options:
  --port N          port to listen on (WARDEN_PORT, default 8787)
  --host ADDRESS    address to bind (WARDEN_HOST, default 0.0.0.0)
  --data-dir DIR    embedded database and generated keys (WARDEN_DATA_DIR, default ./.warden)
  --workers N       HTTP worker processes on the port, or auto (one per CPU); more than 1
                    needs DATABASE_URL (WARDEN_WORKERS, default 1)

Environment (see docs/server.md for all of it):
  DATABASE_URL                PostgreSQL instead of the embedded database
  REDIS_URL                   share rate limits between replicas
  WARDEN_REDIS_PREFIX         Redis key prefix (default warden), one per deployment
  WARDEN_BOOTSTRAP_EMAIL      first owner's email       } create the first owner and
  WARDEN_BOOTSTRAP_PASSWORD   first owner's password    } organisation on an empty
  WARDEN_BOOTSTRAP_ORG        first organisation's name } database; ignored afterwards
`;

/**
 * `warden serve`: runs the server until SIGINT or SIGTERM (or `options.signal`), then drains
 * in-flight requests and exits 0. The server package is imported only here, so the other
 * commands do not load it.
 */
export async function serveCommand(
  args: string[],
  io: CommandIo,
  options: { signal?: AbortSignal; environment?: Record<string, string | undefined> } = {},
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    await write(io.stdout, SERVE_HELP);
    return EXIT.ok;
  }
  const { loadConfig, startServer } = await import('@warden/server');
  const environment = options.environment ?? process.env;
  const config = loadConfig(environment, {
    WARDEN_PORT: values.port,
    WARDEN_HOST: values.host,
    WARDEN_DATA_DIR: values['data-dir'],
    WARDEN_WORKERS: values.workers,
  });
  if (config.WARDEN_WORKERS > 1 && cluster.isWorker) {
    // A worker forked by the primary below (it re-runs this command): it serves until the
    // primary tells it to drain, then exits on its own.
    const { startClusterWorker } = await import('@warden/server');
    await startClusterWorker({ config, environment });
    return new Promise<number>(() => {});
  }
  let server: { url: string; close(): Promise<void> };
  if (config.WARDEN_WORKERS > 1) {
    const { startCluster } = await import('@warden/server');
    server = await startCluster({ config, environment });
    await write(
      io.stderr,
      `warden: serving on ${server.url} (postgres database, ${config.WARDEN_WORKERS} workers)\n`,
    );
  } else {
    const single = await startServer({ config, environment });
    server = single;
    await write(
      io.stderr,
      `warden: serving on ${single.url} (${single.services.db.kind} database)\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    if (options.signal !== undefined) {
      if (options.signal.aborted) resolve();
      options.signal.addEventListener('abort', stop, { once: true });
      return;
    }
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await write(
    io.stderr,
    config.WARDEN_WORKERS > 1
      ? 'warden: shutting down (draining in-flight requests of every worker)\n'
      : 'warden: shutting down (draining in-flight requests)\n',
  );
  await server.close();
  return EXIT.ok;
}
