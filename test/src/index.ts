export { requireEnv, testEnv } from './env';
