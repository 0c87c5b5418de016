import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');

describe('the warden binary', () => {
  it('streams 100k JSONL lines through `scan --jsonl -`, one result per line, in order', async () => {
    const child = spawn(process.execPath, [bin, 'scan', '--jsonl', '-'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const total = 100_000;
    let seen = 0;
    let flagged = 0;
    let outOfOrder = 0;
    const reading = (async () => {
      for await (const line of createInterface({ input: child.stdout })) {
        const parsed = JSON.parse(line) as { id: number; flagged: boolean };
        if (parsed.id !== seen) outOfOrder++;
        if (parsed.flagged) flagged++;
        seen++;
      }
    })();
    for (let id = 0; id < total; id++) {
      const text =
        id % 1000 === 0
          ? `row ${id}\u{E0061}\u{E0062}\u{E0063}`
          : `row ${id}: what is the weather like today?`;
      if (!child.stdin.write(`${JSON.stringify({ id, text })}\n`)) {
        await new Promise((resolve) => child.stdin.once('drain', resolve));
      }
    }
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    await reading;
    expect(code).toBe(0);
    expect(seen).toBe(total);
    expect(outOfOrder).toBe(0);
    expect(flagged).toBe(total / 1000);
  }, 300_000);

  it('runs the demo', async () => {
    const child = spawn(process.execPath, [bin, 'demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(output).toContain('Warden scanner demo');
    expect(output).toMatch(/BLOCK/);
  }, 60_000);
});
