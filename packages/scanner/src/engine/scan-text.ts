import { findEncodedSegments } from '../normalize/decode.js';
import { foldText, mapSpan, type TextView } from '../normalize/fold.js';
import { deleet, despace, rot13, type VariantView } from '../normalize/variants.js';
import type { RuleContext } from '../rules/rule.js';
import type { ScanError } from '../types.js';
import type { KeywordMatcher } from './aho-corasick.js';
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

/** Collects windows for keyword hits; returns whether an enciphered (ROT13) keyword occurred. */
function collectWindows(
  pack: RulePack,
  index: TargetIndex,
  matcher: KeywordMatcher,
  text: string,
  applicable: Uint8Array,
  windows: Windows,
): boolean {
  const keywordCount = index.keywordLengths.length;
  let ciphered = false;
  matcher.scan(text, (keywordId, end) => {
    if (keywordId >= keywordCount) {
      ciphered = true;
      return;
    }
    const start = end - index.keywordLengths[keywordId]!;
    for (const ruleIndex of index.keywordRules[keywordId]!) {
      if (applicable[ruleIndex] !== 1) continue;
      const width = pack.rules[ruleIndex]!.window;
      addWindow(windows, ruleIndex, Math.max(0, start - width), Math.min(text.length, end + width));
    }
  });
  return ciphered;
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
          if (rule.validate !== undefined && ++validations > MAX_VALIDATIONS_PER_RULE) {
            throw new Error(
              `more than ${MAX_VALIDATIONS_PER_RULE} candidate matches in one text (a keyword flood)`,
            );
          }
          const verdict = rule.validate === undefined ? true : rule.validate(match, this.context);
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
    applicable: Uint8Array,
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
    for (const ruleIndex of index.alwaysRules) {
      if (applicable[ruleIndex] === 1) this.run(ruleIndex, text, null, view, encodings);
    }
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
  const folded = foldText(text);
  const rawWindows: Windows = new Map();
  const foldedWindows: Windows = new Map();

  let ciphered = false;
  if (folded.starts === null) {
    // ASCII: folded is the lower-cased raw text, so one pass finds both targets' keywords.
    const rawCount = pack.raw.keywordLengths.length;
    const knownCount = rawCount + pack.folded.keywordLengths.length;
    pack.combinedMatcher.scan(folded.text, (keywordId, end) => {
      if (keywordId >= knownCount) {
        ciphered = true;
        return;
      }
      const isRaw = keywordId < rawCount;
      const index = isRaw ? pack.raw : pack.folded;
      const id = isRaw ? keywordId : keywordId - rawCount;
      const windows = isRaw ? rawWindows : foldedWindows;
      const start = end - index.keywordLengths[id]!;
      for (const ruleIndex of index.keywordRules[id]!) {
        if (applicable[ruleIndex] !== 1) continue;
        const width = pack.rules[ruleIndex]!.window;
        addWindow(
          windows,
          ruleIndex,
          Math.max(0, start - width),
          Math.min(text.length, end + width),
        );
      }
    });
  } else {
    collectWindows(pack, pack.raw, pack.rawMatcher, text, applicable, rawWindows);
    ciphered = collectWindows(
      pack,
      pack.folded,
      pack.foldedMatcher,
      folded.text,
      applicable,
      foldedWindows,
    );
  }

  collector.runTarget(pack.raw, text, rawWindows, applicable, IDENTITY, []);
  collector.runTarget(pack.folded, folded.text, foldedWindows, applicable, folded, []);

  const variants: VariantView[] = [];
  const leet = deleet(folded);
  if (leet !== null) variants.push(leet);
  const spaced = despace(folded);
  if (spaced !== null) variants.push(spaced);
  if (ciphered) variants.push(rot13(folded));
  for (const variant of variants) {
    const windows: Windows = new Map();
    collectWindows(pack, pack.folded, pack.foldedMatcher, variant.text, applicable, windows);
    // Keyword-less rules already saw the folded text; variants only re-check keyword hits.
    collector.runTarget(
      pack.folded,
      variant.text,
      windows,
      applicable,
      variant,
      [variant.encoding],
      false,
    );
  }

  const matches = collector.matches;
  const errors = collector.errors;
  if (depth < options.maxDecodeDepth) {
    for (const segment of findEncodedSegments(text)) {
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
