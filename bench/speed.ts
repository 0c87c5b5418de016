/**
 * Speed of the scanner: `npm run bench:speed`. p50/p99 per input size for benign and adversarial
 * text, throughput, memory, load time and worst-case time on pathological inputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createScanner, type ScanInput } from '@warden/scanner';
import { adversarialText, benignText, pathologicalTexts } from './corpus.js';
import { percentile } from './metrics.js';

const SIZES: ReadonlyArray<[string, number, number]> = [
  ['256 B', 256, 4000],
  ['1 KB', 1024, 4000],
  ['10 KB', 10 * 1024, 600],
  ['100 KB', 100 * 1024, 60],
  ['1 MB', 1024 * 1024, 8],
];

const microseconds = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const milliseconds = (ms: number) => (ms < 1 ? microseconds(ms) : `${ms.toFixed(2)} ms`);

function main(): void {
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStart = performance.now();
  // Layer 1 alone: the figures the speed bars are about.
  const scanner = createScanner({ layers: ['l1'] });
  const loadMs = performance.now() - loadStart;
  const heapAfter = process.memoryUsage().heapUsed;

  const lines: string[] = [];
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  lines.push(`# Warden L1 speed (${scanner.rules.length} rules, default policy, layer l1 only)\n`);
  lines.push(`Machine: ${machine}. One core, in-process, after warm-up.\n`);
  lines.push(
    `Scanner creation (rule compilation): ${loadMs.toFixed(1)} ms; heap for the compiled pack: ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MB.\n`,
  );
  lines.push('| size | text | p50 | p99 | max | throughput (p50) |\n|---|---|---:|---:|---:|---:|');

  const results: Record<string, unknown> = {
    machine,
    loadMs,
    rules: scanner.rules.length,
    sizes: {},
  };
  for (const [label, size, iterations] of SIZES) {
    for (const [kind, make] of [
      ['benign', benignText],
      ['adversarial', adversarialText],
    ] as const) {
      // Distinct texts per iteration (different seeds), so caches cannot flatter the figures.
      const texts = Array.from({ length: Math.min(iterations, 64) }, (_, index) =>
        make(size, index + 1),
      );
      for (let warm = 0; warm < Math.min(iterations, 50); warm++)
        scanner.scan(texts[warm % texts.length]!);
      const times: number[] = [];
      for (let index = 0; index < iterations; index++) {
        const input: ScanInput = { kind: 'input', text: texts[index % texts.length]! };
        const start = performance.now();
        scanner.scan(input);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 0.5);
      const p99 = percentile(times, 0.99);
      const max = times[times.length - 1]!;
      const throughput = size / 1024 / 1024 / (p50 / 1000);
      (results.sizes as Record<string, unknown>)[`${label} ${kind}`] = {
        p50,
        p99,
        max,
        throughputMBps: throughput,
      };
      lines.push(
        `| ${label} | ${kind} | ${milliseconds(p50)} | ${milliseconds(p99)} | ${milliseconds(max)} | ${throughput.toFixed(0)} MB/s |`,
      );
    }
  }

  lines.push('\nPathological inputs (worst of 3 runs per input, kinds input and tool_args):\n');
  lines.push('| input | 100 KB | 1 MB |\n|---|---:|---:|');
  const worst: Record<string, number[]> = {};
  for (const size of [100 * 1024, 1024 * 1024]) {
    for (const [name, text] of Object.entries(pathologicalTexts(size))) {
      let slowest = 0;
      for (let run = 0; run < 3; run++) {
        for (const input of [
          { kind: 'input', text },
          { kind: 'tool_args', tool: 'run_shell', arguments: { command: text } },
        ] as const) {
          const start = performance.now();
          scanner.scan(input);
          slowest = Math.max(slowest, performance.now() - start);
        }
      }
      worst[name] = [...(worst[name] ?? []), slowest];
    }
  }
  for (const [name, [small, large]] of Object.entries(worst)) {
    lines.push(`| ${name} | ${milliseconds(small!)} | ${milliseconds(large!)} |`);
  }
  results.pathological = worst;
  const rss = process.memoryUsage().rss / 1024 / 1024;
  lines.push(`\nResident memory at the end: ${rss.toFixed(0)} MB.`);

  const markdown = lines.join('\n');
  console.log(markdown);
  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'speed.md'), `${markdown}\n`);
  writeFileSync(join(out, 'speed.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main();
