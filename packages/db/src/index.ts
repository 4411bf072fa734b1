// @hourglass/db: the only package that talks SQL. Query functions take the database (or a
// transaction) and the workspace id, and never return another workspace's rows.
export { type CreateDbOptions, createDb, type Db, type DbHandle, type Executor, type Schema } from './client';
export { type MigrateResult, migrate, migrationsFolder } from './migrate';
export * from './queries/access';
export * from './queries/analytics';
export * from './queries/attempts';
export * from './queries/channels';
export * from './queries/customers';
export * from './queries/date-sweep';
export * from './queries/date-triggers';
export * from './queries/events';
export * from './queries/ingest';
export * from './queries/journey-drafts';
export * from './queries/journeys';
export * from './queries/login-failures';
export * from './queries/messages';
export * from './queries/orders';
export * from './queries/outbox';
export * from './queries/runs';
export * from './queries/segment-sql';
export * from './queries/segments';
export * from './queries/support';
export * from './queries/workspaces';
export * from './schema';
export * from './subjects';
export * from './zod';
