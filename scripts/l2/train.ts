/**
 * Trains the L2 model: `npm run train` (deterministic: fixed seed, fixed order).
 *
 * 1. Leave-source-out cross-validation on the train files: every set is scored by a model that never
 *    saw it, which is how held-out data from other sources will look. The default thresholds are
 *    chosen on these out-of-fold scores (never on dev).
 * 2. A final model on all train rows and our own examples, quantised and written to
 *    packages/scanner/src/l2/model-data.ts with the thresholds and signature vectors.
 *
 * Flags: --cv-only (report, write nothing), --folds N, --epochs N, --buckets-bits N, --dimension N,
 * --seed N (the default is the shipped model's; compare configurations over more than one seed),
 * --dump-oof FILE (the out-of-fold scores as JSON lines, with the texts: for error analysis of
 * train rows; write it outside the repository, which must never hold dataset text),
 * --split rows --at P (with --cv-only: folds of random rows instead of whole sources, the fit to
 * sources the model has seen, as dev measures it; reports recall at prompt threshold P, by default
 * the shipped model's leave-source-out operating point), --embedding-init S (scale of the
 * embeddings' random start; 0 starts them at zero), --blend P,D (weight of the surface network in the
 * blend for prompts and for data; one number sets both), --concept-buckets-bits N, --concept-hidden
 * N, --concept-epochs N (the concept network), --not-trained A,B (sources scored when held out but
 * never trained on), --own-weight N (rows each of our own examples counts as; 4).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetsDirectory } from '../../bench/datasets.js';
import { blendPredictions } from '../../packages/scanner/src/l2/blend.js';
import { type FeatureKind, setFeatureSet } from '../../packages/scanner/src/l2/features.js';
import { MODEL_META } from '../../packages/scanner/src/l2/model-data.js';
import { forSurface, type PerSurface } from '../../packages/scanner/src/l2/surface.js';
import { readWindows } from '../../packages/scanner/src/l2/windows.js';
import { withoutAsides } from '../../packages/scanner/src/rules/retractions.js';
import {
  CLASSES,
  loadSamples,
  ownSamples,
  type TextSample,
  toExamples,
  type WindowExample,
} from './data.js';
import { exportModel } from './export.js';
import { createRandom, type Network, type NetworkShape, trainNetwork } from './network.js';

const { values: flags } = parseArgs({
  options: {
    'cv-only': { type: 'boolean', default: false },
    'no-cv': { type: 'boolean', default: false },
    folds: { type: 'string', default: '8' },
    epochs: { type: 'string', default: '3' },
    'buckets-bits': { type: 'string', default: '17' },
    dimension: { type: 'string', default: '16' },
    hidden: { type: 'string', default: '32' },
    rate: { type: 'string', default: '0.05' },
    'source-cap': { type: 'string', default: '1500' },
    smoothing: { type: 'string', default: '0.1' },
    dropout: { type: 'string', default: '0' },
    l2: { type: 'string', default: '0' },
    'embedding-init': { type: 'string', default: '0' },
    split: { type: 'string', default: 'source' },
    'concept-buckets-bits': { type: 'string', default: '12' },
    'concept-hidden': { type: 'string', default: '32' },
    'concept-epochs': { type: 'string', default: '3' },
    blend: { type: 'string', default: '0.3,0.5' },
    at: { type: 'string', default: String(MODEL_META.thresholds.prompt) },
    features: { type: 'string', default: 'words,bigrams,chars,concepts' },
    seed: { type: 'string', default: '20261126' },
    'dump-oof': { type: 'string' },
    'not-trained': { type: 'string', default: '' },
    'own-weight': { type: 'string', default: '4' },
  },
});
/** Sources scored when held out but never trained on (--not-trained a,b): for experiments. */
const NOT_TRAINED = new Set(flags['not-trained'].split(',').filter((name) => name.length > 0));

const SEED = Number(flags.seed);
const shape: NetworkShape = {
  buckets: 2 ** Number(flags['buckets-bits']),
  dimension: Number(flags.dimension),
  hidden: Number(flags.hidden),
  classes: CLASSES.length,
};
/** The concept network: the same shape over the few concept features, in far fewer buckets. */
const conceptShape: NetworkShape = {
  ...shape,
  buckets: 2 ** Number(flags['concept-buckets-bits']),
  hidden: Number(flags['concept-hidden']),
};
/** Weight of the surface network when the two verdicts are blended: `prompt,document` (one for both). */
const BLEND: PerSurface<number> = (() => {
  const [prompt, document = prompt] = flags.blend.split(',').map(Number);
  if (![prompt, document].every((weight) => weight !== undefined && weight >= 0 && weight <= 1)) {
    console.error(
      `train: --blend takes one or two weights between 0 and 1 (prompt,document), got "${flags.blend}".`,
    );
    process.exit(2);
  }
  return { prompt: prompt!, document: document! };
})();
const trainOptions = {
  epochs: Number(flags.epochs),
  learningRate: Number(flags.rate),
  seed: SEED,
  smoothing: Number(flags.smoothing),
  dropout: Number(flags.dropout),
  l2: Number(flags.l2),
  embeddingInit: Number(flags['embedding-init']),
};
setFeatureSet(flags.features!.split(',') as FeatureKind[]);
if (flags.split !== 'source' && flags.split !== 'rows') {
  console.error(`train: --split is "source" or "rows", not "${flags.split}".`);
  process.exit(2);
}
// Thresholds come from leave-source-out folds only: row folds would set them on seen sources.
if (flags.split === 'rows' && !flags['cv-only']) {
  console.error('train: --split rows measures a configuration; use it with --cv-only.');
  process.exit(2);
}
const SOURCE_CAP = Number(flags['source-cap']);

/**
 * Benign user prompts the default threshold is held to: the bar's sets and the multilingual ones.
 * Deployers' own system prompts are trained on as benign but left out here: Warden scans what users
 * and tools send, not the operator's instructions (their false-positive rate is still reported).
 */
const PROMPT_THRESHOLD_SETS = [
  'wildguard-benign',
  'cyberseceval-frr',
  'cyberseceval-instruct',
  'xstest',
  'xsafety-role-play',
  'xsafety-commonsense',
  'xquad-questions',
  'codealpaca-tasks',
];
const TARGET_PROMPT_FPR = 0.01;
/** The benign prompt sets of the injection bar on dev (bench/detect.ts): for --split rows. */
const BAR_BENIGN_SETS = ['wildguard-benign', 'cyberseceval-frr', 'cyberseceval-instruct', 'xstest'];
const AUGMENTED_ATTACKS = 1500;
const OWN_WEIGHT = Number(flags['own-weight']);
const AUGMENTED_BENIGN = 1000;
const TARGET_DOCUMENT_FPR = 0.01;

/** Sample weights: each source counts at most SOURCE_CAP rows; attacks and benign weigh the same. */
function weighting(samples: readonly TextSample[]): (sample: TextSample) => number {
  const perSource = new Map<string, number>();
  for (const sample of samples)
    perSource.set(sample.source, (perSource.get(sample.source) ?? 0) + 1);
  // Our own examples are few and chosen for what the datasets lack: each counts as several rows.
  const base = (sample: TextSample) =>
    sample.source === 'own' ? OWN_WEIGHT : Math.min(1, SOURCE_CAP / perSource.get(sample.source)!);
  let benign = 0;
  let attack = 0;
  for (const sample of samples) {
    if (sample.label === 'benign') benign += base(sample);
    else attack += base(sample);
  }
  const attackScale = benign / attack;
  return (sample) => base(sample) * (sample.label === 'benign' ? 1 : attackScale);
}

function buildExamples(samples: readonly TextSample[]): WindowExample[] {
  const all = [...samples, ...augment(samples, SEED)];
  return toExamples(all, shape.buckets, weighting(all), 6, conceptShape.buckets);
}

/** Both networks, trained on the same windows: the surface one on every feature, the other on concepts. */
export interface Pair {
  surface: Network;
  concepts: Network;
}

function trainPair(examples: readonly WindowExample[]): Pair {
  return {
    surface: trainNetwork(examples, shape, trainOptions),
    concepts: trainNetwork(
      examples.map((example) => ({ ...example, features: example.conceptRows, conceptStart: 0 })),
      conceptShape,
      { ...trainOptions, epochs: Number(flags['concept-epochs']) },
    ),
  };
}

/**
 * Where the text sits: orders lifted from the training attacks are planted in benign documents
 * (indirect injection, with the planted span known), and benign questions are planted the same way
 * as negatives, so the model learns that a request inside data is not itself the attack — an order
 * addressed to the agent is. Uses only the samples it is given (the training folds).
 */
function augment(samples: readonly TextSample[], seed: number): TextSample[] {
  const random = createRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const documents = samples.filter(
    (sample) => sample.label === 'benign' && sample.kind !== 'input' && sample.text.length > 200,
  );
  const orders = samples.filter(
    (sample) =>
      sample.label !== 'benign' &&
      sample.label !== 'jailbreak' &&
      sample.text.length >= 20 &&
      sample.text.length <= 400,
  );
  const questions = samples.filter(
    (sample) => sample.label === 'benign' && sample.kind === 'input' && sample.text.length <= 300,
  );
  if (documents.length === 0 || orders.length === 0 || questions.length === 0) return [];
  const plant = (host: TextSample, planted: string): string => {
    const cut = host.text.indexOf('. ', Math.floor(random() * host.text.length));
    const at = cut < 0 ? host.text.length : cut + 2;
    return `${host.text.slice(0, at)}${planted} ${host.text.slice(at)}`;
  };
  const made: TextSample[] = [];
  for (let index = 0; index < AUGMENTED_ATTACKS; index++) {
    const host = pick(documents);
    const order = pick(orders).attackText ?? pick(orders).text;
    made.push({
      source: 'augmented',
      text: plant(host, order),
      kind: host.kind,
      label: 'indirect_injection',
      attackText: order,
    });
  }
  for (let index = 0; index < AUGMENTED_BENIGN; index++) {
    const host = pick(documents);
    made.push({
      source: 'augmented',
      text: plant(host, pick(questions).text),
      kind: host.kind,
      label: 'benign',
    });
  }
  return made;
}

interface SampleScores {
  /** The blended verdict, as the scanner computes it. */
  score: number;
  surface: number;
  concepts: number;
}

/** Attack scores of a sample (1 − P(benign)), strongest window: blended, and each network alone. */
function scoreSample(
  pair: Pair,
  examples: readonly WindowExample[],
  kind: TextSample['kind'],
): SampleScores {
  const best = { score: 0, surface: 0, concepts: 0 };
  const blended = new Float32Array(CLASSES.length);
  const weight = forSurface(BLEND, kind);
  for (const example of examples) {
    const surface = Float32Array.from(pair.surface.predict(example.features));
    const concepts = Float32Array.from(pair.concepts.predict(example.conceptRows));
    blendPredictions(surface, concepts, weight, blended);
    best.score = Math.max(best.score, 1 - blended[0]!);
    best.surface = Math.max(best.surface, 1 - surface[0]!);
    best.concepts = Math.max(best.concepts, 1 - concepts[0]!);
  }
  return best;
}

/** Every window the scanner may read in a sample: full windows, and the short ones of data. */
function windowsReadIn(sample: TextSample): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  const seen = new Set<string>();
  readWindows(sample.text.length, sample.kind, (start, end) => {
    if (!seen.has(`${start}:${end}`)) windows.push([start, end]);
    seen.add(`${start}:${end}`);
    return 1; // as if every window were suspect, so the short ones are listed too
  });
  return windows;
}

function groupBySample(examples: readonly WindowExample[]): Map<number, WindowExample[]> {
  const groups = new Map<number, WindowExample[]>();
  for (const example of examples) {
    const group = groups.get(example.sample);
    if (group === undefined) groups.set(example.sample, [example]);
    else group.push(example);
  }
  return groups;
}

function rocAuc(positives: number[], negatives: number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const sorted = [...negatives].sort((a, b) => a - b);
  let wins = 0;
  for (const score of positives) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid]! < score) low = mid + 1;
      else high = mid;
    }
    let equal = low;
    while (equal < sorted.length && sorted[equal] === score) equal++;
    wins += low + (equal - low) / 2;
  }
  return wins / (positives.length * negatives.length);
}

/** Smallest threshold whose false-positive rate on these benign scores is at most `target`. */
function thresholdAt(benignScores: number[], target: number): number {
  const sorted = [...benignScores].sort((a, b) => b - a);
  const allowed = Math.floor(sorted.length * target);
  // Flagged means score >= threshold; the threshold sits just above the (allowed+1)-th highest score.
  const boundary = sorted[allowed] ?? 0;
  return Math.min(0.999, boundary + 1e-6);
}

interface OutOfFold extends SampleScores {
  sample: TextSample;
}

function crossValidate(samples: TextSample[], own: TextSample[], folds: number): OutOfFold[] {
  const sources = [...new Set(samples.map((sample) => sample.source))].sort();
  // Attack-bearing sets are spread over folds first so each fold holds out different attack styles.
  const attackSources = sources.filter((source) =>
    samples.some((sample) => sample.source === source && sample.label !== 'benign'),
  );
  const benignSources = sources.filter((source) => !attackSources.includes(source));
  const foldOf = new Map<string, number>();
  for (const [index, source] of [...attackSources, ...benignSources].entries()) {
    foldOf.set(source, index % folds);
  }
  // --split rows: folds of random rows, every source in every fold. This measures the fit to the
  // sources the model has seen (as dev does), where leave-source-out measures the next source.
  const byRows = flags.split === 'rows';
  const random = createRandom(SEED ^ 0xf01d);
  const rowFold = samples.map(() => Math.floor(random() * folds));
  const inFold = (sample: TextSample, index: number, fold: number) =>
    (byRows ? rowFold[index] : foldOf.get(sample.source)) === fold;
  const results: OutOfFold[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const started = performance.now();
    const training = [
      ...samples.filter(
        (sample, index) => !inFold(sample, index, fold) && !NOT_TRAINED.has(sample.source),
      ),
      ...own,
    ];
    const heldOut = samples.filter((sample, index) => inFold(sample, index, fold));
    const pair = trainPair(buildExamples(training));
    // Scored as the scanner scores them (readWindows): every full window, then the short windows
    // of data that a full window finds suspect.
    const windowsOf = new Map(heldOut.map((sample) => [sample, windowsReadIn(sample)]));
    const heldExamples = toExamples(
      heldOut,
      shape.buckets,
      () => 1,
      Number.POSITIVE_INFINITY,
      conceptShape.buckets,
      (sample) => windowsOf.get(sample)!,
    );
    for (const [index, group] of groupBySample(heldExamples)) {
      const sample = heldOut[index]!;
      const exampleAt = new Map(
        windowsOf.get(sample)!.map(([from, to], at) => [`${from}:${to}`, group[at]!]),
      );
      const best = { score: 0, surface: 0, concepts: 0 };
      readWindows(sample.text.length, sample.kind, (start, end) => {
        let scores = scoreSample(pair, [exampleAt.get(`${start}:${end}`)!], sample.kind);
        // As the scanner does: a suspect prompt window is read again without its asides
        // (retractions, reported instructions, system prompts in general: withoutAsides), gated
        // at half the threshold.
        if (sample.kind === 'input' && scores.score >= MODEL_META.thresholds.prompt / 2) {
          const window = sample.text.slice(start, end);
          const rest = withoutAsides(window);
          if (rest !== window) {
            const again = toExamples(
              [{ source: sample.source, text: rest, kind: sample.kind, label: sample.label }],
              shape.buckets,
              () => 1,
              1,
              conceptShape.buckets,
              () => [[0, rest.length]],
            );
            scores = scoreSample(pair, again, sample.kind);
          }
        }
        best.score = Math.max(best.score, scores.score);
        best.surface = Math.max(best.surface, scores.surface);
        best.concepts = Math.max(best.concepts, scores.concepts);
        return scores.score;
      });
      results.push({ sample, ...best });
    }
    const names = byRows
      ? 'random rows'
      : sources.filter((source) => foldOf.get(source) === fold).join(', ');
    console.error(
      `fold ${fold + 1}/${folds} (${names}): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return results;
}

function format(value: number): string {
  return Number.isNaN(value) ? '–' : value.toFixed(3);
}

const reportLines: string[] = [];
/** Prints a report line and keeps it for bench/results/l2-cross-validation.md. */
function print(line: string): void {
  console.log(line);
  reportLines.push(line);
}

const isPrompt = (entry: OutOfFold) => entry.sample.kind === 'input';
/** Benign user prompts of these sets (harmful requests apart). */
const benignPromptIn = (sets: readonly string[]) => (entry: OutOfFold) =>
  entry.sample.label === 'benign' &&
  entry.sample.harmfulRequest !== true &&
  sets.includes(entry.sample.source);
/** The benign user prompts thresholds are set on. */
const isBenignPrompt = benignPromptIn(PROMPT_THRESHOLD_SETS);
/** Benign data; outputs are trained on as benign text but never read by the model at scan time. */
const isBenignDocument = (entry: OutOfFold) =>
  entry.sample.label === 'benign' &&
  (entry.sample.kind === 'tool_result' || entry.sample.kind === 'document');
const recallAt = (scores: number[], threshold: number) =>
  scores.filter((score) => score >= threshold).length / scores.length;

/**
 * One line per configuration to compare them by: attacks of every held-out set against the benign
 * prompt pool, and documents against benign documents, each at its own 1% operating point.
 */
function pooledLine(results: readonly OutOfFold[], key: keyof SampleScores): string {
  const scoresOf = (keep: (entry: OutOfFold) => boolean) =>
    results.filter(keep).map((entry) => entry[key]);
  const benignPrompts = scoresOf(isBenignPrompt);
  const benignDocuments = scoresOf(isBenignDocument);
  const attackPrompts = scoresOf((entry) => entry.sample.label !== 'benign' && isPrompt(entry));
  const attackDocuments = scoresOf((entry) => entry.sample.label !== 'benign' && !isPrompt(entry));
  const prompts = `prompts ROC-AUC ${format(rocAuc(attackPrompts, benignPrompts))}, recall ${format(recallAt(attackPrompts, thresholdAt(benignPrompts, TARGET_PROMPT_FPR)))} at 1% FPR`;
  const documents = `documents ROC-AUC ${format(rocAuc(attackDocuments, benignDocuments))}, recall ${format(recallAt(attackDocuments, thresholdAt(benignDocuments, TARGET_DOCUMENT_FPR)))} at 1% FPR`;
  return `${prompts}; ${documents}`;
}

function report(results: OutOfFold[]): PerSurface<number> {
  const promptBenign = results.filter(isBenignPrompt).map((entry) => entry.score);
  const documentBenign = results.filter(isBenignDocument).map((entry) => entry.score);
  const thresholds = {
    prompt: thresholdAt(promptBenign, TARGET_PROMPT_FPR),
    document: thresholdAt(documentBenign, TARGET_DOCUMENT_FPR),
  };
  const thresholdOf = (entry: OutOfFold) => forSurface(thresholds, entry.sample.kind);
  print(
    `\nOut-of-fold (leave-source-out) thresholds: prompt ${thresholds.prompt.toFixed(4)}, document ${thresholds.document.toFixed(4)}\n`,
  );
  print('| set | attacks | recall | benign | FPR | ROC-AUC |');
  print('|---|---|---|---|---|---|');
  const sources = [...new Set(results.map((entry) => entry.sample.source))].sort();
  for (const source of sources) {
    const rows = results.filter((entry) => entry.sample.source === source);
    const attacks = rows.filter((entry) => entry.sample.label !== 'benign');
    // Harmful requests are counted apart (below), not as this set's benign rows.
    const benign = rows.filter(
      (entry) => entry.sample.label === 'benign' && entry.sample.harmfulRequest !== true,
    );
    const recall =
      attacks.filter((entry) => entry.score >= thresholdOf(entry)).length / attacks.length;
    const fpr = benign.filter((entry) => entry.score >= thresholdOf(entry)).length / benign.length;
    const auc = rocAuc(
      attacks.map((entry) => entry.score),
      benign.map((entry) => entry.score),
    );
    print(
      `| ${source} | ${attacks.length} | ${format(recall)} | ${benign.length} | ${format(fpr)} | ${format(auc)} |`,
    );
  }
  const harmful = results.filter((entry) => entry.sample.harmfulRequest === true);
  if (harmful.length > 0) {
    const flagged = harmful.filter((entry) => entry.score >= thresholds.prompt).length;
    print(
      `\nHarmful requests (trained on as benign) read as attacks: ${flagged} of ${harmful.length} (${format(flagged / harmful.length)})`,
    );
  }
  if (flags.split === 'rows') {
    // The operating point that ships is set on held-out sources; on seen sources (dev) it is stricter.
    const at = Number(flags.at);
    const barBenign = results.filter(benignPromptIn(BAR_BENIGN_SETS)).map((entry) => entry.score);
    const directAttacks = results
      .filter(
        (entry) =>
          isPrompt(entry) &&
          entry.sample.label !== 'benign' &&
          entry.sample.label !== 'indirect_injection',
      )
      .map((entry) => entry.score);
    print(
      `\nAt prompt threshold ${at} (leave-source-out operating point): recall ${format(recallAt(directAttacks, at))} of prompt attacks, FPR ${format(recallAt(barBenign, at))} on ${BAR_BENIGN_SETS.join(', ')}`,
    );
  }
  print(`\nPooled: ${pooledLine(results, 'score')}`);
  // Each network alone: what the blend adds.
  print(`The surface network alone: ${pooledLine(results, 'surface')}`);
  print(`The concept network alone: ${pooledLine(results, 'concepts')}`);
  const langs = [
    ...new Set(results.flatMap((entry) => (entry.sample.lang ? [entry.sample.lang] : []))),
  ].sort();
  print('\n| lang | attacks | recall | benign | FPR |');
  print('|---|---|---|---|---|');
  for (const lang of langs) {
    const rows = results.filter((entry) => entry.sample.lang === lang);
    const attacks = rows.filter((entry) => entry.sample.label !== 'benign');
    const benign = rows.filter((entry) => entry.sample.label === 'benign');
    const recall =
      attacks.filter((entry) => entry.score >= thresholdOf(entry)).length / attacks.length;
    const fpr = benign.filter((entry) => entry.score >= thresholdOf(entry)).length / benign.length;
    print(
      `| ${lang} | ${attacks.length} | ${format(recall)} | ${benign.length} | ${format(fpr)} |`,
    );
  }
  return thresholds;
}

const directory = datasetsDirectory();
if (directory === null) {
  console.error('train: ../shared/datasets not found (set WARDEN_DATASETS); nothing to train on.');
  process.exit(2);
}
const samples = loadSamples(directory, 'train');
const own = ownSamples();
console.error(
  `train: ${samples.length} dataset samples, ${own.length} own examples, shape ${JSON.stringify(shape)}, concept network ${JSON.stringify(conceptShape)}, blend ${JSON.stringify(BLEND)}`,
);

let thresholds = { prompt: 0.5, document: 0.5 };
if (!flags['no-cv']) {
  const results = crossValidate(samples, own, Number(flags.folds));
  thresholds = report(results);
  if (flags['dump-oof'] !== undefined) {
    writeFileSync(
      flags['dump-oof'],
      results
        .map(({ sample, score, surface, concepts }) =>
          JSON.stringify({
            source: sample.source,
            label: sample.label,
            kind: sample.kind,
            lang: sample.lang,
            harmfulRequest: sample.harmfulRequest,
            score,
            surface,
            concepts,
            text: sample.text,
          }),
        )
        .join('\n'),
    );
    console.error(`wrote ${flags['dump-oof']}`);
  }
  // --cv-only is for experiments: it reports and leaves the committed tables as they are.
  if (!flags['cv-only']) {
    const out = resolve(import.meta.dirname, '../../bench/results/l2-cross-validation.md');
    writeFileSync(
      out,
      `# L2 leave-source-out cross-validation (train files, ${Number(flags.folds)} folds)\n\nSurface network ${JSON.stringify(shape)}, concept network ${JSON.stringify(conceptShape)}, blend ${JSON.stringify(BLEND)} (weight of the surface network, for prompts and for data); \`npm run train\`.\n${reportLines.join('\n')}\n`,
    );
    console.error(`wrote ${out}`);
  }
}
if (!flags['cv-only']) {
  const started = performance.now();
  const all = [...samples.filter((sample) => !NOT_TRAINED.has(sample.source)), ...own];
  const pair = trainPair(buildExamples(all));
  console.error(`final model: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const target = resolve(import.meta.dirname, '../../packages/scanner/src/l2/model-data.ts');
  // Signatures are attacks as written: located orders rather than the documents they were planted in.
  const signatureSamples = all
    .filter((sample) => sample.label !== 'benign')
    .map((sample) =>
      sample.attackText === undefined ? sample : { ...sample, text: sample.attackText },
    )
    .filter((sample) => sample.text.length <= 2048);
  const benignSamples = all.filter((sample, index) => sample.label === 'benign' && index % 3 === 0);
  exportModel(
    pair,
    {
      thresholds,
      classes: [...CLASSES],
      seed: SEED,
      blend: BLEND,
      signatureSamples,
      benignSamples,
    },
    target,
  );
  console.error(`wrote ${target}`);
}
