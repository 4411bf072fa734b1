export { ensureChromium } from './chromium.mjs';
export { FatalError, info, step } from './log.mjs';
export { CACHE_DIR, DATA_DIR, ROOT } from './paths.mjs';
export { canConnect, freePort, portFree, waitForPort } from './ports.mjs';
export { checkDatabase, createDatabase, redact, startPostgres } from './postgres.mjs';
export {
  checkTemporalAddress,
  ensureTemporalCli,
  SEARCH_ATTRIBUTES,
  startTemporalDevServer,
} from './temporal.mjs';
export { ensureTimeSkippingServer } from './testserver.mjs';
