import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './harness';
import { type EngineHarness, engineHarness } from './support-engine';
import { expectedSmsText, type SmsScenario, scenarioEvent, supportJourney } from './support-fixtures';

type Customer = contract.Customer;
type CustomerRun = contract.CustomerRun;
type Journey = contract.Journey;
type RunTimelineView = contract.RunTimelineView;

// The support agent's questions, answered from real recorded steps: events through POST /v1/events,
// runs on the real engine (shared Temporal server), messages through the provider emulator.

let h: EngineHarness;
let journey: Journey;
const runs: Partial<Record<SmsScenario, { customer: Customer; timeline: RunTimelineView }>> = {};

const settled = (t: RunTimelineView, s: SmsScenario) =>
  s === 'quiet'
    ? t.run.status === 'waiting' && t.entries.some((e) => e.nodeId === 'review_sms')
    : t.run.endedAt !== null;

beforeAll(async () => {
  h = await engineHarness('api_support');
  journey = await h.publish('Review request', supportJourney());
  const scenarios: SmsScenario[] = ['quiet', 'unsubscribed', 'capped', 'failed'];
  const seeded = scenarios.map((s) => ({ s, ...scenarioEvent(s) }));
  for (const { event } of seeded) await h.ingest(event);
  for (const { s, email } of seeded) {
    const customer = await h.until(async () => {
      const found = await h.get<Customer[]>(`/v1/customers?q=${encodeURIComponent(email)}`);
      return found.body[0];
    });
    const timeline = await h.until(async () => {
      const list = await h.get<{ runs: CustomerRun[] }>(`/v1/customers/${customer.id}/runs`);
      const run = list.body.runs[0];
      if (!run) return null;
      const t = await h.get<RunTimelineView>(`/v1/runs/${run.id}/timeline`);
      return t.status === 200 && settled(t.body, s) ? t.body : null;
    });
    runs[s] = { customer, timeline };
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const titles = (t: RunTimelineView) => t.entries.map((e) => e.title);

// Recorded outcomes: the deferral names its end in the customer's zone, a failure its provider code.
const expected: Record<SmsScenario, RegExp> = {
  ...expectedSmsText,
  quiet: /^SMS deferred by quiet hours until 08:00 Etc\/GMT([+-]\d+)?$/m,
  failed: /^Failed: invalid phone number \(Twilio 21211: The 'To' number is not a valid phone number\)$/m,
};

describe('run timeline in plain words', () => {
  it('explains the branch with the compared values and the sent email', () => {
    const t = runs.capped!.timeline;
    expect(titles(t)).toContain('Branch → Loyal: AOV $312.40 > $300');
    const email = t.entries.find((e) => e.nodeId === 'review_email')!;
    expect(email.title).toMatch(/^Email sent/);
    expect(email.messages[0]?.subject).toBe('How was your order, Capped?');
    expect(email.messages[0]?.bodyHtml).toContain('Tell us what you think');
    expect(t.temporalUrl).toBe(
      `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(t.run.workflowId)}`,
    );
    expect(t.run.journeyName).toBe('Review request');
  });

  it.each(['quiet', 'unsubscribed', 'capped', 'failed'] as const)(
    'says why the SMS did not go out: %s',
    (s) => {
      const t = runs[s]!.timeline;
      const sms = t.entries.filter((e) => e.nodeId === 'review_sms' || e.nodeId === 'second_sms');
      expect(sms.map((e) => e.title).join('\n')).toMatch(expected[s]);
    },
  );

  it('shows what a deferred run waits for and until when', () => {
    const t = runs.quiet!.timeline;
    expect(t.waiting?.text).toMatch(
      /deferred by quiet hours at "Review SMS" until \w{3}, \w{3} \d{1,2}, 08:0\d \(Etc\/GMT[+-]?\d*\)$/,
    );
    expect(t.waiting?.until).toBeTruthy();
    expect(t.run.state).toMatch(/Review SMS/);
    // Recorded by the send activity, not inferred: the step's outcome and the run's wait.
    expect(t.run.waitingFor).toMatchObject({ kind: 'sleep', reason: 'quiet_hours' });
    const sms = t.entries.find((e) => e.nodeId === 'review_sms')!;
    const zone = t.customer.timezone!;
    expect(sms).toMatchObject({ outcome: 'deferred', tone: 'waiting' });
    expect(sms.title).toBe(`SMS deferred by quiet hours until 08:00 ${zone}`);
    expect(sms.attempts).toHaveLength(1);
    expect(sms.attempts[0]).toMatchObject({ attempt: 1, outcome: 'deferred' });
    const z = zone.replace(/[+\-/]/g, (c) => `\\${c}`);
    // Due at about 02:00 local (the scenario's zone is picked for it).
    expect(sms.attempts[0]?.text).toMatch(
      new RegExp(
        `^Deferred at 0[12]:\\d\\d — quiet hours until 08:00 ${z} \\(quiet hours 21:00–08:00 local\\)$`,
      ),
    );
  });

  it('reports the provider error of a failed SMS', () => {
    const failed = runs.failed!.timeline.entries.find((e) => e.nodeId === 'review_sms')!;
    expect(failed.tone).toBe('failed');
    expect(failed.messages[0]?.error).toMatchObject({ providerCode: '21211' });
    // A permanent error is not retried: one attempt, with the provider's status, code and message.
    expect(failed.attempts.map((a) => a.text)).toEqual([
      expect.stringMatching(
        /^Attempt 1 at \d\d:\d\d — Twilio 400, code 21211: The 'To' number is not a valid phone number; not retried \(permanent error\)$/,
      ),
    ]);
    // The SMS that went out shows its one successful attempt.
    const sent = runs.capped!.timeline.entries.find((e) => e.nodeId === 'review_sms')!;
    expect(sent.attempts.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'ok']]);
    expect(sent.attempts[0]?.text).toMatch(/^Attempt 1 at \d\d:\d\d — sent$/);
  });
});

describe('support actions', () => {
  it('a viewer can read but not cancel; an editor cancels, audit-logged with the reason', async () => {
    const run = runs.quiet!.timeline.run;
    const viewer = await login(h.app, h.tenant.viewer.email);
    const denied = await h.app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: viewer,
      payload: { reason: 'nope' },
    });
    expect(denied.statusCode).toBe(403);
    const owner = await login(h.app, h.tenant.owner.email);
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: owner,
      payload: { reason: 'Customer asked us to stop texting' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().signalled).toBe(true);
    const t = await h.until(async () => {
      const r = await h.get<RunTimelineView>(`/v1/runs/${run.id}/timeline`);
      return r.body.run.status === 'cancelled' ? r.body : null;
    });
    expect(t.entries.at(-1)?.title).toBe(`Run cancelled by ${h.tenant.owner.email}`);
    expect(t.entries.at(-1)?.details).toContain('Reason: Customer asked us to stop texting');
    const audit = await h.get<{ action: string; target: string }[]>('/v1/audit', h.tenant.keys.admin);
    expect(audit.body.some((a) => a.action === 'run.cancel' && a.target === `run:${run.id}`)).toBe(true);
    const { rows } = await h.t.pool.query('select actor, reason from audit_log where target = $1', [
      `run:${run.id}`,
    ]);
    expect(rows[0]).toMatchObject({
      actor: `user:${h.tenant.owner.email}`,
      reason: 'Customer asked us to stop texting',
    });
  });

  it('retries a failed SMS under a derived idempotency key, audit-logged', async () => {
    const { customer, timeline } = runs.failed!;
    const failed = timeline.entries.find((e) => e.nodeId === 'review_sms')!.messages[0]!;
    // The agent fixes the number first (through the public API), then retries.
    await h.ingest({
      id: `evt_fix_${customer.id}`,
      type: 'customer.updated',
      customer: { externalId: customer.externalId!, phone: '+15550100123' },
    });
    await h.until(async () => (await h.get<Customer>(`/v1/customers/${customer.id}`)).body);
    await h.until(async () => {
      const c = await h.get<{ customer: Customer }>(`/v1/customers/${customer.id}`);
      return c.body.customer.phone === '+15550100123';
    });
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/messages/${failed.id}/retry`,
      headers: { authorization: `Bearer ${h.tenant.keys.support}` },
      payload: { reason: 'Number corrected by phone' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.message.idempotencyKey).toBe(`${failed.idempotencyKey}:retry:1`);
    expect(body.message.status).toBe('sent');
    expect(body.message.toAddress).toBe('+15550100123');
    const { rows } = await h.t.pool.query(
      "select reason, details from audit_log where action = 'message.retry' and target = $1",
      [`message:${failed.id}`],
    );
    expect(rows[0]?.reason).toBe('Number corrected by phone');
    const t = await h.get<RunTimelineView>(`/v1/runs/${timeline.run.id}/timeline`);
    const entry = t.body.entries.find((e) => e.nodeId === 'review_sms')!;
    expect(entry.details.join('\n')).toMatch(/Manual retry 1: sent/);
    // Retrying a message that did not fail is refused.
    const again = await h.app.inject({
      method: 'POST',
      url: `/v1/messages/${body.message.id}/retry`,
      headers: { authorization: `Bearer ${h.tenant.keys.support}` },
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('isolation of the support routes', () => {
  it("workspace B cannot read A's runs, timelines, messages or analytics", async () => {
    const key = h.other.keys.all;
    const run = runs.capped!.timeline.run;
    const msg = runs.capped!.timeline.entries.find((e) => e.messages.length)!.messages[0]!;
    expect((await h.get(`/v1/runs/${run.id}/timeline`, key)).status).toBe(404);
    expect((await h.get(`/v1/messages/${msg.id}`, key)).status).toBe(404);
    expect((await h.get(`/v1/journeys/${journey.id}/analytics`, key)).status).toBe(404);
    expect((await h.get<unknown[]>('/v1/messages', key)).body).toEqual([]);
    expect((await h.get<unknown[]>(`/v1/messages?journeyId=${journey.id}`, key)).body).toEqual([]);
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: { authorization: `Bearer ${key}` },
      payload: { reason: 'x' },
    });
    expect(cancel.statusCode).toBe(404);
    const retry = await h.app.inject({
      method: 'POST',
      url: `/v1/messages/${msg.id}/retry`,
      headers: { authorization: `Bearer ${key}` },
      payload: { reason: 'x' },
    });
    expect(retry.statusCode).toBe(404);
  });
});

export { h as supportHarness, journey as supportJourneyRow };
