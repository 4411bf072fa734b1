import { defineConfig } from 'vitest/config';

// Heavy fault-injection cases (`*.faults.test.ts`: they kill and restart services) run only in
// `npm run test:faults`, which sets HOURGLASS_FAULTS=1; light fault cases run in every `npm test`.
const faults = process.env.HOURGLASS_FAULTS === '1';
// The full chaos soak (`*.chaos.test.ts`, 20 minutes by default) runs only in `npm run test:chaos`.
const chaos = process.env.HOURGLASS_CHAOS === '1';

// One run for the whole workspace; services (PostgreSQL, Temporal) are started by `npm test` and passed in env.
export default defineConfig({
  test: {
    include: ['{packages,server,workflows,web,test}/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      ...(faults ? [] : ['**/*.faults.test.ts']),
      ...(chaos ? [] : ['**/*.chaos.test.ts']),
    ],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    setupFiles: ['test/src/setup.ts'],
    globalSetup: ['test/src/global-setup.ts'],
  },
});
