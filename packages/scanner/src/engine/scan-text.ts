import { findEncodedSegments } from '../normalize/decode.js';
import { foldText, mapSpan, type TextView } from '../normalize/fold.js';
import { CHARACTER_PASS, LEET_POSSIBLE, SPACED_POSSIBLE } from '../normalize/traits.js';
import { deleet, despace, rot13, type VariantView } from '../normalize/variants.js';
import type { RuleContext } from '../rules/rule.js';
import type { ScanError } from '../types.js';
import type { KeywordFilter, KeywordMatcher } from './aho-corasick.js';
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
/** Random per process, so no one can build two neighbourhoods that hash alike on purpose. */
const HASH_BASES = HASH_MODULI.map((modulus) => 256 + Math.floor(Math.random() * (modulus - 512)));

/**
 * Verdicts keyed by what a validator with reach `reach` can see of a match: where the match sits
 * in its neighbourhood, whether the input's start or end is in view, and three polynomial hashes
 * of the neighbourhood, each read in constant time from prefix hashes of the input. Comparing
 * the text itself would cost the reach on every match of a flood.
 */
class VerdictMemo {
  private readonly verdicts = new Map<string, boolean | number>();
  private input: string | null = null;
  private prefixes: Float64Array[] = [];
  private powers: Float64Array[] = [];

  constructor(private readonly reach: number) {}

  private prepare(input: string): void {
    if (input === this.input) return;
    this.input = input;
    const length = input.length;
    this.prefixes = HASH_MODULI.map((modulus, which) => {
      const base = HASH_BASES[which]!;
      const prefix = new Float64Array(length + 1);
      for (let index = 0; index < length; index++) {
        prefix[index + 1] = (prefix[index]! * base + input.charCodeAt(index) + 1) % modulus;
      }
      return prefix;
    });
    if ((this.powers[0]?.length ?? 0) <= length) {
      this.powers = HASH_MODULI.map((modulus, which) => {
        const base = HASH_BASES[which]!;
        const power = new Float64Array(length + 1);
        power[0] = 1;
        for (let index = 1; index <= length; index++)
          power[index] = (power[index - 1]! * base) % modulus;
        return power;
      });
    }
  }

  key(match: RegExpExecArray): string {
    const input = match.input;
    this.prepare(input);
    const end = match.index + match[0].length;
    const from = Math.max(0, match.index - this.reach);
    const to = Math.min(input.length, end + this.reach);
    let key = `${from === 0 ? '^' : ''}${to === input.length ? '$' : ''}${match.index - from}:${match[0].length}:${to - from}`;
    for (let which = 0; which < HASH_MODULI.length; which++) {
      const modulus = HASH_MODULI[which]!;
      const prefix = this.prefixes[which]!;
      const shifted = (prefix[from]! * this.powers[which]![to - from]!) % modulus;
      key += `:${(prefix[to]! - shifted + modulus) % modulus}`;
    }
    return key;
  }

  get(key: string): boolean | number | undefined {
    return this.verdicts.get(key);
  }

  set(key: string, verdict: boolean | number): void {
    if (this.verdicts.size < MAX_REMEMBERED_VERDICTS) this.verdicts.set(key, verdict);
  }
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

/** Collects windows for keyword hits; returns whether an enciphered (ROT13) keyword occurred. */
function collectWindows(
  pack: RulePack,
  index: TargetIndex,
  matcher: KeywordMatcher,
  filter: KeywordFilter,
  text: string,
  windows: Windows,
  regions: readonly number[] = [0, text.length],
): boolean {
  const keywordCount = index.keywordLengths.length;
  let ciphered = false;
  const onMatch = (keywordId: number, end: number) => {
    if (keywordId >= keywordCount) {
      ciphered = true;
      return;
    }
    const start = end - index.keywordLengths[keywordId]!;
    for (const ruleIndex of index.keywordRules[keywordId]!) {
      const width = pack.rules[ruleIndex]!.window;
      if (width === 0) {
        wake(windows, ruleIndex);
        continue;
      }
      addWindow(windows, ruleIndex, Math.max(0, start - width), Math.min(text.length, end + width));
    }
  };
  for (let pair = 0; pair < regions.length; pair += 2) {
    matcher.scan(text, onMatch, filter, regions[pair], regions[pair + 1]);
  }
  return ciphered;
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
            const key = memo?.key(match);
            const known = key === undefined ? undefined : memo?.get(key);
            if (known !== undefined) {
              verdict = known;
            } else {
              if (++validations > MAX_VALIDATIONS_PER_RULE) {
                throw new Error(
                  `more than ${MAX_VALIDATIONS_PER_RULE} candidate matches in one text (a keyword flood)`,
                );
              }
              verdict = rule.validate(match, this.context);
              if (key !== undefined) memo?.set(key, verdict);
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
    const rawCount = surface.raw.keywordLengths.length;
    const knownCount = rawCount + surface.folded.keywordLengths.length;
    const onMatch = (keywordId: number, end: number) => {
      if (keywordId >= knownCount) {
        ciphered = true;
        return;
      }
      const isRaw = keywordId < rawCount;
      const index = isRaw ? surface.raw : surface.folded;
      const id = isRaw ? keywordId : keywordId - rawCount;
      const windows = isRaw ? rawWindows : foldedWindows;
      const start = end - index.keywordLengths[id]!;
      for (const ruleIndex of index.keywordRules[id]!) {
        const width = pack.rules[ruleIndex]!.window;
        if (width === 0) {
          wake(windows, ruleIndex);
          continue;
        }
        addWindow(
          windows,
          ruleIndex,
          Math.max(0, start - width),
          Math.min(text.length, end + width),
        );
      }
    };
    if (decode) {
      const runs = {
        classes: CHARACTER_PASS.classes,
        transitions: CHARACTER_PASS.transitions,
        accepts: CHARACTER_PASS.accepts,
        minLength: CHARACTER_PASS.minRunLength,
        found: [] as number[],
        flags: 0,
      };
      pack.combinedMatcher.scanWithRuns(folded.text, onMatch, surface.combinedFilter, runs);
      tokenRuns = runs.found;
      possible = runs.flags;
    } else {
      pack.combinedMatcher.scan(folded.text, onMatch, surface.combinedFilter);
    }
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
