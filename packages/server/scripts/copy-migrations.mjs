// Copies what tsc does not emit next to the compiled code: the SQL migrations and the embedded
// database's worker (plain JavaScript, src/db/pglite-worker.js).
import { cpSync } from 'node:fs';

cpSync(
  new URL('../src/db/migrations/', import.meta.url),
  new URL('../dist/db/migrations/', import.meta.url),
  {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts'),
  },
);
cpSync(
  new URL('../src/db/pglite-worker.js', import.meta.url),
  new URL('../dist/db/pglite-worker.js', import.meta.url),
);
