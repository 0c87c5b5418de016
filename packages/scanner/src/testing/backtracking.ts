import { checkSync } from 'recheck';

/**
 * recheck's verdict on a pattern: 'safe', or what is wrong ("vulnerable, polynomial: …", "timeout").
 *
 * recheck's fuzzer stops its steps by wall-clock limits unless told otherwise (1 s per attack,
 * 250 ms per incubation, 100 ms per seeding), so a slow or busy machine can turn a linear pattern
 * "vulnerable": a CI run on a machine 4–6× slower than usual did. Here only its step limits
 * decide (characters read by its matcher, with a fixed random seed), so every machine gets the
 * same verdict. The overall limit only ends a check that runs far past the slowest we have seen
 * (about 25 s); it reports 'timeout', never 'safe'.
 */
export function backtrackingVerdict(source: string, flags = ''): string {
  const diagnostics = checkSync(source, flags.replace('g', ''), {
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

/** The most one check may take; a test that runs checks gives itself this much per check. */
export const BACKTRACKING_CHECK_LIMIT_MS = 240_000;
