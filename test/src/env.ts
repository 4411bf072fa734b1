/** Reads a variable set by `npm test`; a clear message when a test file is run without the test command. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts the services`);
  return value;
}

/** Environment of the real services started for this test run. */
export const testEnv = {
  get databaseUrl() {
    return requireEnv('DATABASE_URL');
  },
  get temporalAddress() {
    return requireEnv('TEMPORAL_ADDRESS');
  },
  get testServerPath() {
    return requireEnv('HOURGLASS_TEST_SERVER_PATH');
  },
  get chromiumPath() {
    return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  },
};
