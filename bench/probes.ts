/**
 * Our own probe prompts, written by the Warden team (no dataset text): `npm run bench:probes`.
 *
 * bench/probes/trigger-words.jsonl holds benign prompts full of the words attacks use ("ignore",
 * "system prompt", "jailbreak", "pretend", "forget my last question") and plain attacks, in 30
 * languages, each row marked with a half. Halves A and B were read while choosing changes to the
 * scanner; half C was never read while choosing one. Half D (users taking back their own message,
 * alone and followed by an attack) was written after layer 2 learnt to read prompts without such
 * retractions, measured once, then read. Halves E to O were written by authors who saw neither the
 * scanner nor the other halves nor the datasets, and each was measured before it was read (the
 * scanner README lists which version measured which; J, M, N and O are unread): these are the
 * fairer figures. None stands in for the held-out data. Needs no datasets. `--show A` (or B to O)
 * lists the rows of that half the scanner gets wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScanner, type Layer } from '@warden/scanner';

const HALVES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O'] as const;

interface ProbeRow {
  half: (typeof HALVES)[number];
  label: 0 | 1;
  lang: string;
  text: string;
}

function loadProbes(): ProbeRow[] {
  const file = join(import.meta.dirname, 'probes', 'trigger-words.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const row = JSON.parse(line) as ProbeRow;
      if (!HALVES.includes(row.half) || (row.label !== 0 && row.label !== 1)) {
        throw new Error(`${file}:${index + 1}: expected half A to O and label 0 or 1`);
      }
      return row;
    });
}

function main(): void {
  const rows = loadProbes();
  const showAt = process.argv.indexOf('--show');
  const show = showAt < 0 ? null : process.argv[showAt + 1];
  const lines = ['| layers | half | benign accuracy | attacks caught |', '|---|---|---:|---:|'];
  for (const layers of [['l1'], ['l1', 'l2']] as Layer[][]) {
    const scanner = createScanner({ layers });
    const name = layers.map((layer) => layer.toUpperCase()).join('+');
    const flagged = rows.map((row) => {
      const result = scanner.scan({ kind: 'input', text: row.text });
      return result.findings.length > 0;
    });
    for (const half of HALVES) {
      const count = (label: 0 | 1, hit: boolean) =>
        rows.filter(
          (row, index) => row.half === half && row.label === label && flagged[index] === hit,
        ).length;
      const benign = count(0, false) + count(0, true);
      const attacks = count(1, true) + count(1, false);
      lines.push(
        `| ${name} | ${half} | ${count(0, false)}/${benign} (${((100 * count(0, false)) / benign).toFixed(1)}%) | ${attacks === 0 ? '–' : `${count(1, true)}/${attacks}`} |`,
      );
    }
    if (show !== null) {
      for (const [index, row] of rows.entries()) {
        const wrong = flagged[index] !== (row.label === 1);
        if (wrong && row.half === show)
          console.log(
            `${name} ${row.half} ${row.label ? 'missed' : 'flagged'} [${row.lang}] ${row.text}`,
          );
      }
    }
  }
  console.log(lines.join('\n'));
}

main();
