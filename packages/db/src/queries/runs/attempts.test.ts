import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedWorkspace, type TestDatabase } from '../../testing';
import { RunStepAttemptRow } from '../../zod';
import { upsertCustomerFromEvent } from '../customers/customers';
import { createJourney } from '../journeys/journeys';
import { recordStepAttempt } from './attempts';
import { getRunTimeline, recordStep, upsertRun } from './runs';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('attempts');
});
afterAll(async () => {
  await t?.drop();
});

async function runWithStep() {
  const ws = await seedWorkspace(t.db);
  const { customer } = await upsertCustomerFromEvent(t.db, ws.id, { email: 'ada@example.com' });
  const journey = await createJourney(t.db, ws.id, { name: 'Review request' });
  const run = await upsertRun(t.db, ws.id, {
    workflowId: `wf-${journey.id}`,
    journeyId: journey.id,
    version: 1,
    customerId: customer.id,
  });
  await recordStep(t.db, ws.id, { runId: run.id, stepId: 'sms', nodeId: 'sms', primitive: 'act' });
  return { ws, run };
}

const T0 = new Date('2025-01-08T05:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('run step attempts', () => {
  it('keeps every attempt once, across a deferral, in time order on the timeline', async () => {
    const { ws, run } = await runWithStep();
    const base = { runId: run.id, stepId: 'sms' };
    await recordStepAttempt(t.db, ws.id, {
      ...base,
      scheduledAt: T0,
      attempt: 1,
      at: T0,
      outcome: 'deferred',
      deferredUntil: at(540),
      reason: { kind: 'quiet_hours', window: { start: '21:00', end: '08:00' }, timeZone: 'America/Chicago' },
    });
    const error = {
      type: 'send.provider_unavailable',
      message: 'Service Unavailable',
      retryable: true,
      status: 503,
    };
    // The deferred step runs again as a new activity: its attempts count from 1 again.
    await recordStepAttempt(t.db, ws.id, {
      ...base,
      scheduledAt: at(541),
      attempt: 1,
      at: at(541),
      outcome: 'failed',
      willRetry: true,
      error,
    });
    // A replayed write of the same attempt changes nothing.
    await recordStepAttempt(t.db, ws.id, {
      ...base,
      scheduledAt: at(541),
      attempt: 1,
      at: at(542),
      outcome: 'ok',
    });
    await recordStepAttempt(t.db, ws.id, {
      ...base,
      scheduledAt: at(541),
      attempt: 2,
      at: at(542),
      outcome: 'ok',
    });

    const timeline = await getRunTimeline(t.db, ws.id, run.id);
    const attempts = timeline?.attempts ?? [];
    expect(attempts.map((a) => `${a.attempt}:${a.outcome}`)).toEqual(['1:deferred', '1:failed', '2:ok']);
    expect(attempts[0]?.deferredUntil).toEqual(at(540));
    expect(attempts[1]).toMatchObject({ willRetry: true, error });
    for (const a of attempts) RunStepAttemptRow.parse(a);
  });

  it('refuses an attempt of a step that was not recorded, or of another workspace', async () => {
    const { ws, run } = await runWithStep();
    const other = await seedWorkspace(t.db);
    const attempt = { scheduledAt: T0, attempt: 1, at: T0, outcome: 'ok' as const };
    await expect(
      recordStepAttempt(t.db, ws.id, { ...attempt, runId: run.id, stepId: 'nope' }),
    ).rejects.toThrow();
    await expect(
      recordStepAttempt(t.db, other.id, { ...attempt, runId: run.id, stepId: 'sms' }),
    ).rejects.toThrow();
    expect((await getRunTimeline(t.db, ws.id, run.id))?.attempts).toEqual([]);
  });
});
