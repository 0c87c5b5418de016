import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['warden-source'],
    alias: {
      // Test-only helpers of the server, never built: the SDK's tests start a real control plane.
      '@warden/server/testing': fileURLToPath(
        new URL('./packages/server/src/testing/harness.ts', import.meta.url),
      ),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
