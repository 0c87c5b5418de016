/**
 * Aho-Corasick multi-literal matcher: one pass over the text finds every occurrence of every
 * keyword, so the cost of the prefilter does not grow with the number of rules.
 * ASCII transitions are a dense table (case-insensitive: upper-case columns share lower-case
 * targets); other characters use per-state maps with failure links.
 */
export class KeywordMatcher {
  readonly keywords: readonly string[];
  private readonly ascii: Int32Array;
  private readonly wide: Array<Map<number, number> | undefined>;
  /**
   * 1 for the UTF-16 code units beyond ASCII that some keyword contains. Any other such unit
   * leads back to the root from every state, so `step` answers it without walking failure links
   * and asking a map at each (a megabyte of tag characters or emoji otherwise pays that per unit).
   */
  private readonly wideCodes = new Uint8Array(0x10000);
  private readonly fail: Int32Array;
  /** Keyword ids ending at state `s` (own and inherited): outputIds[outputStart[s]..outputStart[s+1]). */
  private readonly outputStart: Int32Array;
  private readonly outputIds: Int32Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    const children: Array<Map<number, number>> = [new Map()];
    const ownOutputs: number[][] = [[]];
    keywords.forEach((keyword, id) => {
      let state = 0;
      for (let index = 0; index < keyword.length; index++) {
        const code = lowerAscii(keyword.charCodeAt(index));
        if (code >= 128) this.wideCodes[code] = 1;
        let next = children[state]!.get(code);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ownOutputs.push([]);
          children[state]!.set(code, next);
        }
        state = next;
      }
      ownOutputs[state]!.push(id);
    });

    const stateCount = children.length;
    this.ascii = new Int32Array(stateCount * 128);
    this.wide = new Array(stateCount);
    this.fail = new Int32Array(stateCount);
    const outputs: Array<readonly number[]> = new Array(stateCount);

    // Breadth-first: a state's failure target is always finished before the state itself.
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failState = this.fail[state]!;
      const inherited = state === 0 ? [] : outputs[failState]!;
      const own = ownOutputs[state]!;
      outputs[state] = inherited.length === 0 ? own : [...own, ...inherited];

      for (let code = 0; code < 128; code++) {
        const lower = lowerAscii(code);
        const child = children[state]!.get(lower);
        if (child !== undefined) {
          this.ascii[state * 128 + code] = child;
        } else {
          this.ascii[state * 128 + code] = state === 0 ? 0 : this.ascii[failState * 128 + code]!;
        }
      }
      for (const [code, child] of children[state]!) {
        if (code >= 128) {
          let wide = this.wide[state];
          if (wide === undefined) {
            wide = new Map();
            this.wide[state] = wide;
          }
          wide.set(code, child);
        }
        // The failure link of a child is the longest proper suffix that is also a trie path.
        this.fail[child] = state === 0 ? 0 : this.step(failState, code);
        queue.push(child);
      }
    }

    // Flattened into typed arrays: the scan loop then touches no JS objects.
    this.outputStart = new Int32Array(stateCount + 1);
    let total = 0;
    for (let state = 0; state < stateCount; state++) {
      this.outputStart[state] = total;
      total += outputs[state]!.length;
    }
    this.outputStart[stateCount] = total;
    this.outputIds = new Int32Array(total);
    for (let state = 0; state < stateCount; state++)
      this.outputIds.set(outputs[state]!, this.outputStart[state]!);
    // Transitions into a state with outputs are stored complemented (negative), so the scan loop
    // learns "something matched here" from the one load it does anyway.
    for (let cell = 0; cell < this.ascii.length; cell++) {
      const target = this.ascii[cell]!;
      if (outputs[target]!.length > 0) this.ascii[cell] = ~target;
    }
  }

  private step(state: number, code: number): number {
    if (code < 128) {
      const target = this.ascii[state * 128 + code]!;
      return target < 0 ? ~target : target;
    }
    if (this.wideCodes[code] === 0) return 0;
    let current = state;
    for (;;) {
      const next = this.wide[current]?.get(code);
      if (next !== undefined) return next;
      if (current === 0) return 0;
      current = this.fail[current]!;
    }
  }

  /**
   * A filter that reports only the keywords with `active[id] === 1`: the states where such a
   * keyword ends are marked, so occurrences of the others cost one load, not a callback.
   * @example matcher.filter(Uint8Array.of(1, 0)) // report keyword 0 only
   */
  filter(active: Uint8Array): KeywordFilter {
    const stateCount = this.fail.length;
    const states = new Uint8Array(stateCount);
    for (let state = 0; state < stateCount; state++) {
      const last = this.outputStart[state + 1]!;
      for (let output = this.outputStart[state]!; output < last; output++) {
        if (active[this.outputIds[output]!] === 1) {
          states[state] = 1;
          break;
        }
      }
    }
    return { ids: active, states };
  }

  /**
   * Calls `onMatch(keywordId, end)` for every occurrence within `text[from, to)`, `end`
   * exclusive, in order of `end`; with a `filter`, only for the keywords it keeps.
   * @example new KeywordMatcher(['he', 'she']).scan('ushers', (id, end) => console.log(id, end))
   */
  scan(
    text: string,
    onMatch: (keywordId: number, end: number) => void,
    filter?: KeywordFilter,
    from = 0,
    to = text.length,
  ): void {
    const ascii = this.ascii;
    const outputStart = this.outputStart;
    const outputIds = this.outputIds;
    const activeStates = filter?.states;
    const activeIds = filter?.ids;
    const length = Math.min(to, text.length);
    let state = 0;
    for (let index = from; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code < 128) {
        const target = ascii[(state << 7) | code]!;
        if (target >= 0) {
          state = target;
          continue;
        }
        state = ~target;
      } else {
        state = this.step(state, code);
      }
      if (activeStates === undefined || activeIds === undefined) {
        const last = outputStart[state + 1]!;
        for (let output = outputStart[state]!; output < last; output++)
          onMatch(outputIds[output]!, index + 1);
      } else if (activeStates[state] === 1) {
        const last = outputStart[state + 1]!;
        for (let output = outputStart[state]!; output < last; output++) {
          const id = outputIds[output]!;
          if (activeIds[id] === 1) onMatch(id, index + 1);
        }
      }
    }
  }

  /**
   * `scan` with a filter that also collects runs of `runs.members` characters: the one pass over
   * the text that the keyword prefilter makes anyway finds the candidate encoded payloads too.
   * @example matcher.scanWithRuns(text, onMatch, filter, { members, minLength: 12, found: [] })
   */
  scanWithRuns(
    text: string,
    onMatch: (keywordId: number, end: number) => void,
    filter: KeywordFilter,
    runs: RunSpec,
  ): void {
    const ascii = this.ascii;
    const outputStart = this.outputStart;
    const outputIds = this.outputIds;
    const activeStates = filter.states;
    const activeIds = filter.ids;
    const classes = runs.classes;
    const transitions = runs.transitions;
    const accepts = runs.accepts;
    const minLength = runs.minLength;
    const found = runs.found;
    const length = text.length;
    let state = 0;
    let run = 0;
    let pass = 0;
    let flags = 0;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code < 128) {
        const charClass = classes[code]!;
        if ((charClass & 4) !== 0) {
          run++;
        } else {
          if (run >= minLength) found.push(index - run, index);
          run = 0;
        }
        pass = transitions[(pass << 2) | (charClass & 3)]!;
        flags |= accepts[pass]!;
        const target = ascii[(state << 7) | code]!;
        if (target >= 0) {
          state = target;
          continue;
        }
        state = ~target;
      } else {
        if (run >= minLength) found.push(index - run, index);
        run = 0;
        pass = transitions[pass << 2]!;
        state = this.step(state, code);
      }
      if (activeStates[state] === 1) {
        const last = outputStart[state + 1]!;
        for (let output = outputStart[state]!; output < last; output++) {
          const id = outputIds[output]!;
          if (activeIds[id] === 1) onMatch(id, index + 1);
        }
      }
    }
    if (run >= minLength) found.push(length - run, length);
    runs.flags = flags;
  }
}

/**
 * A character pass made during a keyword scan (see `scanWithRuns`): runs of one character class,
 * and a small automaton over four classes whose accepting states set flags.
 */
export interface RunSpec {
  /** Per ASCII code: an automaton class (bits 0-1), and bit 2 for members of a run. */
  readonly classes: Uint8Array;
  /** Next automaton state for `(state << 2) | class`. */
  readonly transitions: Uint8Array;
  /** Flags each automaton state sets. */
  readonly accepts: Uint8Array;
  /** Shortest run reported. */
  readonly minLength: number;
  /** Receives [start, end) pairs, flat. */
  readonly found: number[];
  /** Set to the flags of every state the automaton went through. */
  flags: number;
}

/** Which keywords a scan reports (see `KeywordMatcher.filter`). */
export interface KeywordFilter {
  /** 1 for a keyword id to report. */
  readonly ids: Uint8Array;
  /** 1 for a state where a reported keyword ends. */
  readonly states: Uint8Array;
}

function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
