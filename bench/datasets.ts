import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScanInput } from '@warden/scanner';

/** One labelled row of ../shared/datasets (see its README). */
export interface DatasetRow {
  id: string;
  text: string;
  label: 0 | 1;
  category: string;
  kind: 'input' | 'output' | 'tool_args' | 'tool_result' | 'document';
  tool?: string;
  argument?: string;
  lang?: string;
  flags?: string[];
  entity_types?: string[];
}

/** Where the labelled data lives: WARDEN_DATASETS, else ../shared/datasets beside the repo. */
export function datasetsDirectory(): string | null {
  const candidates = [
    process.env.WARDEN_DATASETS,
    resolve(import.meta.dirname, '../../shared/datasets'),
  ].filter((path): path is string => path !== undefined && path !== '');
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** Every set with a file for the split, as rows. */
export function loadSplit(directory: string, split: 'train' | 'dev'): Map<string, DatasetRow[]> {
  const sets = new Map<string, DatasetRow[]>();
  for (const name of readdirSync(directory).sort()) {
    const file = join(directory, name, `${split}.jsonl`);
    if (!existsSync(file)) continue;
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DatasetRow);
    sets.set(name, rows);
  }
  return sets;
}

/** The scan input a row stands for, the same way `warden scan --jsonl` builds it. */
export function toScanInput(row: DatasetRow): ScanInput {
  if (row.kind === 'tool_args') {
    const tool = row.tool ?? 'unknown_tool';
    return {
      kind: 'tool_args',
      tool,
      arguments: row.argument === undefined ? row.text : { [row.argument]: row.text },
    };
  }
  return row.tool === undefined
    ? { kind: row.kind, text: row.text }
    : { kind: row.kind, text: row.text, tool: row.tool };
}
