import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';

/**
 * recheck's verdict on a pattern: 'safe', or what is wrong ("vulnerable, polynomial: …", "timeout").
 *
 * recheck's fuzzer stops its steps by wall-clock limits unless told otherwise (1 s per attack,
 * 250 ms per incubation, 100 ms per seeding), so a slow or busy machine can turn a linear pattern
 * "vulnerable": a CI run on a machine 4–6× slower than usual did. Here only its step limits
 * decide (characters read by its matcher, with a fixed random seed), so every machine gets the
 * same verdict. The overall limit only ends a check that runs far past the slowest we have seen
 * (about 110 s); it reports 'timeout', never 'safe'.
 *
 * Because the verdict depends only on the checker's version, the flags and the source, a 'safe'
 * verdict is remembered in `backtracking-verdicts.txt` (one SHA-256 of those three per line, never
 * the pattern itself) and not analysed again: a pattern that changes by one character, or a new
 * version of recheck, is analysed afresh, and only 'safe' is ever remembered. The analysis of
 * every phrase alternative takes about 20 minutes on a 2-core machine; with the file, seconds.
 * `WARDEN_BACKTRACKING_CACHE=record` appends the new safe verdicts to the file (commit it with the
 * pattern); `off` analyses every pattern again, ignoring the file.
 */
export function backtrackingVerdict(source: string, flags = ''): string {
  const checkFlags = flags.replace('g', '');
  const key = verdictKey(source, checkFlags);
  const mode = cacheMode();
  if (mode !== 'off' && rememberedSafe().has(key)) return 'safe';
  const verdict = analyse(source, checkFlags);
  if (verdict === 'safe' && mode === 'record') {
    appendFileSync(CACHE_FILE, `${key}\n`);
    rememberedSafe().add(key);
  }
  return verdict;
}

/** The most one check may take; a test that runs checks gives itself this much per check. */
export const BACKTRACKING_CHECK_LIMIT_MS = 240_000;

function analyse(source: string, flags: string): string {
  const diagnostics = checkSync(source, flags, {
    timeout: BACKTRACKING_CHECK_LIMIT_MS,
    attackTimeout: null,
    incubationTimeout: null,
    seedingTimeout: null,
  });
  switch (diagnostics.status) {
    case 'safe':
      return 'safe';
    case 'vulnerable':
      return `vulnerable, ${diagnostics.complexity.type}: ${diagnostics.attack.pattern}`;
    default:
      return `${diagnostics.status}: ${diagnostics.error.kind}`;
  }
}

const CACHE_FILE = fileURLToPath(new URL('./backtracking-verdicts.txt', import.meta.url));
const CACHE_MODES = ['use', 'record', 'off'] as const;

function cacheMode(): (typeof CACHE_MODES)[number] {
  const mode = process.env.WARDEN_BACKTRACKING_CACHE ?? 'use';
  if (!(CACHE_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `WARDEN_BACKTRACKING_CACHE must be one of ${CACHE_MODES.join(', ')}; got "${mode}"`,
    );
  }
  return mode as (typeof CACHE_MODES)[number];
}

/** What a verdict depends on: the checker's exact version, the options set above, flags, source. */
function verdictKey(source: string, flags: string): string {
  return createHash('sha256').update(`${CHECKER}\0${flags}\0${source}`).digest('hex');
}

const CHECKER = (() => {
  const require = createRequire(import.meta.url);
  const { version } = require('recheck/package.json') as { version: string };
  return `recheck ${version}; step limits only; limit ${BACKTRACKING_CHECK_LIMIT_MS} ms`;
})();

let remembered: Set<string> | undefined;

function rememberedSafe(): Set<string> {
  if (remembered === undefined) {
    const lines = existsSync(CACHE_FILE) ? readFileSync(CACHE_FILE, 'utf8').split('\n') : [];
    remembered = new Set(lines.map((line) => line.trim()).filter((line) => line !== ''));
  }
  return remembered;
}
