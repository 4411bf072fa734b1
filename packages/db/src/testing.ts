import { randomBytes } from 'node:crypto';
import type { Graph, Plan } from '@hourglass/journey';
import pg from 'pg';
import { createDb, type Db, type Executor } from './client';
import { migrate } from './migrate';
import { createWorkspace, type Workspace } from './queries/access/workspaces';

/** A throwaway database on the test server. */
export type TestDatabase = { url: string; db: Db; pool: pg.Pool; drop: () => Promise<void> };

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'DATABASE_URL is not set: tests need a PostgreSQL server where the user may CREATE DATABASE',
    );
  return url;
}

function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  // The database named in DATABASE_URL serves as the maintenance connection.
  const client = new pg.Client({ connectionString: serverUrl(), application_name: 'hourglass-test-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function create(label: string): Promise<{ name: string; url: string }> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40);
  const name = `hg_${slug}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`));
  return { name, url: databaseUrl(serverUrl(), name) };
}

async function dropDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    await c.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await c.query(`drop database if exists "${name}"`);
  });
}

async function open(label: string, migrated: boolean): Promise<TestDatabase> {
  const { name, url } = await create(label);
  try {
    if (migrated) await migrate(url);
  } catch (err) {
    await dropDatabase(name);
    throw err;
  }
  const handle = createDb(url, { max: 5, applicationName: `hourglass-test-${label}` });
  return {
    url,
    db: handle.db,
    pool: handle.pool,
    drop: async () => {
      await handle.close();
      await dropDatabase(name);
    },
  };
}

/** Creates a uniquely named database (`hg_<label>_<random>`) with all migrations applied. */
export const freshDatabase = (label: string): Promise<TestDatabase> => open(label, true);

/** Creates a uniquely named, empty database (no migrations), for migration tests. */
export const emptyDatabase = (label: string): Promise<TestDatabase> => open(label, false);

/** Creates a workspace with a unique slug, for tests that need a tenant. */
export async function seedWorkspace(db: Executor, name = 'Test shop'): Promise<Workspace> {
  return createWorkspace(db, {
    name,
    slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(4).toString('hex')}`,
  });
}

/** A one-node graph (a trigger labelled `label`), for tests that store journeys without compiling them. */
export const testGraph = (label = 'trigger'): Graph => ({
  nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { config: {}, label } }],
  edges: [],
});

/** The smallest valid plan (an order.placed trigger straight into the end), for tests that only store it. */
export const testPlan = (): Plan => ({
  planVersion: 1,
  trigger: { kind: 'event', eventType: 'order.placed', filter: null },
  scope: 'customer',
  entry: { rule: 'every_time' },
  exits: [],
  goal: null,
  maxStepVisits: 100,
  steps: { start: { type: 'end', id: 'start', nodeId: 'start', reason: 'completed' } },
  startStep: 'start',
  hash: '0'.repeat(64),
});
