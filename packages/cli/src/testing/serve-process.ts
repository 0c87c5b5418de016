import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The CLI's entry point, run from source (tsx) by the process tests. */
export const CLI_BIN = path.join(import.meta.dirname, '..', 'bin.ts');

/** A `warden serve` process started by `startServeProcess`. */
export interface ServeProcess {
  child: ChildProcess;
  /** Where it serves, from its `serving on` line. */
  url: string;
  /** What it wrote so far: the logs (JSON on standard output) and the messages (standard error). */
  output(): string;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`); resolves to the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Spawns `warden serve <args>` from source with `environment` over this process's, and resolves
 * once it prints `serving on <url>` (rejects with its output if it exits first).
 * @example const server = await startServeProcess(['--port', '0'], { DATABASE_URL: url })
 */
export async function startServeProcess(
  args: string[],
  environment: Record<string, string>,
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=warden-source', '--import', 'tsx', CLI_BIN, 'serve', ...args],
    { env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output += chunk;
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /serving on (\S+)/.exec(output)?.[1];
      if (found !== undefined) {
        clearInterval(timer);
        resolve(found);
      }
    }, 50);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`warden serve exited with ${code}: ${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
