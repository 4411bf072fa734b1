import type { Db } from '@hourglass/db';

const TABLES = [
  'workspaces',
  'users',
  'memberships',
  'customers',
  'orders',
  'events',
  'event_outbox',
  'segments',
  'journeys',
  'journey_versions',
  'journey_runs',
  'run_steps',
  'messages',
  'audit_log',
  'workspace_secrets',
];

/** A digest of every row of workspace data (API key usage times excluded), to prove nothing changed. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const parts = TABLES.map(
    (t) =>
      `select '${t}' as t, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${t} x`,
  );
  parts.push(
    `select 'api_keys', coalesce(md5(string_agg(concat_ws(',', id, name, revoked_at), '|' order by id)), '') from api_keys`,
  );
  const result = await db.$client.query<{ t: string; h: string }>(parts.join(' union all '));
  return Object.fromEntries(result.rows.map((r: { t: string; h: string }) => [r.t, r.h]));
}
