import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ScanRequestLineSchema, type ScanResultLine } from '@warden/protocol';
import {
  type AsyncScanResult,
  createScanner,
  type Finding,
  type JudgeOptions,
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
  --layers LIST      comma-separated layers to run (default: l1,l2: rules and the local
                     model; l1 alone is faster). l3 asks the LLM judge
                     configured by the environment (see below) when the policy escalates
  --json             print the full result as JSON
  --jsonl FILE       batch mode: read JSON lines {"id","text","kind"?,"tool"?,"argument"?}
                     from FILE ("-" for standard input), write one result line per input

Environment, for --layers with l3 (docs/judge.md):
  WARDEN_JUDGE_URL         base URL of the judge API (required), e.g. https://api.openai.com/v1,
                           http://127.0.0.1:11434/v1 (Ollama), https://api.anthropic.com
  WARDEN_JUDGE_MODEL       model name (required)
  WARDEN_JUDGE_API_KEY     API key, when the endpoint needs one
  WARDEN_JUDGE_PROVIDER    openai (default: any OpenAI-compatible API) | anthropic
  WARDEN_JUDGE_API_VERSION Azure OpenAI api-version, or Anthropic anthropic-version
  WARDEN_JUDGE_TIMEOUT_MS  per-scan judge deadline in milliseconds (default 2000)
  WARDEN_JUDGE_CONCURRENCY judge requests in flight at once (default 4)

Exit codes: 0 allowed (or alert/redact), 1 blocked (in batch mode: never), 2 usage or
configuration error.
`;

/** Result lines a --jsonl batch keeps in flight while the judge answers; output stays in order. */
const JSONL_WINDOW = 32;

const KINDS = ['input', 'output', 'tool_args', 'tool_result', 'document'] as const;
type Kind = (typeof KINDS)[number];

function parseLayers(value: string | undefined): Layer[] {
  if (value === undefined) return ['l1', 'l2'];
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

/** The environment variables the judge is configured from. */
type Environment = Readonly<Record<string, string | undefined>>;

function positiveFromEnvironment(env: Environment, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${name} must be a positive integer, got "${value}".`,
    );
  }
  return Number(value);
}

/** The judge's endpoint from WARDEN_JUDGE_* variables: secrets stay out of policy files and argv. */
export function judgeFromEnvironment(env: Environment): JudgeOptions {
  const url = env.WARDEN_JUDGE_URL;
  const model = env.WARDEN_JUDGE_MODEL;
  if (url === undefined || url === '' || model === undefined || model === '') {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      'Layer l3 needs a judge: set WARDEN_JUDGE_URL and WARDEN_JUDGE_MODEL (and WARDEN_JUDGE_API_KEY when the endpoint needs one). See docs/judge.md.',
    );
  }
  const provider = env.WARDEN_JUDGE_PROVIDER || 'openai';
  if (provider !== 'openai' && provider !== 'anthropic') {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `WARDEN_JUDGE_PROVIDER must be openai or anthropic, got "${provider}".`,
    );
  }
  const judge: JudgeOptions = { provider, url, model };
  if (env.WARDEN_JUDGE_API_KEY) judge.apiKey = env.WARDEN_JUDGE_API_KEY;
  if (env.WARDEN_JUDGE_API_VERSION) judge.apiVersion = env.WARDEN_JUDGE_API_VERSION;
  const timeoutMs = positiveFromEnvironment(env, 'WARDEN_JUDGE_TIMEOUT_MS');
  if (timeoutMs !== undefined) judge.timeoutMs = timeoutMs;
  const concurrency = positiveFromEnvironment(env, 'WARDEN_JUDGE_CONCURRENCY');
  if (concurrency !== undefined) judge.concurrency = concurrency;
  return judge;
}

/** One line about the judge for the human-readable output. */
function formatJudge(result: AsyncScanResult): string {
  const judge = result.judge;
  if (judge === undefined) return '';
  const parts = [`  judge: ${judge.status}`];
  if (judge.trigger !== undefined) parts.push(`(${judge.trigger})`);
  if (judge.verdict !== undefined) {
    const { verdict, category, confidence } = judge.verdict;
    parts.push(`${verdict}${category === 'none' ? '' : ` ${category}`} ${confidence.toFixed(2)}`);
  }
  if (judge.reason !== undefined) parts.push(`- ${judge.reason}`);
  else if (judge.verdict !== undefined) parts.push(`- ${judge.verdict.reason}`);
  if (judge.status !== 'skipped')
    parts.push(`[${judge.redactions} redaction(s), ${judge.latencyMs.toFixed(0)} ms]`);
  return `${parts.join(' ')}\n`;
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

async function scanJsonl(
  scanner: Scanner,
  source: Readable,
  io: CommandIo,
  judged: boolean,
): Promise<number> {
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let failures = 0;
  const failed = (id: string | number | null, code: string, message: string) => {
    failures++;
    return errorLine(id, code, message);
  };
  // With the judge, lines are scanned concurrently and written in input order; the window bounds
  // memory and keeps the judge's own queue from overflowing. Without it, scanning stays synchronous.
  const pending: Array<Promise<string>> = [];
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const output = scanLine(scanner, line, lineNumber, judged, failed);
    if (typeof output === 'string' && pending.length === 0) {
      await write(io.stdout, output);
      continue;
    }
    pending.push(Promise.resolve(output));
    while (pending.length >= JSONL_WINDOW) await write(io.stdout, await pending.shift()!);
  }
  while (pending.length > 0) await write(io.stdout, await pending.shift()!);
  if (failures > 0)
    await write(
      io.stderr,
      `warden: ${failures} line(s) could not be scanned (see their error lines)\n`,
    );
  return EXIT.ok;
}

/** The output line for one input line: a result line or an error line. */
function scanLine(
  scanner: Scanner,
  line: string,
  lineNumber: number,
  judged: boolean,
  failed: (id: string | number | null, code: string, message: string) => string,
): string | Promise<string> {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch {
    return failed(null, 'WARDEN_INPUT_INVALID', `line ${lineNumber}: not valid JSON`);
  }
  const parsed = ScanRequestLineSchema.safeParse(document);
  const id = (document as { id?: unknown } | null)?.id;
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(line)';
    return failed(
      safeId,
      'WARDEN_INPUT_INVALID',
      `line ${lineNumber}: ${field}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const request = parsed.data;
  const onError = (error: unknown) => {
    const code = error instanceof WardenError ? error.code : 'WARDEN_INPUT_INVALID';
    return failed(request.id, code, `line ${lineNumber}: ${(error as Error).message}`);
  };
  const toLine = (result: ScanResult) => `${JSON.stringify(toResultLine(request.id, result))}\n`;
  try {
    const input = toScanInput(
      request.text,
      request.kind ?? 'input',
      request.tool,
      request.argument,
    );
    if (!judged) return toLine(scanner.scan(input));
    return scanner.scanAsync(input).then(toLine, onError);
  } catch (error) {
    return onError(error);
  }
}

/** `warden scan`: one text, standard input, or a JSONL batch. */
export async function scanCommand(
  args: string[],
  io: CommandIo,
  env: Environment = process.env,
): Promise<number> {
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
  const layers = parseLayers(values.layers);
  const judged = layers.includes('l3');
  const scanner = createScanner({
    layers,
    ...(policy === undefined ? {} : { policy }),
    ...(judged ? { judge: judgeFromEnvironment(env) } : {}),
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
    return scanJsonl(scanner, source, io, judged);
  }

  const text = positionals[0] ?? (await readAll(io.stdin));
  const input = toScanInput(text, kind as Kind, values.tool, values.argument);
  const result: AsyncScanResult = judged ? await scanner.scanAsync(input) : scanner.scan(input);
  await write(
    io.stdout,
    values.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : formatResult(result, textOf(input)) + formatJudge(result),
  );
  return result.decision === 'block' ? EXIT.blocked : EXIT.ok;
}
