import { randomBytes } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// Hashes made in tests (and by the global setup's seed, which runs in this process, not in a worker)
// cost little to check: sign-ins are the tests' commonest step. The cost travels with each hash.
process.env.DCRM_SCRYPT_N = '1024';

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (package `main`), as the CJS Apollo packages do;
  // Vite would pick the `.mjs` build and create a second graphql realm ("from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: [
      'subgraphs/*/src/**/*.spec.ts',
      'subgraphs/*/test/**/*.test.ts',
      'router/test/**/*.test.ts',
      'stack/test/**/*.test.ts',
      'schema/*.spec.ts',
      'tests/**/*.test.ts',
      'storefront-sdk/test/**/*.test.ts',
      'examples/*/src/**/*.spec.ts',
      'examples/*/test/**/*.test.ts',
    ],
    globalSetup: ['tests/setup/global-setup.ts'],
    // The runtime flag every production process gets from `stack/bin/dcrm`: the tests' in-process stacks
    // keep AsyncLocalStorage the same way.
    execArgv: ['--experimental-async-context-frame'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests name their client address (x-forwarded-for) so login throttling is per test file.
    // Background job runners are off in tests: they drive the same tasks directly, with a manual clock.
    // The source has no secrets: each run generates its own, which stacks and spawned processes inherit.
    // Warnings and errors only (LOG_LEVEL): a line per request would bury the test report; processes
    // the tests spawn inherit it, and tests reading info lines ask for them.
    env: {
      APOLLO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
      DCRM_TRUST_PROXY: '1',
      DCRM_SCRYPT_N: process.env.DCRM_SCRYPT_N,
      DCRM_JOBS: 'off',
      DCRM_JWT_SECRET: randomBytes(32).toString('hex'),
      DCRM_INTERNAL_SECRET: randomBytes(32).toString('hex'),
    },
  },
});
