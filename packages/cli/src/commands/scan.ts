import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ScanRequestLineSchema, type ScanResultLine } from '@warden/protocol';
import {
  createScanner,
  type Finding,
  type Layer,
  type Policy,
  type ScanInput,
  type Scanner,
  type ScanResult,
  WardenError,
} from '@warden/scanner';
import { formatResult } from '../format.js';
import { type CommandIo, EXIT, readAll, write } from '../io.js';
import { loadPolicyFile } from '../policy-file.js';

export const SCAN_HELP = `Usage: warden scan [TEXT] [options]

Scans TEXT (or standard input when TEXT is absent) and prints the findings.

Options:
  --kind KIND        input | output | tool_args | tool_result | document (default: input)
  --tool NAME        tool name, for --kind tool_args (TEXT is then the arguments as JSON,
                     or the value of --argument) and tool_result
  --argument NAME    for --kind tool_args: TEXT is the value of this argument
  --policy FILE      policy in JSON or YAML (default: the built-in default policy)
  --layers LIST      comma-separated layers to run (default: l1; this release has l1 only)
  --json             print the full result as JSON
  --jsonl FILE       batch mode: read JSON lines {"id","text","kind"?,"tool"?,"argument"?}
                     from FILE ("-" for standard input), write one result line per input

Exit codes: 0 allowed (or alert/redact), 1 blocked (in batch mode: never), 2 usage or
configuration error.
`;

const KINDS = ['input', 'output', 'tool_args', 'tool_result', 'document'] as const;
type Kind = (typeof KINDS)[number];

function parseLayers(value: string | undefined): Layer[] {
  if (value === undefined) return ['l1'];
  const layers = value.split(',').map((layer) => layer.trim());
  for (const layer of layers) {
    if (layer !== 'l1' && layer !== 'l2' && layer !== 'l3') {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `Unknown layer "${layer}" in --layers; expected l1, l2 or l3.`,
      );
    }
  }
  return layers as Layer[];
}

/** Builds the scan input for one text, the same way for the command line and for JSONL lines. */
export function toScanInput(text: string, kind: Kind, tool?: string, argument?: string): ScanInput {
  if (kind !== 'tool_args') return tool === undefined ? { kind, text } : { kind, text, tool };
  if (tool === undefined) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      'kind tool_args needs a tool name (--tool, or "tool" in JSONL).',
    );
  }
  if (argument !== undefined) return { kind, tool, arguments: { [argument]: text } };
  return { kind, tool, arguments: text };
}

/** The value a finding points into, for excerpts. */
function textOf(input: ScanInput): (finding: Finding) => string {
  if (input.kind !== 'tool_args') return () => input.text;
  let parsed: unknown = input.arguments;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // The raw string is the argument.
    }
  }
  return (finding) => {
    if (finding.path === undefined || finding.path === '')
      return typeof parsed === 'string' ? parsed : '';
    let value: unknown = parsed;
    for (const part of finding.path.match(/[^.[\]]+/g) ?? []) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    return typeof value === 'string' ? value : String(value ?? '');
  };
}

/** The stable JSONL result line (see ScanResultLineSchema). */
export function toResultLine(id: string | number, result: ScanResult): ScanResultLine {
  return {
    id,
    flagged: result.decision !== 'allow',
    decision: result.decision,
    risk: result.risk,
    categories: result.categories,
    findings: result.findings.map((finding) => ({
      ruleId: finding.ruleId,
      category: finding.category,
      layer: finding.layer,
      score: finding.score,
    })),
    latencyUs: Math.max(0, Math.round(result.latencyMs * 1000)),
  };
}

function errorLine(id: string | number | null, code: string, message: string): string {
  return `${JSON.stringify({ id, error: { code, message } })}\n`;
}

async function scanJsonl(scanner: Scanner, source: Readable, io: CommandIo): Promise<number> {
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let failures = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch {
      failures++;
      await write(
        io.stdout,
        errorLine(null, 'WARDEN_INPUT_INVALID', `line ${lineNumber}: not valid JSON`),
      );
      continue;
    }
    const parsed = ScanRequestLineSchema.safeParse(document);
    const id = (document as { id?: unknown } | null)?.id;
    const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
    if (!parsed.success) {
      failures++;
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(line)';
      await write(
        io.stdout,
        errorLine(
          safeId,
          'WARDEN_INPUT_INVALID',
          `line ${lineNumber}: ${field}: ${issue?.message ?? 'invalid'}`,
        ),
      );
      continue;
    }
    const request = parsed.data;
    try {
      const input = toScanInput(
        request.text,
        request.kind ?? 'input',
        request.tool,
        request.argument,
      );
      await write(io.stdout, `${JSON.stringify(toResultLine(request.id, scanner.scan(input)))}\n`);
    } catch (error) {
      failures++;
      const code = error instanceof WardenError ? error.code : 'WARDEN_INPUT_INVALID';
      await write(
        io.stdout,
        errorLine(request.id, code, `line ${lineNumber}: ${(error as Error).message}`),
      );
    }
  }
  if (failures > 0)
    await write(
      io.stderr,
      `warden: ${failures} line(s) could not be scanned (see their error lines)\n`,
    );
  return EXIT.ok;
}

/** `warden scan`: one text, standard input, or a JSONL batch. */
export async function scanCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      kind: { type: 'string' },
      tool: { type: 'string' },
      argument: { type: 'string' },
      policy: { type: 'string' },
      layers: { type: 'string' },
      json: { type: 'boolean', default: false },
      jsonl: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await write(io.stdout, SCAN_HELP);
    return EXIT.ok;
  }
  const kind = values.kind ?? 'input';
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `Unknown --kind "${kind}"; expected one of ${KINDS.join(', ')}.`,
    );
  }
  if (positionals.length > 1) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      'Give one TEXT argument (quote it), or none to read standard input.',
    );
  }
  const policy: Policy | undefined =
    values.policy === undefined ? undefined : await loadPolicyFile(values.policy);
  const scanner = createScanner({
    layers: parseLayers(values.layers),
    ...(policy === undefined ? {} : { policy }),
  });

  if (values.jsonl !== undefined) {
    if (positionals.length > 0)
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        '--jsonl reads its inputs from FILE; drop TEXT.',
      );
    if (values.jsonl !== '-') {
      try {
        await access(values.jsonl, constants.R_OK);
      } catch (error) {
        throw new WardenError(
          'WARDEN_INPUT_INVALID',
          `Cannot read ${values.jsonl}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
    const source = values.jsonl === '-' ? io.stdin : createReadStream(values.jsonl);
    return scanJsonl(scanner, source, io);
  }

  const text = positionals[0] ?? (await readAll(io.stdin));
  const input = toScanInput(text, kind as Kind, values.tool, values.argument);
  const result = scanner.scan(input);
  await write(
    io.stdout,
    values.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result, textOf(input)),
  );
  return result.decision === 'block' ? EXIT.blocked : EXIT.ok;
}
