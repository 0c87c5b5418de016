// Copies the SQL migrations next to the compiled code (tsc copies only .ts output).
import { cpSync } from 'node:fs';

cpSync(
  new URL('../src/db/migrations/', import.meta.url),
  new URL('../dist/db/migrations/', import.meta.url),
  {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts'),
  },
);
