import { graphBuilder } from '@hourglass/nodes';
import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { type EngineApi, engineApi } from './api';
import { channelsConfig, createHarness, type Harness } from './harness';
import { type ScriptedProvider, scriptedProvider } from './scripted-provider';

// Every attempt of a send is recorded by the activity (retries with the provider's error, quiet-hours
// deferrals with their end, the final outcome), on the time-skipping server with the real SDKs
// against the emulator, and read back through GET /v1/runs/:id/timeline.

let h: Harness;
let emu: Emulator;
let provider: ScriptedProvider;
let api: EngineApi;
beforeAll(async () => {
  emu = await startEmulator();
  provider = await scriptedProvider(emu.url);
  h = await createHarness('engine_attempts', {
    timeSkipping: true,
    quietHours: { start: '21:00', end: '08:00' },
    channels: channelsConfig(provider.url),
  });
  api = await engineApi(h, ['read']);
});
afterAll(async () => {
  await api?.app.close();
  await h?.close();
  await provider?.close();
  await emu?.close();
});

const UNAVAILABLE = { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };

/** Order placed → (optionally wait until 23:00 local) → SMS → exit. */
const smsFlow = (opts: { transactional: boolean; lateEvening?: boolean }) => {
  const g = graphBuilder().node('trigger', 'trigger', {});
  if (opts.lateEvening) g.node('late', 'delay', { mode: 'time_of_day', hour: 23, minute: 0 });
  g.node('sms', 'send_sms', { text: 'Hi {{ customer.firstName }}', transactional: opts.transactional })
    .node('done', 'exit')
    .edge('trigger', opts.lateEvening ? 'late' : 'sms');
  if (opts.lateEvening) g.edge('late', 'sms');
  return g.edge('sms', 'done').build();
};

async function runOf(flow: ReturnType<typeof smsFlow>, customer: { tz?: string; phone?: string }) {
  const j = await h.publish(flow);
  const c = await h.customer(customer);
  const o = await h.order(c.id, { total: 20 });
  const id = await h.start(j, c.id, o.id);
  return { id, customerId: c.id };
}

async function attempts(runRowId: string) {
  const { rows } = await h.db.pool.query(
    `select step_id, attempt, at, outcome, will_retry, error, deferred_until, reason, message_id
       from run_step_attempts where run_id = $1 order by at, id`,
    [runRowId],
  );
  return rows;
}

const timeline = (runRowId: string) => api.timeline(runRowId);

const smsStep = async (runRowId: string) => (await h.steps(runRowId)).find((s) => s.step_id === 'sms')!;
const smsEntry = (t: contract.RunTimelineView) => t.entries.find((e) => e.nodeId === 'sms')!;

describe('action attempts (time-skipping)', () => {
  it('a send that fails twice with 503 and then succeeds shows three attempts', async () => {
    provider.failNext(2, UNAVAILABLE);
    const { id } = await runOf(smsFlow({ transactional: true }), {});
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const run = await h.waitRun(id, () => true);

    const rows = await attempts(run.id);
    expect(rows.map((r) => [r.attempt, r.outcome, r.will_retry])).toEqual([
      [1, 'failed', true],
      [2, 'failed', true],
      [3, 'ok', false],
    ]);
    const error = {
      type: 'send.provider_unavailable',
      message: 'Service Unavailable',
      retryable: true,
      provider: 'twilio',
      status: 503,
      providerCode: '20503',
    };
    expect(rows[0].error).toEqual(error);
    expect(rows[1].error).toEqual(error);
    expect(rows[2]).toMatchObject({ error: null, message_id: expect.any(String) });
    // Attempt times are server times of each attempt (skipped ahead by the backoff), in order.
    const times = rows.map((r) => r.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(30_000);
    expect(await smsStep(run.id)).toMatchObject({
      outcome: 'ok',
      attempt: 3,
      message_id: rows[2].message_id,
    });
    expect(provider.scripted).toBe(2);

    const entry = smsEntry(await timeline(run.id));
    expect(entry.title).toMatch(/^SMS sent/);
    expect(entry.attempts.map((a) => a.text)).toEqual([
      expect.stringMatching(
        /^Attempt 1 at \d\d:\d\d — Twilio 503, code 20503: Service Unavailable; retried$/,
      ),
      expect.stringMatching(
        /^Attempt 2 at \d\d:\d\d — Twilio 503, code 20503: Service Unavailable; retried$/,
      ),
      expect.stringMatching(/^Attempt 3 at \d\d:\d\d — sent$/),
    ]);
  });

  it('a permanent failure shows its attempts and the provider code', async () => {
    provider.failNext(1, UNAVAILABLE);
    // Not E.164: the provider refuses it with Twilio's 21211, which is not retried.
    const { id } = await runOf(smsFlow({ transactional: true }), { phone: '555-0100' });
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    const run = await h.waitRun(id, () => true);

    const rows = await attempts(run.id);
    expect(rows.map((r) => [r.attempt, r.outcome, r.will_retry])).toEqual([
      [1, 'failed', true],
      [2, 'failed', false],
    ]);
    expect(rows[1].error).toEqual({
      type: 'send.invalid_recipient',
      message: "The 'To' number is not a valid phone number",
      retryable: false,
      provider: 'twilio',
      status: 400,
      providerCode: '21211',
    });
    expect(await smsStep(run.id)).toMatchObject({ outcome: 'failed', attempt: 2 });

    const entry = smsEntry(await timeline(run.id));
    expect(entry.tone).toBe('failed');
    expect(entry.title).toBe(
      "Failed: invalid phone number (Twilio 21211: The 'To' number is not a valid phone number)",
    );
    expect(entry.attempts.map((a) => a.text)).toEqual([
      expect.stringMatching(
        /^Attempt 1 at \d\d:\d\d — Twilio 503, code 20503: Service Unavailable; retried$/,
      ),
      expect.stringMatching(
        /^Attempt 2 at \d\d:\d\d — Twilio 400, code 21211: The 'To' number is not a valid phone number; not retried \(permanent error\)$/,
      ),
    ]);
  });

  it('an SMS due in quiet hours is recorded as deferred until 08:00 local, then sent after the timer', async () => {
    const tz = 'America/Chicago';
    const { id } = await runOf(smsFlow({ transactional: false, lateEvening: true }), { tz });
    const waiting = await h.waitRun(id, (r) => r.currentStep === 'late' && r.status === 'waiting');
    // Past 23:00 local (and the wake's jitter): the SMS is due inside quiet hours.
    const wake = new Date(waiting.waitingFor!.until!).getTime();
    await h.sleep(wake - (await h.now()) + 60_000);
    const deferred = await h.waitRun(id, (r) => r.waitingFor?.reason === 'quiet_hours');
    expect(deferred).toMatchObject({ status: 'waiting', currentStep: 'sms' });
    const until = new Date(deferred.waitingFor!.until!);
    expect(localClock(tz, until)).toBe('08:00');

    let rows = await attempts(deferred.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      step_id: 'sms',
      attempt: 1,
      outcome: 'deferred',
      deferred_until: until,
      reason: { kind: 'quiet_hours', window: { start: '21:00', end: '08:00' }, timeZone: tz },
    });
    expect(localClock(tz, rows[0].at)).toMatch(/^23:0\d$/);
    expect(await smsStep(deferred.id)).toMatchObject({ outcome: 'deferred', finished_at: null });

    let t = await timeline(deferred.id);
    expect(smsEntry(t)).toMatchObject({
      tone: 'waiting',
      title: `SMS deferred by quiet hours until 08:00 ${tz}`,
    });
    expect(smsEntry(t).attempts.map((a) => a.text)).toEqual([
      expect.stringMatching(
        /^Deferred at 23:0\d — quiet hours until 08:00 America\/Chicago \(quiet hours 21:00–08:00 local\)$/,
      ),
    ]);
    expect(t.waiting?.text).toMatch(
      /^Message deferred by quiet hours at ".*" until \w{3}, \w{3} \d{1,2}, 08:00 \(America\/Chicago\)$/,
    );
    expect(t.waiting?.until).toEqual(until.toISOString());

    // The timer fires at 08:00 (plus jitter): the same step runs again and sends.
    expect(await h.result(id)).toMatchObject({ status: 'completed' });
    rows = await attempts(deferred.id);
    expect(rows.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'deferred'],
      [1, 'ok'],
    ]);
    expect(rows[1].at.getTime()).toBeGreaterThanOrEqual(until.getTime());
    const [message] = await h.messages((await h.waitRun(id, () => true)).customerId);
    expect(message).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(await smsStep(deferred.id)).toMatchObject({ outcome: 'ok' });

    t = await timeline(deferred.id);
    const entry = smsEntry(t);
    expect(entry.title).toBe('SMS sent');
    expect(entry.details).toContainEqual(
      expect.stringMatching(
        /^Deferred at 23:0\d by quiet hours until 08:00 America\/Chicago, then sent at 08:0\d$/,
      ),
    );
    expect(entry.attempts.map((a) => a.outcome)).toEqual(['deferred', 'ok']);
    expect(entry.attempts[1]?.text).toMatch(/^Attempt 1 at 08:0\d — sent$/);
  });
});

function localClock(tz: string, at: Date) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
