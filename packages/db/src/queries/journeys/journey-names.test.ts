import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationsFolder } from '../../migrate';
import { emptyDatabase, freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { JourneyNameTakenError, numberedName } from './journey-names';
import { createJourney, setJourneyStatus, updateJourneyDraft } from './journeys';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('journey_names');
});
afterAll(async () => {
  await t?.drop();
});

describe('journey names', () => {
  it('are unique per workspace in any case, archived journeys aside', async () => {
    const ws = await seedWorkspace(t.db);
    const other = await seedWorkspace(t.db);
    const first = await createJourney(t.db, ws.id, { name: 'Win-back' });
    await expect(createJourney(t.db, ws.id, { name: 'WIN-BACK' })).rejects.toBeInstanceOf(
      JourneyNameTakenError,
    );
    // Another workspace may use it.
    await createJourney(t.db, other.id, { name: 'Win-back' });
    // Renaming onto a taken name saves nothing.
    const second = await createJourney(t.db, ws.id, { name: 'Thank you' });
    await expect(
      updateJourneyDraft(t.db, ws.id, second.id, { name: 'win-back', description: 'changed' }),
    ).rejects.toBeInstanceOf(JourneyNameTakenError);
    expect((await updateJourneyDraft(t.db, ws.id, second.id, {}))?.description).toBe('');
    // Renaming a journey to its own name in another case is fine.
    expect((await updateJourneyDraft(t.db, ws.id, first.id, { name: 'WIN-back' }))?.name).toBe('WIN-back');
    // An archived journey's name is free again.
    await setJourneyStatus(t.db, ws.id, first.id, 'archived');
    expect((await createJourney(t.db, ws.id, { name: 'Win-back' })).name).toBe('Win-back');
  });

  it('numbers a taken name on request, skipping numbers in use, also under concurrent creators', async () => {
    const ws = await seedWorkspace(t.db);
    const make = (name: string) => createJourney(t.db, ws.id, { name, renameIfTaken: true });
    expect((await make('Order updates')).name).toBe('Order updates');
    expect((await make('order updates')).name).toBe('order updates (2)');
    await createJourney(t.db, ws.id, { name: 'Order updates (4)' });
    expect((await make('Order updates')).name).toBe('Order updates (3)');
    expect((await make('Order updates (2)')).name).toBe('Order updates (5)');
    const names = await Promise.all(Array.from({ length: 6 }, () => make('Busy')));
    expect(new Set(names.map((j) => j.name.toLowerCase())).size).toBe(6);
    expect(numberedName('x'.repeat(200), 12)).toHaveLength(200);
  });
});

describe('migration 0011', () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it('numbers the journeys that already share a name before making names unique', async () => {
    db = await emptyDatabase('journey_names_migration');
    // Everything up to the migration before this one, from a copy of the folder with a shorter journal.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-migrations-'));
    fs.cpSync(migrationsFolder, dir, { recursive: true });
    const journalPath = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8'));
    const at = journal.entries.findIndex((e: { tag: string }) => e.tag === '0011_journey_names_unique');
    expect(at).toBeGreaterThan(0);
    const later = journal.entries.length - at;
    journal.entries = journal.entries.slice(0, at);
    fs.writeFileSync(journalPath, JSON.stringify(journal));
    await drizzleMigrate(drizzle({ client: db.pool }), { migrationsFolder: dir });
    fs.rmSync(dir, { recursive: true });

    const ws = await seedWorkspace(db.db);
    const other = await seedWorkspace(db.db);
    const insert = (workspaceId: string, name: string, status = 'draft', minutes = 0) =>
      db.pool.query(
        `insert into journeys (workspace_id, name, status, created_at) values ($1, $2, $3, now() + make_interval(mins => $4))`,
        [workspaceId, name, status, minutes],
      );
    await insert(ws.id, 'Review request', 'live', 0);
    await insert(ws.id, 'review request', 'draft', 1);
    await insert(ws.id, 'Review request (2)', 'draft', 2);
    await insert(ws.id, 'Review request', 'draft', 3);
    await insert(ws.id, 'Review request', 'archived', 4);
    await insert(other.id, 'Review request', 'draft', 5);

    expect((await migrate(db.url)).applied).toBe(later);
    const { rows } = await db.pool.query<{ workspace_id: string; name: string; status: string }>(
      'select workspace_id, name, status from journeys order by created_at',
    );
    expect(rows.map((r) => [r.workspace_id === ws.id ? 'ws' : 'other', r.name, r.status])).toEqual([
      ['ws', 'Review request', 'live'],
      ['ws', 'review request (3)', 'draft'],
      ['ws', 'Review request (2)', 'draft'],
      ['ws', 'Review request (4)', 'draft'],
      ['ws', 'Review request', 'archived'],
      ['other', 'Review request', 'draft'],
    ]);
    await expect(insert(ws.id, 'REVIEW REQUEST')).rejects.toThrow(/journeys_workspace_name_key/);
  });
});
