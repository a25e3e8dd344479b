import { defineConfig } from 'vitest/config'

// One run, several projects: pure core, the browser store on fake-indexeddb, the server against
// SQLite and PostgreSQL, and end-to-end tests in real Chromium against a real server process.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', include: ['test/core/**/*.test.ts'], environment: 'node' } },
      {
        esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
        test: { name: 'store', include: ['test/store/**/*.test.ts', 'test/sync/**/*.test.ts', 'test/app/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      { test: { name: 'server', include: ['test/server/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
