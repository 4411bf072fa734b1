// @hourglass/db: the only package that talks SQL. Query functions take the database (or a
// transaction) and the workspace id, and never return another workspace's rows.
export { type CreateDbOptions, createDb, type Db, type DbHandle, type Executor, type Schema } from './client';
export { type MigrateResult, migrate, migrationsFolder } from './migrate';
export * from './queries/access/access';
export * from './queries/access/login-failures';
export * from './queries/access/secrets';
export * from './queries/access/workspaces';
export * from './queries/customers/customers';
export * from './queries/customers/events';
export * from './queries/customers/orders';
export * from './queries/ingest/ingest';
export * from './queries/ingest/inputs';
export * from './queries/journeys/analytics';
export * from './queries/journeys/date-sweep';
export * from './queries/journeys/date-triggers';
export * from './queries/journeys/journey-drafts';
export * from './queries/journeys/journeys';
export * from './queries/messages/channels';
export * from './queries/messages/messages';
export * from './queries/runs/attempts';
export * from './queries/runs/outbox';
export * from './queries/runs/runs';
export * from './queries/runs/support';
export * from './queries/segments/segment-sql';
export * from './queries/segments/segments';
export * from './schema';
export * from './subjects';
export * from './zod';
