export { workflowBundle } from './bundle';
export { requireEnv, testEnv } from './env';
