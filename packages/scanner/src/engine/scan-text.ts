import { findEncodedSegments } from '../normalize/decode.js';
import { foldText, mapSpan, type TextView } from '../normalize/fold.js';
import { CHARACTER_PASS, LEET_POSSIBLE, SPACED_POSSIBLE } from '../normalize/traits.js';
import { deleet, despace, rot13, type VariantView } from '../normalize/variants.js';
import type { RuleContext } from '../rules/rule.js';
import type { ScanError } from '../types.js';
import type { KeywordFilter, KeywordMatcher, RunSpec } from './aho-corasick.js';
import type { RulePack, TargetIndex } from './compile.js';

/** A rule match in the coordinates of the scanned text, before policy and presentation. */
export interface RuleMatch {
  ruleIndex: number;
  start: number;
  end: number;
  score: number;
  encodings: string[];
}

export interface TextScanOptions {
  /** How many layers of encoding (base64 inside URL-encoding...) are decoded and rescanned. */
  maxDecodeDepth: number;
}

/** Matches one rule may report in one text; beyond this the text is flagged anyway. */
const MAX_MATCHES_PER_RULE = 100;
/**
 * A regex never sees more than this many characters at once (longer ranges are cut into
 * overlapping slices), so even a pattern that is polynomial in its input stays linear in the
 * text's length. Matches are bounded far below this by the rules' own quantifiers.
 */
const MAX_SLICE = 4096;
/**
 * Validator calls one rule may make on one text. A flood of keyword look-alikes (a megabyte of
 * "ignore previous") would otherwise cost seconds; past this the rule is reported as failed,
 * which the policy's fail mode turns into a decision (closed by default), never a silent pass.
 */
const MAX_VALIDATIONS_PER_RULE = 5000;
const SLICE_OVERLAP = 512;
/** Verdicts remembered per rule and text (see `PatternRule.validateReach`). */
const MAX_REMEMBERED_VERDICTS = 1024;
/** Validations of one rule in one text before verdicts are remembered: ordinary text never gets there. */
const MEMO_AFTER = 64;

/** Primes below 2^26: a hash times a base stays an exact double. */
const HASH_MODULI = [67108859, 67108837, 67108819] as const;
const [MODULUS_A, MODULUS_B, MODULUS_C] = HASH_MODULI;
const [INVERSE_A, INVERSE_B, INVERSE_C] = HASH_MODULI.map((modulus) => 1 / modulus) as [
  number,
  number,
  number,
];
/** Random per process, so no one can build two neighbourhoods that hash alike on purpose. */
const [BASE_A, BASE_B, BASE_C] = HASH_MODULI.map(
  (modulus) => 256 + Math.floor(Math.random() * (modulus - 512)),
) as unknown as [number, number, number];

/**
 * `value % modulus` for a non-negative integer below 2^53, by multiplying with the inverse: the
 * quotient it gives is off by at most one, and the products stay exact. About three times
 * faster than `%` on doubles, which hashing every neighbourhood's text spent most of its time in.
 */
function reduce(value: number, modulus: number, inverse: number): number {
  const remainder = value - Math.floor(value * inverse) * modulus;
  if (remainder < 0) return remainder + modulus;
  return remainder >= modulus ? remainder - modulus : remainder;
}

/** BASE^n modulo each modulus, shared by every memo and grown as longer inputs come. */
let powers: [Float64Array, Float64Array, Float64Array] = [
  new Float64Array([1]),
  new Float64Array([1]),
  new Float64Array([1]),
];

function ensurePowers(length: number): void {
  if (powers[0].length > length) return;
  const size = Math.max(length + 1, powers[0].length * 2);
  const [a, b, c] = [new Float64Array(size), new Float64Array(size), new Float64Array(size)];
  a[0] = b[0] = c[0] = 1;
  for (let index = 1; index < size; index++) {
    a[index] = reduce(a[index - 1]! * BASE_A, MODULUS_A, INVERSE_A);
    b[index] = reduce(b[index - 1]! * BASE_B, MODULUS_B, INVERSE_B);
    c[index] = reduce(c[index - 1]! * BASE_C, MODULUS_C, INVERSE_C);
  }
  powers = [a, b, c];
}

/**
 * Verdicts keyed by what a validator with reach `reach` can see of a match: where the match sits
 * in its neighbourhood, whether the input's start or end is in view, and three polynomial hashes
 * of the neighbourhood, each read in constant time from prefix hashes of the input. Comparing
 * the text itself would cost the reach on every match of a flood.
 */
class VerdictMemo {
  /**
   * Remembered verdicts, bucketed by the first hash (a small integer, so the lookup hashes no
   * string); each entry holds the rest of its key. A string key cost building and hashing it
   * on every match of a flood, about as much as the validations the memo saves.
   */
  private readonly buckets = new Map<number, MemoEntry[]>();
  private size = 0;
  private input: string | null = null;
  private prefixes: [Float64Array, Float64Array, Float64Array] | null = null;
  /** The key of the last `get`, which `set` files its verdict under. */
  private readonly last: MemoEntry = {
    offset: 0,
    length: 0,
    width: 0,
    edges: 0,
    hashB: 0,
    hashC: 0,
    verdict: false,
  };
  private lastHashA = 0;

  constructor(private readonly reach: number) {}

  private prepare(input: string): [Float64Array, Float64Array, Float64Array] {
    if (input === this.input && this.prefixes !== null) return this.prefixes;
    this.input = input;
    const length = input.length;
    const a = new Float64Array(length + 1);
    const b = new Float64Array(length + 1);
    const c = new Float64Array(length + 1);
    let hashA = 0;
    let hashB = 0;
    let hashC = 0;
    for (let index = 0; index < length; index++) {
      const code = input.charCodeAt(index) + 1;
      hashA = reduce(hashA * BASE_A + code, MODULUS_A, INVERSE_A);
      hashB = reduce(hashB * BASE_B + code, MODULUS_B, INVERSE_B);
      hashC = reduce(hashC * BASE_C + code, MODULUS_C, INVERSE_C);
      a[index + 1] = hashA;
      b[index + 1] = hashB;
      c[index + 1] = hashC;
    }
    ensurePowers(length);
    this.prefixes = [a, b, c];
    return this.prefixes;
  }

  /** The verdict remembered for what the validator can see of `match`, if any. */
  get(match: RegExpExecArray): boolean | number | undefined {
    const input = match.input;
    const [a, b, c] = this.prepare(input);
    const end = match.index + match[0].length;
    const from = Math.max(0, match.index - this.reach);
    const to = Math.min(input.length, end + this.reach);
    const width = to - from;
    const key = this.last;
    key.offset = match.index - from;
    key.length = match[0].length;
    key.width = width;
    key.edges = (from === 0 ? 1 : 0) | (to === input.length ? 2 : 0);
    this.lastHashA = windowHash(a, powers[0], from, to, MODULUS_A, INVERSE_A);
    key.hashB = windowHash(b, powers[1], from, to, MODULUS_B, INVERSE_B);
    key.hashC = windowHash(c, powers[2], from, to, MODULUS_C, INVERSE_C);
    const bucket = this.buckets.get(this.lastHashA);
    if (bucket === undefined) return undefined;
    for (const entry of bucket) {
      if (
        entry.offset === key.offset &&
        entry.length === key.length &&
        entry.width === key.width &&
        entry.edges === key.edges &&
        entry.hashB === key.hashB &&
        entry.hashC === key.hashC
      ) {
        return entry.verdict;
      }
    }
    return undefined;
  }

  /** Remembers `verdict` for the match of the last `get`. */
  set(verdict: boolean | number): void {
    if (this.size >= MAX_REMEMBERED_VERDICTS) return;
    const entry = { ...this.last, verdict };
    const bucket = this.buckets.get(this.lastHashA);
    if (bucket === undefined) this.buckets.set(this.lastHashA, [entry]);
    else bucket.push(entry);
    this.size++;
  }
}

interface MemoEntry {
  offset: number;
  length: number;
  width: number;
  /** 1: the input's start is in view; 2: its end is. */
  edges: number;
  hashB: number;
  hashC: number;
  verdict: boolean | number;
}

/** The hash of `text[from, to)` from the prefix hashes of the text. */
function windowHash(
  prefix: Float64Array,
  power: Float64Array,
  from: number,
  to: number,
  modulus: number,
  inverse: number,
): number {
  const shifted = reduce(prefix[from]! * power[to - from]!, modulus, inverse);
  const hash = prefix[to]! - shifted;
  return hash < 0 ? hash + modulus : hash;
}

/** A fresh character pass for a keyword scan: encoded-token runs and variant flags. */
function characterRuns(): RunSpec {
  return {
    classes: CHARACTER_PASS.classes,
    transitions: CHARACTER_PASS.transitions,
    accepts: CHARACTER_PASS.accepts,
    minLength: CHARACTER_PASS.minRunLength,
    found: [],
    flags: 0,
  };
}

type Windows = Map<number, number[]>;

function addWindow(windows: Windows, ruleIndex: number, start: number, end: number): void {
  const list = windows.get(ruleIndex);
  if (list === undefined) {
    windows.set(ruleIndex, [start, end]);
    return;
  }
  const last = list.length - 1;
  if (list[last]! >= start) {
    list[last] = Math.max(list[last]!, end);
    list[last - 1] = Math.min(list[last - 1]!, start);
  } else {
    list.push(start, end);
  }
}

/** Detectors read the whole text: a keyword hit only wakes them, however many hits follow. */
const WHOLE_TEXT: number[] = [];
function wake(windows: Windows, ruleIndex: number): void {
  if (!windows.has(ruleIndex)) windows.set(ruleIndex, WHOLE_TEXT);
}

/**
 * The callback of a keyword pass: ids below `first`'s keyword count are its keywords, the next
 * ones `second`'s (the combined ASCII pass), any beyond are enciphered keywords. Every pass uses
 * a closure of this one function, so the matcher's call to it stays monomorphic and inlined: two
 * callbacks made the ASCII keyword floods slower after a text beyond ASCII (bench:speed).
 */
function keywordHits(
  pack: RulePack,
  length: number,
  first: TargetIndex,
  firstWindows: Windows,
  second: TargetIndex | null,
  secondWindows: Windows | null,
  found: { ciphered: boolean },
): (keywordId: number, end: number) => void {
  const firstCount = first.keywordLengths.length;
  const knownCount = firstCount + (second === null ? 0 : second.keywordLengths.length);
  return (keywordId: number, end: number) => {
    if (keywordId >= knownCount) {
      found.ciphered = true;
      return;
    }
    const isFirst = keywordId < firstCount;
    const index = isFirst ? first : second!;
    const id = isFirst ? keywordId : keywordId - firstCount;
    const windows = isFirst ? firstWindows : secondWindows!;
    const start = end - index.keywordLengths[id]!;
    for (const ruleIndex of index.keywordRules[id]!) {
      const width = pack.rules[ruleIndex]!.window;
      if (width === 0) {
        wake(windows, ruleIndex);
        continue;
      }
      addWindow(windows, ruleIndex, Math.max(0, start - width), Math.min(length, end + width));
    }
  };
}

/** Collects windows for keyword hits; returns whether an enciphered (ROT13) keyword occurred. */
function collectWindows(
  pack: RulePack,
  index: TargetIndex,
  matcher: KeywordMatcher,
  filter: KeywordFilter,
  text: string,
  windows: Windows,
  runs?: RunSpec,
  regions: readonly number[] = [0, text.length],
): boolean {
  const found = { ciphered: false };
  const onMatch = keywordHits(pack, text.length, index, windows, null, null, found);
  if (runs !== undefined) {
    matcher.scanWithRuns(text, onMatch, filter, runs);
    return found.ciphered;
  }
  for (let pair = 0; pair < regions.length; pair += 2) {
    matcher.scan(text, onMatch, filter, regions[pair], regions[pair + 1]);
  }
  return found.ciphered;
}

/**
 * The parts of a variant worth a keyword scan: `reach` around each change, merged. Elsewhere the
 * variant reads like the folded view, whose keyword hits have been followed already.
 */
function changedRegions(changes: readonly number[], length: number, reach: number): number[] {
  const regions: number[] = [];
  for (let pair = 0; pair < changes.length; pair += 2) {
    const start = Math.max(0, changes[pair]! - reach);
    const end = Math.min(length, changes[pair + 1]! + reach);
    const last = regions.length - 1;
    if (last > 0 && regions[last]! >= start) regions[last] = Math.max(regions[last]!, end);
    else regions.push(start, end);
  }
  return regions;
}

/** Cuts ranges longer than MAX_SLICE into overlapping slices (flat [from, to, from, to...]). */
function sliceRanges(ranges: readonly number[]): readonly number[] {
  let long = false;
  for (let pair = 0; pair < ranges.length; pair += 2) {
    if (ranges[pair + 1]! - ranges[pair]! > MAX_SLICE) long = true;
  }
  if (!long) return ranges;
  const slices: number[] = [];
  for (let pair = 0; pair < ranges.length; pair += 2) {
    const from = ranges[pair]!;
    const to = ranges[pair + 1]!;
    for (let start = from; ; start += MAX_SLICE - SLICE_OVERLAP) {
      const end = Math.min(to, start + MAX_SLICE);
      slices.push(start, end);
      if (end >= to) break;
    }
  }
  return slices;
}

class MatchCollector {
  readonly matches: RuleMatch[] = [];
  readonly errors: ScanError[] = [];
  private readonly failed = new Set<number>();

  constructor(
    private readonly pack: RulePack,
    private readonly context: RuleContext,
  ) {}

  run(
    ruleIndex: number,
    text: string,
    windows: number[] | null,
    view: TextView,
    encodings: string[],
  ): void {
    if (this.failed.has(ruleIndex)) return;
    const compiled = this.pack.rules[ruleIndex]!;
    const rule = compiled.rule;
    let count = 0;
    let validations = 0;
    // Only a flood needs the memo: it starts after the first MEMO_AFTER validations.
    let memo: VerdictMemo | undefined;
    const emit = (start: number, end: number, score: number) => {
      const span = mapSpan(view, start, end);
      this.matches.push({ ruleIndex, start: span.start, end: span.end, score, encodings });
      count++;
    };
    try {
      if (rule.type === 'detector') {
        for (const hit of rule.detect(text, this.context)) {
          if (count >= MAX_MATCHES_PER_RULE) break;
          emit(hit.start, hit.end, hit.score ?? compiled.score);
        }
        return;
      }
      const regex = compiled.regex!;
      const ranges = windows ?? [0, text.length];
      const slices = sliceRanges(ranges);
      for (let pair = 0; pair < slices.length && count < MAX_MATCHES_PER_RULE; pair += 2) {
        const from = slices[pair]!;
        const to = slices[pair + 1]!;
        const slice = from === 0 && to === text.length ? text : text.slice(from, to);
        regex.lastIndex = 0;
        for (let match = regex.exec(slice); match !== null; match = regex.exec(slice)) {
          if (match[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          let verdict: boolean | number = true;
          if (rule.validate !== undefined) {
            if (
              memo === undefined &&
              validations === MEMO_AFTER &&
              rule.type === 'pattern' &&
              rule.validateReach !== undefined
            ) {
              memo = new VerdictMemo(rule.validateReach);
            }
            const known = memo?.get(match);
            if (known !== undefined) {
              verdict = known;
            } else {
              if (++validations > MAX_VALIDATIONS_PER_RULE) {
                throw new Error(
                  `more than ${MAX_VALIDATIONS_PER_RULE} candidate matches in one text (a keyword flood)`,
                );
              }
              verdict = rule.validate(match, this.context);
              memo?.set(verdict);
            }
          }
          if (verdict !== false) {
            const score = typeof verdict === 'number' ? verdict : compiled.score;
            emit(from + match.index, from + match.index + match[0].length, score);
            if (count >= MAX_MATCHES_PER_RULE) break;
          }
        }
      }
    } catch (error) {
      this.failed.add(ruleIndex);
      this.errors.push({
        ruleId: rule.id,
        layer: 'l1',
        code: 'WARDEN_RULE_FAILED',
        message: `Rule "${rule.id}" failed to run: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  runTarget(
    index: TargetIndex,
    text: string,
    windows: Windows,
    view: TextView,
    encodings: string[],
    includeAlways = true,
  ): void {
    for (const [ruleIndex, ranges] of windows) {
      const rule = this.pack.rules[ruleIndex]!.rule;
      // Detectors with keywords read the whole text once any keyword is present.
      this.run(ruleIndex, text, rule.type === 'detector' ? null : ranges, view, encodings);
    }
    if (!includeAlways) return;
    for (const ruleIndex of index.alwaysRules) this.run(ruleIndex, text, null, view, encodings);
  }
}

const IDENTITY: TextView = { text: '', starts: null, ends: null };

/** Keeps one match per rule and overlapping span; plain matches win over decoded ones. */
function dedupe(matches: RuleMatch[]): RuleMatch[] {
  const kept: RuleMatch[] = [];
  const byRule = new Map<number, RuleMatch[]>();
  for (const match of matches) {
    const previous = byRule.get(match.ruleIndex);
    if (previous === undefined) {
      byRule.set(match.ruleIndex, [match]);
      kept.push(match);
      continue;
    }
    const overlapping = previous.find(
      (other) => other.start < match.end && match.start < other.end,
    );
    if (overlapping === undefined) {
      previous.push(match);
      kept.push(match);
    } else if (
      match.score > overlapping.score &&
      match.encodings.length <= overlapping.encodings.length
    ) {
      overlapping.score = match.score;
    }
  }
  return kept.sort((a, b) => a.start - b.start || a.ruleIndex - b.ruleIndex);
}

/**
 * Runs the applicable rules over one text: its raw and folded views, the de-obfuscated variants
 * of the folded view, and (to `maxDecodeDepth`) every encoded payload found inside it.
 */
export function scanText(
  pack: RulePack,
  text: string,
  context: RuleContext,
  applicable: Uint8Array,
  options: TextScanOptions,
  depth = 0,
): { matches: RuleMatch[]; errors: ScanError[] } {
  const collector = new MatchCollector(pack, context);
  const surface = pack.surface(applicable);
  const folded = foldText(text);
  const rawWindows: Windows = new Map();
  const foldedWindows: Windows = new Map();

  let ciphered = false;
  const decode = depth < options.maxDecodeDepth;
  let tokenRuns: number[] | undefined;
  // Which variants can exist; unknown (all bits) unless the keyword pass found out.
  let possible = LEET_POSSIBLE | SPACED_POSSIBLE;
  if (folded.starts === null) {
    // ASCII: folded is the lower-cased raw text, so one pass finds both targets' keywords, and
    // (the token class ignoring case) the runs that may be encoded payloads.
    const found = { ciphered: false };
    const onMatch = keywordHits(
      pack,
      text.length,
      surface.raw,
      rawWindows,
      surface.folded,
      foldedWindows,
      found,
    );
    if (decode) {
      const runs = characterRuns();
      pack.combinedMatcher.scanWithRuns(folded.text, onMatch, surface.combinedFilter, runs);
      tokenRuns = runs.found;
      possible = runs.flags;
    } else {
      pack.combinedMatcher.scan(folded.text, onMatch, surface.combinedFilter);
    }
    ciphered = found.ciphered;
  } else if (decode) {
    // Beyond ASCII the raw and folded views differ, so each gets its own keyword pass; those
    // passes still collect what the ASCII pass does: the encoded-token runs from the raw text
    // (where the payloads are decoded) and the variant flags from the folded view (where the
    // variants are made).
    const rawRuns = characterRuns();
    collectWindows(
      pack,
      surface.raw,
      pack.rawMatcher,
      surface.rawFilter,
      text,
      rawWindows,
      rawRuns,
    );
    tokenRuns = rawRuns.found;
    const foldedRuns = characterRuns();
    ciphered = collectWindows(
      pack,
      surface.folded,
      pack.foldedMatcher,
      surface.foldedFilter,
      folded.text,
      foldedWindows,
      foldedRuns,
    );
    possible = foldedRuns.flags;
  } else {
    collectWindows(pack, surface.raw, pack.rawMatcher, surface.rawFilter, text, rawWindows);
    ciphered = collectWindows(
      pack,
      surface.folded,
      pack.foldedMatcher,
      surface.foldedFilter,
      folded.text,
      foldedWindows,
    );
  }

  collector.runTarget(surface.raw, text, rawWindows, IDENTITY, []);
  collector.runTarget(surface.folded, folded.text, foldedWindows, folded, []);

  const variants: VariantView[] = [];
  const leet = (possible & LEET_POSSIBLE) === 0 ? null : deleet(folded);
  if (leet !== null) variants.push(leet);
  const spaced = (possible & SPACED_POSSIBLE) === 0 ? null : despace(folded);
  if (spaced !== null) variants.push(spaced);
  if (ciphered) variants.push(rot13(folded));
  for (const variant of variants) {
    const windows: Windows = new Map();
    collectWindows(
      pack,
      surface.folded,
      pack.foldedMatcher,
      surface.foldedFilter,
      variant.text,
      windows,
      undefined,
      variant.changes === undefined
        ? undefined
        : changedRegions(variant.changes, variant.text.length, pack.foldedReach),
    );
    // Keyword-less rules already saw the folded text; variants only re-check keyword hits.
    collector.runTarget(surface.folded, variant.text, windows, variant, [variant.encoding], false);
  }

  const matches = collector.matches;
  const errors = collector.errors;
  if (decode) {
    for (const segment of findEncodedSegments(text, tokenRuns)) {
      const inner = scanText(pack, segment.decoded, context, applicable, options, depth + 1);
      for (const match of inner.matches) {
        matches.push({
          ruleIndex: match.ruleIndex,
          start: segment.start,
          end: segment.end,
          score: match.score,
          encodings: [segment.encoding, ...match.encodings],
        });
      }
      errors.push(...inner.errors);
    }
  }
  return { matches: dedupe(matches), errors };
}
