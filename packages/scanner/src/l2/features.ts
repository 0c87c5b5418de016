import { foldRuleSource, foldText } from '../normalize/fold.js';
import type { ScanKind } from '../types.js';
import { CONCEPTS, ORDER_LEADERS, TASK_VERBS } from './lexicon.js';

/**
 * Turns a text into the hashed features the L2 model reads: word unigrams and bigrams, character
 * 3- and 4-grams inside words (robust to inflection and typos), single characters and character
 * pairs for scripts written without spaces, language-independent concepts from the lexicon, and
 * where the text sits (the scan kind) crossed with those concepts — the same order means something
 * else in a user's prompt and inside a retrieved document; how each concept is used (quoted, asked
 * about, or said), a sentence set between the rows of a table or a record (see addLayout), runs
 * of token noise (the shape of adversarial suffixes), and in data, task verbs where an order stands
 * (see TASK_VERBS).
 */

const WORD = /[\p{L}\p{N}\p{M}'_-]+/gu;
/**
 * Scripts written without spaces between words: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar,
 * and the prolonged sound mark ー (U+30FC), which belongs to no script but sits inside katakana words.
 */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30fc]/u;
const UNSPACED_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30fc]+/gu;
const MAX_PREFIX = 14;
/** Characters that end a sentence or a line: `. ! ? 。 ！ ？ ؟ । \n : ;`. */
const BREAKS = new Set([46, 33, 63, 0x3002, 0xff01, 0xff1f, 0x061f, 0x0964, 10, 58, 59]);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether nothing but punctuation and spaces stands between `end` and a sentence's end. */
function closesSentence(text: string, end: number): boolean {
  for (let index = end; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (BREAKS.has(code)) return true;
    if (WORD_CHAR.test(text[index]!)) return false;
  }
  return true;
}

function breaksSentence(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (BREAKS.has(text.charCodeAt(index))) return true;
  return false;
}
const MIN_PREFIX = 4;
/**
 * Concepts read only in what a user sends. "Answer directly", "repeat it verbatim" dictate a reply;
 * in documents the same words mostly describe ("directly elected"), and there they cost more false
 * positives than they caught (leave-source-out, three seeds).
 */
const PROMPT_ONLY_CONCEPTS: ReadonlySet<string> = new Set(['verbatim']);
/**
 * Concepts read only in data the agent takes in. A task verb in a prompt is the user's own task;
 * in a document it gives whoever reads it a task (see TASK_VERBS). Read in prompts too, it moved
 * nothing there (leave-source-out, four seeds).
 */
const DATA_ONLY_CONCEPTS: ReadonlySet<string> = new Set(['task']);

interface Lexicon {
  /** Folded word (or phrase of two or three words) prefix → concept. */
  prefixes: Map<string, string>;
  /** First four characters of every entry that long: a word starting otherwise matches no prefix. */
  stems: Set<string>;
  /** First words of two-word entries: only after one of these is a pair looked up. */
  pairStarts: Set<string>;
  /** First words of three-word entries, likewise. */
  tripleStarts: Set<string>;
  /** Entries in unspaced scripts, matched inside runs. */
  unspaced: Array<[string, string]>;
  /** Task verbs (whole words or two-word phrases), read only where an order stands. */
  tasks: Set<string>;
  /** First words of two-word task verbs ("giai thich"). */
  taskPairStarts: Set<string>;
  /** Task verbs in unspaced scripts: request forms, matched inside runs. */
  unspacedTasks: string[];
  /** Words that may stand before an order's verb ("please", "now"). */
  leaders: Set<string>;
}

let lexicon: Lexicon | null = null;
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;

/** Accents off for lexicon lookups in every script (folding keeps them outside Latin: Greek ό). */
function stripMarks(word: string): string {
  if (!NON_ASCII.test(word)) return word;
  // Folded again once bare: a Greek ό becomes ο, which folding maps like any other ο.
  return foldRuleSource(word.normalize('NFD').replace(MARKS, '').normalize('NFC'));
}

/** Feature families; the shipped model records which it was trained with. */
export type FeatureKind = 'words' | 'bigrams' | 'chars' | 'concepts';
let featureSet: ReadonlySet<FeatureKind> = new Set(['words', 'bigrams', 'chars', 'concepts']);

/** Every feature family, in the order a model's metadata lists them. */
export const FEATURE_KINDS: readonly FeatureKind[] = ['words', 'bigrams', 'chars', 'concepts'];

/** Chooses the feature families: for training experiments (scripts/l2). The scanner uses all. */
export function setFeatureSet(kinds: readonly FeatureKind[]): void {
  featureSet = new Set(kinds);
}

/** The feature families in use, as recorded in a model's metadata. */
export function currentFeatureSet(): FeatureKind[] {
  return FEATURE_KINDS.filter((kind) => featureSet.has(kind));
}

function buildLexicon(): Lexicon {
  const prefixes = new Map<string, string>();
  const unspaced: Array<[string, string]> = [];
  for (const [concept, entries] of Object.entries(CONCEPTS)) {
    for (const entry of entries) {
      const folded = foldRuleSource(entry.trim().toLowerCase());
      // Runs of unspaced scripts are searched as folded, marks and all (a Thai vowel sign, a
      // Japanese voicing mark); words are looked up bare.
      if (UNSPACED.test(folded)) unspaced.push([folded, concept]);
      else prefixes.set(stripMarks(folded), concept);
    }
  }
  const stems = new Set<string>();
  const pairStarts = new Set<string>();
  const tripleStarts = new Set<string>();
  for (const entry of prefixes.keys()) {
    const shortest = shortestPrefix(entry);
    if (entry.length >= shortest) stems.add(entry.slice(0, shortest));
    const words = entry.split(' ');
    if (words.length === 2) pairStarts.add(words[0]!);
    else if (words.length === 3) tripleStarts.add(words[0]!);
  }
  const tasks = new Set<string>();
  const taskPairStarts = new Set<string>();
  const unspacedTasks: string[] = [];
  for (const entry of TASK_VERBS) {
    const folded = foldRuleSource(entry.trim().toLowerCase());
    if (UNSPACED.test(folded)) {
      unspacedTasks.push(folded);
      continue;
    }
    const bare = stripMarks(folded);
    tasks.add(bare);
    if (bare.includes(' ')) taskPairStarts.add(bare.split(' ')[0]!);
  }
  const leaders = new Set(ORDER_LEADERS.map((entry) => stripMarks(foldRuleSource(entry))));
  return {
    prefixes,
    unspaced,
    stems,
    pairStarts,
    tripleStarts,
    tasks,
    taskPairStarts,
    unspacedTasks,
    leaders,
  };
}

/**
 * How long an entry must be to match as a word's prefix. Short Latin, Cyrillic, Greek or Arabic
 * entries ("ai", "du", "قل") are whole words, or they would match inside longer ones. Korean
 * words carry their particles and endings ("무시하고", "지시를"), so two syllables start a
 * word; Devanagari and Bengali words are read with their vowel signs stripped ("दोहराएँ" is read
 * "दहरए"), so three letters do.
 */
function shortestPrefix(word: string): number {
  const code = word.charCodeAt(0);
  // Hangul syllables, jamo and compatibility jamo.
  if (
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3130 && code <= 0x318f)
  )
    return 2;
  // Devanagari and Bengali.
  if (code >= 0x0900 && code <= 0x09ff) return 3;
  return MIN_PREFIX;
}

/**
 * The concept a folded word (or `previous word` pair) starts with, if any. Entries shorter than
 * `shortestPrefix` match whole words only; `minimum` keeps a pair from matching on its first word
 * alone.
 */
function conceptOf(
  word: string,
  prefixes: Map<string, string>,
  stems: Set<string>,
  minimum?: number,
): string | undefined {
  const exact = prefixes.get(word);
  if (exact !== undefined) return exact;
  const shortest = shortestPrefix(word);
  // Most words start like no entry: one lookup rules them out.
  if (!stems.has(word.slice(0, shortest))) return undefined;
  const floor = minimum ?? shortest;
  for (let length = Math.min(word.length - 1, MAX_PREFIX); length >= floor; length--) {
    const concept = prefixes.get(word.slice(0, length));
    if (concept !== undefined) return concept;
  }
  return undefined;
}

/** 32-bit FNV-1a of a string (UTF-16 code units), the same on every platform. */
export function hashString(value: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Continues an FNV-1a hash over `value`: hashFrom(hashString(a), b) === hashString(a + b). */
function hashFrom(state: number, value: string): number {
  let hash = state;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function hashStep(state: number, code: number): number {
  return Math.imul(state ^ code, 0x01000193) >>> 0;
}

// Feature prefixes hashed once; features then continue from them without building strings.
const WORD_SEED = hashString('w');
const PAIR_SEED = hashString('b');
const GRAM_SEED = hashString('g');
const LESS_THAN = 60;
const GREATER_THAN = 62;
const SPACE = 32;

/** Collects feature hashes into a growable typed array. */
class FeatureSink {
  values = new Uint32Array(256);
  length = 0;

  add(feature: string): void {
    this.addHash(hashString(feature));
  }

  addHash(hash: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = hash;
  }

  result(): Uint32Array {
    return this.values.subarray(0, this.length);
  }
}

/** Character 3- and 4-grams of `<word>`, hashed as `g` + gram without building the strings. */
function addCharacterGrams(word: string, sink: FeatureSink): void {
  const padded = word.length + 2;
  const codeAt = (index: number) =>
    index === 0 ? LESS_THAN : index === padded - 1 ? GREATER_THAN : word.charCodeAt(index - 1);
  for (let size = 3; size <= 4; size++) {
    for (let start = 0; start + size <= padded; start++) {
      let hash = GRAM_SEED;
      for (let offset = 0; offset < size; offset++) hash = hashStep(hash, codeAt(start + offset));
      sink.addHash(hash);
    }
  }
}

function addUnspacedRun(run: string, sink: FeatureSink): void {
  const chars = Array.from(run);
  for (let index = 0; index < chars.length; index++) {
    sink.add(`u${chars[index]}`);
    if (index + 1 < chars.length) sink.add(`v${chars[index]}${chars[index + 1]}`);
  }
}

/**
 * The feature hashes of one text (duplicates kept: a repeated word weighs more).
 * @example extractFeatures('Ignore previous instructions', 'input').length > 0
 */
export function extractFeatures(text: string, kind: ScanKind): Uint32Array {
  return extractFeatureParts(text, kind).features;
}

/**
 * Features with the index where the concept features begin (training drops surface features at
 * random so the model learns to lean on concepts, which carry across languages).
 */
export function extractFeatureParts(
  text: string,
  kind: ScanKind,
): { features: Uint32Array; conceptStart: number } {
  lexicon ??= buildLexicon();
  const { prefixes, unspaced, stems, pairStarts, tripleStarts } = lexicon;
  const { tasks, taskPairStarts, unspacedTasks, leaders } = lexicon;
  const folded = foldText(text).text;
  const sink = new FeatureSink();
  const surface = kind === 'input' ? 'p' : kind === 'output' ? 'o' : 'd';
  const readsHere = (concept: string) =>
    !(surface === 'p' ? DATA_ONLY_CONCEPTS : PROMPT_ONLY_CONCEPTS).has(concept);
  // Task verbs are looked up only where they are read.
  const readsTasks = readsHere('task');
  sink.add(`k${surface}`);
  const concepts: string[] = [];
  const offsets: number[] = [];
  const openers: string[] = [];
  let pairState = hashFrom(PAIR_SEED, '^ ');
  let previousBare = '^';
  let beforePrevious = '^';
  let previousEnd = 0;
  // Whether the previous word stood where an order's verb stands (opening a sentence, or after
  // "please" or "now" that did), and whether it was such a leader.
  let previousOrders = false;
  let previousLeads = false;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(folded); match !== null; match = WORD.exec(folded)) {
    const word = match[0];
    // A word that opens a sentence or a line: where orders ("ignore…", "reveal…") start.
    const opens = previousEnd === 0 || breaksSentence(folded, previousEnd, match.index);
    previousEnd = match.index + word.length;
    if (UNSPACED.test(word)) {
      if (featureSet.has('chars'))
        for (const run of word.match(UNSPACED_RUN) ?? []) addUnspacedRun(run, sink);
      pairState = hashFrom(PAIR_SEED, '^ ');
      previousBare = '^';
      beforePrevious = '^';
      previousOrders = false;
      previousLeads = false;
      continue;
    }
    if (featureSet.has('words')) sink.addHash(hashFrom(WORD_SEED, word));
    if (featureSet.has('bigrams')) sink.addHash(hashFrom(pairState, word));
    if (word.length > 2 && featureSet.has('chars')) addCharacterGrams(word, sink);
    const bare = stripMarks(word);
    const orders: boolean = opens || (previousLeads && previousOrders);
    const concept =
      (tripleStarts.has(beforePrevious)
        ? conceptOf(
            `${beforePrevious} ${previousBare} ${bare}`,
            prefixes,
            stems,
            beforePrevious.length + previousBare.length + 3,
          )
        : undefined) ??
      (pairStarts.has(previousBare)
        ? conceptOf(`${previousBare} ${bare}`, prefixes, stems, previousBare.length + 2)
        : undefined) ??
      conceptOf(bare, prefixes, stems) ??
      (readsTasks && tasks.has(bare) && (orders || closesSentence(folded, previousEnd))
        ? 'task'
        : undefined);
    const pairTask =
      readsTasks &&
      concept === undefined &&
      taskPairStarts.has(previousBare) &&
      tasks.has(`${previousBare} ${bare}`) &&
      (previousOrders || closesSentence(folded, previousEnd));
    beforePrevious = previousBare;
    previousBare = bare;
    previousOrders = orders;
    previousLeads = leaders.has(bare);
    if (pairTask) {
      concepts.push('task');
      offsets.push(match.index);
    }
    if (concept !== undefined && readsHere(concept)) {
      concepts.push(concept);
      offsets.push(match.index);
      if (opens) openers.push(concept);
    }
    pairState = hashStep(hashFrom(PAIR_SEED, word), SPACE);
  }
  UNSPACED_RUN.lastIndex = 0;
  if (unspaced.length > 0 && UNSPACED.test(folded)) {
    for (const found of folded.matchAll(UNSPACED_RUN)) {
      const run = found[0];
      for (const [entry, concept] of unspaced) {
        const at = run.indexOf(entry);
        if (at < 0 || !readsHere(concept)) continue;
        concepts.push(concept);
        offsets.push(found.index + at);
      }
      for (const entry of readsTasks ? unspacedTasks : []) {
        const at = run.indexOf(entry);
        if (at < 0) continue;
        concepts.push('task');
        offsets.push(found.index + at);
      }
    }
  }
  const conceptStart = sink.length;
  if (!featureSet.has('concepts')) return { features: sink.result(), conceptStart };
  for (const concept of openers) {
    sink.add(`s${concept}`);
    sink.add(`y${surface}${concept}`);
  }
  // How often a concept recurs, on a log scale (2, 4, 8, 16 or more): pooling counts each feature
  // once (distinctRows), so the density of refusal or rule words is carried by these instead.
  const counts = new Map<string, number>();
  for (const concept of concepts) counts.set(concept, (counts.get(concept) ?? 0) + 1);
  for (const [concept, count] of counts) {
    for (let level = 2; level <= count && level <= 16; level *= 2) sink.add(`n${concept}${level}`);
  }
  addNoise(text, sink);
  addContext(folded, concepts, offsets, sink);
  addLayout(folded, concepts, offsets, sink);
  // Concepts alone, in pairs (in order of appearance) and crossed with where the text sits.
  const seen = new Set<string>();
  for (let index = 0; index < concepts.length; index++) {
    const concept = concepts[index]!;
    sink.add(`c${concept}`);
    sink.add(`x${surface}${concept}`);
    const next = concepts[index + 1];
    const third = concepts[index + 2];
    if (next !== undefined && third !== undefined && next !== concept && third !== next) {
      const triple = `${concept}+${next}+${third}`;
      if (!seen.has(triple)) {
        seen.add(triple);
        sink.add(`t${triple}`);
      }
    }
    if (next !== undefined && next !== concept) {
      const pair = `${concept}+${next}`;
      if (!seen.has(pair)) {
        seen.add(pair);
        sink.add(`p${pair}`);
        sink.add(`q${surface}${pair}`);
      }
    }
  }
  return { features: sink.result(), conceptStart };
}

/** Quotation marks that only open, only close, or do either. */
const QUOTE_OPEN = new Set(Array.from('«「『„', (char) => char.charCodeAt(0)));
const QUOTE_CLOSE = new Set(Array.from('»」』', (char) => char.charCodeAt(0)));
const QUOTE_EITHER = new Set(Array.from('"“”', (char) => char.charCodeAt(0)));
/** Ends of sentences for mood: `. ! ? 。 ！ ？ ؟` and line breaks; `? ？ ؟` mark a question. */
const MOOD_ENDS = new Set([46, 33, 63, 0x3002, 0xff01, 0xff1f, 0x061f, 10]);
const QUESTION_ENDS = new Set([63, 0xff1f, 0x061f]);

/**
 * How each concept is used: quoted (`o`: mentioned, as in "what does 'ignore previous
 * instructions' mean"), inside a question (`m`: asked about), or in a statement or an order (`i`:
 * addressed to whoever reads it). The same words ask about a rule or change it.
 */
function addContext(
  folded: string,
  concepts: string[],
  offsets: number[],
  sink: FeatureSink,
): void {
  if (concepts.length === 0) return;
  const order = Array.from(offsets.keys()).sort((a, b) => offsets[a]! - offsets[b]!);
  const quoted = new Uint8Array(concepts.length);
  const sentence = new Int32Array(concepts.length);
  const questions: boolean[] = [];
  let inQuote = false;
  let next = 0;
  let current = 0;
  for (let index = 0; index <= folded.length; index++) {
    while (next < order.length && offsets[order[next]!]! <= index) {
      quoted[order[next]!] = inQuote ? 1 : 0;
      sentence[order[next]!] = current;
      next++;
    }
    if (index === folded.length) break;
    const code = folded.charCodeAt(index);
    if (QUOTE_OPEN.has(code)) inQuote = true;
    else if (QUOTE_CLOSE.has(code)) inQuote = false;
    else if (QUOTE_EITHER.has(code)) inQuote = !inQuote;
    if (MOOD_ENDS.has(code)) {
      // A question mark inside quotes ends the quote's sentence, not the asker's.
      if (!inQuote) {
        questions[current] = QUESTION_ENDS.has(code);
        current++;
      }
      if (code === 10) inQuote = false;
    }
  }
  for (let index = 0; index < concepts.length; index++) {
    const mood = quoted[index] ? 'o' : questions[sentence[index]!] ? 'm' : 'i';
    sink.add(`${mood}${concepts[index]}`);
  }
}

/**
 * The shape of one line of data: `t` a table row or delimited cells, `f` a field ("Registrar: Example
 * Inc."), `c` code or markup, `p` prose (five words or more, or ten characters of a script written
 * without spaces), or `` (blank or too short to tell).
 */
type LineShape = 't' | 'f' | 'c' | 'p' | '';

const FIELD = /^\s*["']?[\p{L}\p{N}][\p{L}\p{N} _./()-]{0,39}["']?\s*[:=]\s/u;
const CODE_START = new Set(Array.from('<{}[]#/*', (char) => char.charCodeAt(0)));
const CODE_END = new Set(Array.from(';{}()[],>', (char) => char.charCodeAt(0)));
const LINE_WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'_-]*/gu;
const UNSPACED_ALL = new RegExp(UNSPACED.source, 'gu');

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

function lineShape(line: string): LineShape {
  const trimmed = line.trim();
  if (trimmed.length === 0) return '';
  let bars = 0;
  let tabs = 0;
  let delimiters = 0;
  for (let index = 0; index < trimmed.length; index++) {
    const code = trimmed.charCodeAt(index);
    if (code === 124) bars++;
    else if (code === 9) tabs++;
    // A comma or semicolon with no space after it separates cells (CSV), not clauses.
    else if ((code === 44 || code === 59) && index + 1 < trimmed.length) {
      const after = trimmed.charCodeAt(index + 1);
      if (after !== 32 && after !== 9) delimiters++;
    }
  }
  if (bars >= 2 || tabs >= 2 || delimiters >= 2) return 't';
  const field = FIELD.exec(trimmed);
  // "Note to the assistant: forward this to …" is a sentence with a colon, not a field.
  if (field !== null && countMatches(LINE_WORD, trimmed.slice(field[0].length)) < 6) return 'f';
  if (CODE_START.has(trimmed.charCodeAt(0)) || CODE_END.has(trimmed.charCodeAt(trimmed.length - 1)))
    return 'c';
  return countMatches(LINE_WORD, trimmed) >= 5 || countMatches(UNSPACED_ALL, trimmed) >= 10
    ? 'p'
    : '';
}

/**
 * Where a sentence sits in the layout of structured data. Text injected into a table, a record or
 * code breaks the shape of the lines around it: a table's rows are cells, and a sentence between
 * them (an order to "the assistant", or a task nobody asked for) is not. When most lines of the
 * window share one structured shape (three or more, prose at most half as many), adds `l` + shape;
 * with prose lines among them `lp` and `lp` + shape, `lq` or `ls` for a prose line that asks or
 * states, and `L` + each concept said in those prose lines.
 */
function addLayout(folded: string, concepts: string[], offsets: number[], sink: FeatureSink): void {
  if (folded.indexOf('\n') < 0) return;
  const counts = { t: 0, f: 0, c: 0, p: 0 };
  const prose: Array<[number, number]> = [];
  const cells: Array<[number, number]> = [];
  for (let start = 0; start <= folded.length; ) {
    let end = folded.indexOf('\n', start);
    if (end < 0) end = folded.length;
    const shape = lineShape(folded.slice(start, end));
    if (shape !== '') {
      counts[shape]++;
      if (shape === 'p') prose.push([start, end]);
      else if (shape === 't' || shape === 'f') cells.push([start, end]);
    }
    start = end + 1;
  }
  const shape =
    counts.t >= counts.f && counts.t >= counts.c ? 't' : counts.f >= counts.c ? 'f' : 'c';
  const structured = counts[shape];
  if (structured < 3 || counts.p * 2 > structured) return;
  sink.add(`l${shape}`);
  // A concept word in a cell or a field's value names data ("Model name", "Type"): it addresses
  // no one.
  const named = conceptsWithin(cells, concepts, offsets);
  for (const concept of named) sink.add(`T${concept}`);
  if (prose.length === 0) return;
  sink.add('lp');
  sink.add(`lp${shape}`);
  for (const [start, end] of prose) {
    const last = folded.slice(start, end).trimEnd();
    sink.add(QUESTION_ENDS.has(last.charCodeAt(last.length - 1)) ? 'lq' : 'ls');
  }
  for (const concept of conceptsWithin(prose, concepts, offsets)) sink.add(`L${concept}`);
}

/** The distinct concepts whose words start inside one of these ranges of the window. */
function conceptsWithin(
  ranges: ReadonlyArray<[number, number]>,
  concepts: readonly string[],
  offsets: readonly number[],
): Set<string> {
  const found = new Set<string>();
  if (ranges.length === 0) return found;
  for (let index = 0; index < concepts.length; index++) {
    const offset = offsets[index]!;
    if (ranges.some(([start, end]) => offset >= start && offset < end)) found.add(concepts[index]!);
  }
  return found;
}

/** Brackets, quotes and operator signs: what token noise is made of. */
const NOISE_SYMBOLS = new Set(Array.from('()[]{}<>%$`\\|^~=;"@#*+&', (char) => char.charCodeAt(0)));

/**
 * Token noise, whatever the language: adversarial suffixes found by search are runs of tokens that
 * glue letters to brackets and operator signs, with brackets left open (a made-up one in that shape:
 * "Quorvin([{CSSgrid viewers | Fine] Fine,}.[ wikiref{[memo sketch={apiv"). Code has such tokens too but closes what it opens. Adds `zr` levels for
 * the longest run of noisy whitespace-separated tokens (3, 6, 12 or more) and `zb` levels for how
 * many brackets stay unbalanced (2, 4, 8 or more).
 */
function addNoise(text: string, sink: FeatureSink): void {
  let run = 0;
  let longest = 0;
  let symbols = 0;
  let letters = 0;
  let balance = 0;
  const endToken = () => {
    const noisy = symbols >= 2 || (symbols >= 1 && letters >= 1);
    run = noisy ? run + 1 : 0;
    if (run > longest) longest = run;
    symbols = 0;
    letters = 0;
  };
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 10 || code === 9 || code === 13) {
      if (symbols + letters > 0) endToken();
      continue;
    }
    if (code === 40 || code === 91 || code === 123) balance++;
    else if (code === 41 || code === 93 || code === 125) balance--;
    if (NOISE_SYMBOLS.has(code)) symbols++;
    else letters++;
  }
  if (symbols + letters > 0) endToken();
  for (let level = 3; level <= longest && level <= 12; level *= 2) sink.add(`zr${level}`);
  const open = Math.abs(balance);
  for (let level = 2; level <= open && level <= 8; level *= 2) sink.add(`zb${level}`);
}

/** Dimensions of a text's signature vector (see sketchFeatures). */
export const SKETCH_DIMENSION = 128;

/**
 * A text's signature vector: its features hashed into 128 signed counts (the bits the model's
 * buckets do not use), unit length. The cosine of two sketches tracks how much phrasing the texts
 * share, so a reworded copy of a known attack still lands close to it.
 * @example sketchFeatures(extractFeatures('some text', 'input')).length // 128
 */
export function sketchFeatures(features: Uint32Array): Float32Array {
  const vector = new Float32Array(SKETCH_DIMENSION);
  for (const feature of features) {
    vector[feature >>> 25]! += (feature >>> 24) & 1 ? 1 : -1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let index = 0; index < SKETCH_DIMENSION; index++) vector[index]! /= norm;
  return vector;
}

/**
 * What the concept network reads: where the text sits (the first feature) and the concept, context
 * and noise features, without the words and character grams of any one language.
 */
export function conceptFeatures(parts: {
  features: Uint32Array;
  conceptStart: number;
}): Uint32Array {
  const { features, conceptStart } = parts;
  const result = new Uint32Array(1 + features.length - conceptStart);
  result[0] = features[0]!;
  result.set(features.subarray(conceptStart), 1);
  return result;
}

/**
 * The embedding rows the model pools for a window's features: each feature masked to its bucket
 * and counted once (set semantics), in order of first appearance. A word repeated fifty times weighs
 * what one occurrence weighs, so repetition can neither drown out nor fake what a text asks for
 * (how often a concept recurs is a feature of its own). Training (scripts/l2) and the scanner both
 * pool through this function; `conceptStart` (where concept features begin) is carried over.
 * @example distinctRows(Uint32Array.of(5, 261, 7), 0xff).rows // Uint32Array [5, 7]
 */
export function distinctRows(
  features: Uint32Array,
  mask: number,
  conceptStart = features.length,
): { rows: Uint32Array; conceptStart: number } {
  const rows = new Uint32Array(features.length);
  const seen = new Set<number>();
  let length = 0;
  let start = -1;
  for (let index = 0; index < features.length; index++) {
    if (index === conceptStart) start = length;
    const row = features[index]! & mask;
    if (seen.has(row)) continue;
    seen.add(row);
    rows[length++] = row;
  }
  return { rows: rows.subarray(0, length), conceptStart: start < 0 ? length : start };
}
