/**
 * Speed and footprint of layer 2 (the local model): `npm run bench:speed` runs it after the L1
 * figures. Model load time (decode + checksum, in a fresh process), heap it takes, p50/p99 of the
 * model alone per input size, and of a full L1+L2 scan. Writes bench/results/speed-l2.{md,json}.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { adversarialText, benignText } from './corpus.js';
import { percentile } from './metrics.js';

// The built package is measured (what users run), not the TypeScript sources through a loader.
const dist = (path: string) => new URL(`../packages/scanner/dist/${path}`, import.meta.url).href;
const { createScanner } = (await import(dist('index.js'))) as typeof import('@warden/scanner');
const { loadModel } = (await import(
  dist('l2/model.js')
)) as typeof import('../packages/scanner/src/l2/model.js');
const { readWindows } = (await import(
  dist('l2/windows.js')
)) as typeof import('../packages/scanner/src/l2/windows.js');

const SIZES: ReadonlyArray<[string, number, number]> = [
  ['256 B', 256, 3000],
  ['1 KB', 1024, 3000],
  ['10 KB', 10 * 1024, 300],
  ['100 KB', 100 * 1024, 30],
  ['1 MB', 1024 * 1024, 5],
];

const format = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

/** Load time in a fresh process, so nothing is cached: decode, checksum, first prediction. */
function measureLoad(): { loadMs: number; heapMb: number } {
  const script = `
    const started = performance.now();
    const heap = process.memoryUsage().heapUsed;
    const { loadModel } = await import(${JSON.stringify(new URL('../packages/scanner/dist/l2/model.js', import.meta.url).href)});
    const model = loadModel();
    const loadMs = performance.now() - started;
    model.predict('warm up', 'input');
    globalThis.gc?.();
    console.log(JSON.stringify({ loadMs, heapMb: (process.memoryUsage().heapUsed - heap) / 1048576 }));
  `;
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as { loadMs: number; heapMb: number };
}

/** What `npm install @warden/scanner` puts on disk: the unpacked size of the package npm would publish. */
function packageSize(): { unpackedMb: number; tarballMb: number; files: number } {
  const output = execFileSync(
    'npm',
    ['pack', '--dry-run', '--json', '--workspace', 'packages/scanner'],
    {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..'),
    },
  );
  const [pack] = JSON.parse(output) as Array<{
    size: number;
    unpackedSize: number;
    entryCount: number;
  }>;
  return {
    unpackedMb: pack!.unpackedSize / 1048576,
    tarballMb: pack!.size / 1048576,
    files: pack!.entryCount,
  };
}

function time(run: () => void, iterations: number): number[] {
  const times: number[] = [];
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function main(): void {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`;
  const load = measureLoad();
  const size = packageSize();
  const model = loadModel();
  const both = createScanner({ layers: ['l1', 'l2'] });
  const lines = [
    '# Warden L2 speed (local model)\n',
    `Machine: ${machine}. One core, in-process, after warm-up.\n`,
    `Model load (decode base64, CRC-32, build views; fresh process, built package): ${load.loadMs.toFixed(1)} ms; heap after load: ${load.heapMb.toFixed(1)} MB.\n`,
    `Package: @warden/scanner installs ${size.unpackedMb.toFixed(2)} MB (${size.files} files; tarball ${size.tarballMb.toFixed(2)} MB).\n`,
    'A prompt (`input`) is read in full windows of 2,048 characters; a window of data (`tool_result`) longer than 512 characters that scores as suspect is read again in short windows (docs/l2.md), so suspect data costs more per KB.\n',
    '| size | text | surface | model p50 | model p99 | L1+L2 scan p50 | L1+L2 scan p99 |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  const results: Record<string, unknown> = { machine, ...load, package: size, sizes: {} };
  for (const [label, size, iterations] of SIZES) {
    for (const [kind, make] of [
      ['benign', benignText],
      ['adversarial', adversarialText],
    ] as const) {
      const texts = Array.from({ length: 32 }, (_, index) => make(size, index + 1));
      for (const surface of ['input', 'tool_result'] as const) {
        let next = 0;
        const modelOnly = () => {
          const text = texts[next++ % texts.length]!;
          readWindows(
            text.length,
            surface,
            (start, end) => model.predict(text.slice(start, end), surface).attackScore,
          );
        };
        const full = () =>
          both.scan(
            surface === 'input'
              ? { kind: 'input', text: texts[next++ % texts.length]! }
              : { kind: 'tool_result', tool: 'fetch_url', text: texts[next++ % texts.length]! },
          );
        time(modelOnly, Math.min(iterations, 50));
        time(full, Math.min(iterations, 50));
        const modelTimes = time(modelOnly, iterations);
        const fullTimes = time(full, iterations);
        lines.push(
          `| ${label} | ${kind} | ${surface} | ${format(percentile(modelTimes, 0.5))} | ${format(percentile(modelTimes, 0.99))} | ${format(percentile(fullTimes, 0.5))} | ${format(percentile(fullTimes, 0.99))} |`,
        );
        (results.sizes as Record<string, unknown>)[`${label} ${kind} ${surface}`] = {
          modelP50: percentile(modelTimes, 0.5),
          modelP99: percentile(modelTimes, 0.99),
          scanP50: percentile(fullTimes, 0.5),
          scanP99: percentile(fullTimes, 0.99),
        };
      }
    }
  }
  const markdown = lines.join('\n');
  console.log(markdown);
  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'speed-l2.md'), `${markdown}\n`);
  writeFileSync(join(out, 'speed-l2.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main();
