import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, engineHarness } from './support-engine';
import { type SmsScenario, scenarioEvent, supportJourney } from './support-fixtures';

// Journey analytics reconcile exactly with the run-step and message records they are computed from.

let h: EngineHarness;
let journey: contract.Journey;
let quietEmail = '';

beforeAll(async () => {
  h = await engineHarness('api_analytics');
  const graph = supportJourney();
  const trigger = graph.nodes.find((n) => n.id === 'trigger')!;
  trigger.data.config = {
    ...trigger.data.config,
    goal: { eventType: 'order.placed', filter: null, windowHours: 168, exitOnReach: false },
  };
  journey = await h.publish('Analytics journey', graph);
  const scenarios: SmsScenario[] = ['quiet', 'unsubscribed', 'capped', 'failed', 'capped'];
  for (const [i, s] of scenarios.entries()) {
    const { email, event } = scenarioEvent(s, { total: i === 4 ? 80 : 312.4 });
    if (s === 'quiet') quietEmail = email;
    await h.ingest(event);
  }
  // Wait until every run is settled: four ended, the quiet one parked on its SMS.
  await h.until(async () => {
    const { rows } = await h.t.pool.query(
      "select count(*) filter (where ended_at is not null) as ended, count(*) filter (where status = 'waiting' and current_step like 'review_sms%') as parked from journey_runs where journey_id = $1",
      [journey.id],
    );
    return Number(rows[0].ended) === 4 && Number(rows[0].parked) === 1;
  });
  // The quiet customer orders again: a conversion for the parked run (and a new run of its own).
  const again = scenarioEvent('quiet', { total: 55.5 }).event;
  const { rows } = await h.t.pool.query('select external_id, email from customers where email = $1', [
    quietEmail,
  ]);
  await h.ingest({
    ...again,
    customer: { ...again.customer, externalId: rows[0].external_id, email: quietEmail },
  });
  await h.until(async () => {
    const r = await h.t.pool.query(
      'select revenue from journey_runs where journey_id = $1 and converted_at is not null',
      [journey.id],
    );
    return r.rows.length === 1;
  });
  await h.until(async () => {
    const r = await h.t.pool.query(
      "select count(*) as n from journey_runs where journey_id = $1 and status = 'waiting' and current_step like 'review_sms%'",
      [journey.id],
    );
    return Number(r.rows[0].n) === 2;
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const count = <T>(rows: T[], pred: (r: T) => boolean) => rows.filter(pred).length;

describe('journey analytics', () => {
  it('reconcile exactly with run_steps, journey_runs and messages', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await h.get<contract.JourneyAnalytics>(
      `/v1/journeys/${journey.id}/analytics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(res.status).toBe(200);
    const a = res.body;
    const runs = (await h.t.pool.query('select * from journey_runs where journey_id = $1', [journey.id]))
      .rows;
    const steps = (
      await h.t.pool.query(
        'select s.* from run_steps s join journey_runs r on r.id = s.run_id where r.journey_id = $1',
        [journey.id],
      )
    ).rows;
    const msgs = (await h.t.pool.query('select * from messages where journey_id = $1', [journey.id])).rows;

    expect(a.entries).toBe(runs.length);
    expect(a.entries).toBe(6);
    expect(a.completions).toBe(count(runs, (r) => r.status === 'completed'));
    expect(a.active).toBe(count(runs, (r) => r.status === 'waiting' || r.status === 'running'));
    expect(a.conversions).toBe(1);
    expect(a.revenue).toBe(55.5);
    expect(a.goalWindowHours).toBe(168);

    const node = (id: string) => a.nodes.find((n) => n.nodeId === id)!;
    const stepNode = new Map(steps.map((s) => [`${s.run_id}/${s.step_id}`, s.node_id as string]));
    const nodeMsgs = (id: string) => msgs.filter((m) => stepNode.get(`${m.run_id}/${m.step_id}`) === id);
    // The trigger records no step: it shows the journey's entries, as the summary does.
    expect(node('trigger').entered).toBe(a.entries);
    for (const n of a.nodes.filter((x) => x.nodeId !== 'trigger')) {
      expect(n.entered, n.nodeId).toBe(count(steps, (s) => s.node_id === n.nodeId));
      const ms = nodeMsgs(n.nodeId);
      expect(n.sent, n.nodeId).toBe(count(ms, (m) => m.sent_at !== null));
      expect(n.failed, n.nodeId).toBe(
        count(ms, (m) => ['failed', 'bounced', 'undelivered'].includes(m.status)),
      );
      const skipped: Record<string, number> = {};
      for (const m of ms.filter((x) => x.status === 'skipped'))
        skipped[m.skip_reason] = (skipped[m.skip_reason] ?? 0) + 1;
      expect(n.skipped, n.nodeId).toEqual(skipped);
    }
    // And the story they tell: 6 runs branched, 2 parked on the SMS by quiet hours, one SMS failed…
    expect(node('aov').entered).toBe(6);
    // The quiet customer's second order brings the AOV to $183.95: "else".
    expect(node('aov').ports).toEqual({ loyal: 4, else: 2 });
    // …and its second review email hits the 16-hour email cap.
    expect(node('review_email').sent).toBe(5);
    expect(node('review_email').skipped).toEqual({ capped: 1 });
    expect(node('review_sms').waiting).toBe(2);
    expect(node('review_sms').sent).toBe(2);
    expect(node('review_sms').failed).toBe(1);
    expect(node('review_sms').skipped).toEqual({ unsubscribed: 1 });
    expect(node('second_sms').skipped).toEqual({ unsubscribed: 1, capped: 2 });
  });

  it('credits each conversion and its revenue to the last message its run was sent before converting', async () => {
    const res = await h.get<contract.JourneyAnalytics>(`/v1/journeys/${journey.id}/analytics`);
    expect(res.status).toBe(200);
    const runs = (
      await h.t.pool.query('select * from journey_runs where journey_id = $1 and converted_at is not null', [
        journey.id,
      ])
    ).rows;
    const expected: Record<string, { conversions: number; revenue: number }> = {};
    for (const run of runs) {
      const last = await h.t.pool.query(
        `select s.node_id from messages m join run_steps s on s.run_id = m.run_id and s.step_id = m.step_id
         where m.run_id = $1 and m.sent_at is not null and m.sent_at <= $2 order by m.sent_at desc limit 1`,
        [run.id, run.converted_at],
      );
      const nodeId = last.rows[0].node_id as string;
      const e = expected[nodeId] ?? { conversions: 0, revenue: 0 };
      expected[nodeId] = { conversions: e.conversions + 1, revenue: e.revenue + Number(run.revenue) };
    }
    // The quiet customer's run was parked on the SMS (quiet hours): its last message was the review email.
    expect(expected).toEqual({ review_email: { conversions: 1, revenue: 55.5 } });
    for (const n of res.body.nodes) {
      const e = expected[n.nodeId] ?? { conversions: 0, revenue: 0 };
      expect({ conversions: n.conversions, revenue: n.revenue }, n.nodeId).toEqual(e);
    }
    const total = res.body.nodes.reduce((sum, n) => sum + n.conversions, 0);
    expect(total).toBe(res.body.conversions);
  });

  it('a date range before the runs counts nothing; the journey list carries run counts', async () => {
    const res = await h.get<contract.JourneyAnalytics>(
      `/v1/journeys/${journey.id}/analytics?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`,
    );
    expect(res.body.entries).toBe(0);
    expect(res.body.nodes).toEqual([]);
    const list = await h.get<(contract.JourneySummary & { stats: contract.JourneyStats })[]>('/v1/journeys');
    expect(list.body.find((j) => j.id === journey.id)?.stats).toEqual({
      entered: 6,
      active: 2,
      completed: 4,
    });
  });
});
