import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { captureIo } from '../testing/capture-io.js';
import { serveCommand } from './serve.js';

function streams() {
  const { io, stdout, stderr } = captureIo(new PassThrough());
  return { io, out: stdout, err: stderr };
}

describe('warden serve', () => {
  it('serves on the embedded database in --data-dir, bootstraps, and drains on stop', async () => {
    const dataDirectory = await mkdtemp(path.join(tmpdir(), 'warden-serve-'));
    const { io, err } = streams();
    const stop = new AbortController();
    try {
      const exit = serveCommand(
        ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDirectory],
        io,
        {
          signal: stop.signal,
          environment: {
            WARDEN_LOG_LEVEL: 'silent',
            WARDEN_BOOTSTRAP_EMAIL: 'owner@example.test',
            WARDEN_BOOTSTRAP_PASSWORD: 'a long enough password',
            WARDEN_BOOTSTRAP_ORG: 'Serve Test',
          },
        },
      );
      while (!err().includes('serving on')) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /serving on (\S+)/.exec(err())?.[1];
      expect(err()).toContain('(embedded database)');
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      const login = await fetch(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.test', password: 'a long enough password' }),
      });
      expect(login.status).toBe(200);
      stop.abort();
      expect(await exit).toBe(0);
      expect(err()).toContain('shutting down');
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  }, 120_000);

  it('stops with a message naming a bad flag value', async () => {
    const { io, err } = streams();
    expect(await runCli(['serve', '--port', 'eighty'], io)).toBe(2);
    expect(err()).toContain('WARDEN_CONFIG_INVALID');
    expect(err()).toContain('WARDEN_PORT');
  });

  it('refuses several workers on the embedded database, naming WARDEN_WORKERS', async () => {
    const { io, err } = streams();
    const exit = await serveCommand(['--workers', '2', '--port', '0'], io, {
      environment: { WARDEN_LOG_LEVEL: 'silent' },
    }).catch((error: unknown) => error);
    expect(exit).toMatchObject({ code: 'WARDEN_CONFIG_INVALID' });
    expect((exit as Error).message).toContain('WARDEN_WORKERS');
    expect((exit as Error).message).toContain('DATABASE_URL');
    expect(await runCli(['serve', '--workers', 'lots'], io)).toBe(2);
    expect(err()).toContain('WARDEN_WORKERS');
  });

  it('prints its help', async () => {
    const { io, out } = streams();
    expect(await runCli(['serve', '--help'], io)).toBe(0);
    expect(out()).toContain('--data-dir');
    expect(out()).toContain('--workers');
  });
});
