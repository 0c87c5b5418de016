import { PassThrough, Readable } from 'node:stream';
import type { CommandIo } from '../io.js';

/** Command streams for tests: `stdin` is fed from a string, what the command writes is collected. */
export function captureIo(stdin: string | Readable = ''): {
  io: CommandIo;
  stdout: () => string;
  stderr: () => string;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const input = typeof stdin === 'string' ? Readable.from([stdin]) : stdin;
  return { io: { stdin: input, stdout, stderr }, stdout: () => out, stderr: () => err };
}

/** Runs a command with captured streams; resolves to its exit code and output. */
export async function runCaptured(
  command: (io: CommandIo) => Promise<number>,
  stdin: string | Readable = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo(stdin);
  const code = await command(captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}
