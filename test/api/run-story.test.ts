import { randomBytes } from 'node:crypto';
import { graphBuilder } from '@hourglass/nodes';
import type { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineHarness, engineHarness } from './support-engine';

type CustomerRun = contract.CustomerRun;
type RunTimelineView = contract.RunTimelineView;

// A run's story from its first line to its last, on the real engine: why it started (trigger event
// and entry rule), what it waits for now (the same day and zone as its timeline says), and the exit it
// ended at, by that exit's label.

let h: EngineHarness;
const tag = randomBytes(3).toString('hex');
const eventId = `evt_story_${tag}`;
const zone = 'Europe/Paris';
let waiting: RunTimelineView;
let ended: RunTimelineView;
let customerId: string;

/** "Fri, Dec 18, 11:05 (Europe/Paris)", computed here from the instant itself. */
const inZone = (at: Date, timeZone: string) => {
  const part = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-US', { timeZone, ...o }).format(at);
  const clock = part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${part({ weekday: 'short', month: 'short', day: 'numeric' })}, ${clock} (${timeZone})`;
};

beforeAll(async () => {
  h = await engineHarness('api_run_story');
  // Ten days: further than a week, where a bare weekday names the wrong day.
  await h.publish(
    'Long wait',
    graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node('wait', 'delay', { mode: 'duration', amount: 10, unit: 'days' }, 'Wait 10 days')
      .node('done', 'exit', { label: 'Waited' })
      .edge('trigger', 'wait')
      .edge('wait', 'done')
      .build(),
  );
  await h.publish(
    'Review request',
    graphBuilder()
      .node('trigger', 'trigger', {}, 'Order placed')
      .node('reviewed', 'exit', { label: 'Reviewed' })
      .edge('trigger', 'reviewed')
      .build(),
  );
  await h.ingest({
    id: eventId,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: { externalId: `cus_${tag}`, email: `story-${tag}@example.com`, timezone: zone },
    order: { externalId: `ord_${tag}`, total: 40, currency: 'EUR', items: [] },
  });
  const runs = await h.until(async () => {
    const list = await h.get<{ id: string; journeyId: string; customerId: string }[]>('/v1/runs');
    return list.body.length === 2 ? list.body : null;
  });
  customerId = runs[0]!.customerId;
  const stories = await Promise.all(
    runs.map((r) =>
      h.until(async () => {
        const t = await h.get<RunTimelineView>(`/v1/runs/${r.id}/timeline`);
        const settled = t.body.run.status === 'waiting' || t.body.run.endedAt !== null;
        return t.status === 200 && settled ? t.body : null;
      }),
    ),
  );
  waiting = stories.find((t) => t.run.journeyName === 'Long wait')!;
  ended = stories.find((t) => t.run.journeyName === 'Review request')!;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the first entry: why the run started', () => {
  it('names the trigger event, its time in the customer zone and the entry rule', async () => {
    for (const t of [waiting, ended]) {
      const first = t.entries[0]!;
      const { rows } = await h.t.pool.query('select occurred_at from events where id = $1', [eventId]);
      const at = inZone(rows[0].occurred_at, zone);
      expect(first).toMatchObject({
        primitive: 'entry',
        nodeId: 'trigger',
        nodeLabel: 'Order placed',
        title: `Entered because order.placed ${eventId} at ${at}, entry rule once per order`,
      });
      expect(t.run.triggerEventId).toBe(eventId);
    }
  });
});

describe('the Now line and the timeline name the same day', () => {
  it("a ten-day wait: the same date, time and zone, the customer's", () => {
    const until = new Date(waiting.waiting!.until!);
    const expected = inZone(until, zone);
    expect(waiting.waiting?.text).toBe(`Waiting at "Wait 10 days" until ${expected}`);
    const wait = waiting.entries.find((e) => e.nodeId === 'wait')!;
    expect(wait.title).toBe(`Waiting until ${expected}`);
    // Not "until Fri 11:05": the date is always there, ten days after the start.
    expect(until.getTime() - new Date(waiting.run.startedAt).getTime()).toBeGreaterThan(9 * 86_400_000);
    expect(waiting.run.state).toBe(waiting.waiting?.text);
  });
});

describe("the exit's label", () => {
  it('ends the timeline, the run state and the profile list', async () => {
    expect(ended.run).toMatchObject({ status: 'completed', endReason: 'exit_node', exitLabel: 'Reviewed' });
    expect(ended.run.state).toBe('Ended: Reviewed');
    expect(ended.entries.at(-1)).toMatchObject({ primitive: 'end', title: 'Ended: Reviewed' });
    expect(ended.entries.map((e) => e.title).join('\n')).not.toMatch(/Reached the exit/);
    const list = await h.get<{ runs: CustomerRun[] }>(`/v1/customers/${customerId}/runs`);
    const states = Object.fromEntries(list.body.runs.map((r) => [r.journeyName, [r.state, r.exitLabel]]));
    expect(states['Review request']).toEqual(['Ended: Reviewed', 'Reviewed']);
    expect(states['Long wait']).toEqual([waiting.waiting?.text, null]);
  });
});
