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
  private readonly fail: Int32Array;
  /** For each state, the keyword ids that end there (own and inherited through failure links). */
  private readonly outputs: Array<readonly number[] | undefined>;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    const children: Array<Map<number, number>> = [new Map()];
    const ownOutputs: number[][] = [[]];
    keywords.forEach((keyword, id) => {
      let state = 0;
      for (let index = 0; index < keyword.length; index++) {
        const code = lowerAscii(keyword.charCodeAt(index));
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
    this.outputs = new Array(stateCount);

    // Breadth-first: a state's failure target is always finished before the state itself.
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failState = this.fail[state]!;
      const inherited = state === 0 ? undefined : this.outputs[failState];
      const own = ownOutputs[state]!;
      const merged = inherited === undefined ? own : [...own, ...inherited];
      this.outputs[state] = merged.length > 0 ? merged : undefined;

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
  }

  private step(state: number, code: number): number {
    if (code < 128) return this.ascii[state * 128 + code]!;
    let current = state;
    for (;;) {
      const next = this.wide[current]?.get(code);
      if (next !== undefined) return next;
      if (current === 0) return 0;
      current = this.fail[current]!;
    }
  }

  /**
   * Calls `onMatch(keywordId, end)` for every occurrence, `end` exclusive, in order of `end`.
   * @example new KeywordMatcher(['he', 'she']).scan('ushers', (id, end) => console.log(id, end))
   */
  scan(text: string, onMatch: (keywordId: number, end: number) => void): void {
    const ascii = this.ascii;
    const outputs = this.outputs;
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      state = code < 128 ? ascii[state * 128 + code]! : this.step(state, code);
      const found = outputs[state];
      if (found !== undefined) {
        for (const id of found) onMatch(id, index + 1);
      }
    }
  }
}

function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
