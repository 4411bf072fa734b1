import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate';
import { emptyDatabase, type TestDatabase } from './testing';

const TABLES = [
  'api_keys',
  'audit_log',
  'channel_settings',
  'customers',
  'discount_codes',
  'event_outbox',
  'events',
  'inbound_messages',
  'invitations',
  'journey_runs',
  'journey_stats_daily',
  'journey_stats_dirty',
  'journey_versions',
  'journeys',
  'login_failures',
  'memberships',
  'message_clicks',
  'messages',
  'order_items',
  'orders',
  'password_resets',
  'product_pairs',
  'product_stats',
  'provider_webhooks',
  'routing_decisions',
  'run_memory',
  'run_step_attempts',
  'run_steps',
  'segments',
  'sessions',
  'store_connections',
  'store_syncs',
  'store_webhooks',
  'suppressions',
  'system_emails',
  'users',
  'workspace_secrets',
  'workspaces',
];

describe('migrate', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await emptyDatabase('migrate');
  });
  afterAll(async () => {
    await t?.drop();
  });

  // Everything a migration could change: columns, constraints and indexes of the public schema.
  const fingerprint = async () => {
    const { rows } = await t.pool.query<{ line: string }>(`
      select table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '') as line
        from information_schema.columns where table_schema = 'public'
      union all select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
        from pg_constraint where connamespace = 'public'::regnamespace
      union all select indexdef from pg_indexes where schemaname = 'public'
      order by 1`);
    return rows.map((r) => r.line);
  };

  it('applies to an empty database and re-applies as a no-op', async () => {
    const first = await migrate(t.url);
    expect(first.applied).toBeGreaterThan(0);
    expect(first.applied).toBe(first.total);

    const { rows } = await t.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(TABLES);

    const before = await fingerprint();
    const second = await migrate(t.url);
    expect(second).toEqual({ applied: 0, total: first.total });
    expect(await fingerprint()).toEqual(before);
  });

  it('serialises concurrent migrators', async () => {
    const other = await emptyDatabase('migrate_concurrent');
    try {
      const results = await Promise.all([migrate(other.url), migrate(other.url), migrate(other.url)]);
      expect(results.map((r) => r.applied).sort()).toEqual([0, 0, results[0]!.total].sort());
    } finally {
      await other.drop();
    }
  });
});
