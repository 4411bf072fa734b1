export { type AppDeps, buildApp } from './app';
export { type ServerConfig, serverConfigFromEnv } from './config';
export { ApiError } from './plugins/errors';
export { createTemporalClient, pingTemporal } from './plugins/temporal';
