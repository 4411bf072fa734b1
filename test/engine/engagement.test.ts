import { graphBuilder, templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerId,
  type EngagementEnv,
  engagementEnv,
  postEvent,
  publishShort,
  runAndMessage,
} from './engagement-setup';

// Waits and branches about this run's own messages, with engagement events routed as in a deployment.

let env: EngagementEnv;
beforeAll(async () => {
  env = await engagementEnv('engagement');
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const runSteps = async (runId: string) =>
  (await env.h.steps(runId)) as Array<{ step_id: string; port: string | null; outcome: string | null }>;
const channels = async (customer: string) =>
  (await env.h.messages(await customerId(env, customer))).map((m) => m.channel);

describe('engagement with a journey’s own messages', () => {
  it('the review request nudges by SMS only those who neither reviewed nor clicked the review link', async () => {
    const review = templates.find((t) => t.id === 'review_request')!;
    const journeyId = await publishShort(env, review.graph, 300, 3000);
    await postEvent(env, 'clicker', 'order.delivered', { order: 'clicker-o1' });
    await postEvent(env, 'ignorer', 'order.delivered', { order: 'ignorer-o1' });
    const clicker = await runAndMessage(env, journeyId, 'clicker', 'ask');
    const ignorer = await runAndMessage(env, journeyId, 'ignorer', 'ask');
    await env.h.waitRun(clicker.workflow_id, (r) => r.currentStep === 'wait_review');
    await postEvent(env, 'clicker', 'message.clicked', {
      properties: {
        messageId: clicker.message_id,
        runId: clicker.run_id,
        stepId: 'ask',
        url: 'https://shop.example/review/1',
      },
    });
    await env.h.result(clicker.workflow_id);
    await env.h.result(ignorer.workflow_id);
    expect((await runSteps(clicker.run_id)).find((s) => s.step_id === 'clicked')?.port).toBe('clicked');
    expect((await runSteps(ignorer.run_id)).find((s) => s.step_id === 'clicked')?.port).toBe('else');
    expect(await channels('clicker')).toEqual(['email']);
    expect(await channels('ignorer')).toEqual(['email', 'sms']);
  });

  it("a wait for engagement wakes on this run's message of the step only, not another run's", async () => {
    const graph = graphBuilder()
      .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.delivered', filter: null } })
      .node('ask', 'send_sms', { text: 'Tell us how it went: https://shop.example/r' })
      .node('wait_click', 'wait_for_event', { eventType: 'message.clicked', messageStep: 'ask' })
      .node('yes', 'exit', { label: 'Clicked' })
      .node('no', 'exit', { label: 'No click' })
      .edge('trigger', 'ask')
      .edge('ask', 'wait_click')
      .edge('wait_click', 'yes', 'happened')
      .edge('wait_click', 'no', 'timed_out')
      .build();
    const journeyId = await publishShort(env, graph, 300, 3000);
    // One customer, two orders: two runs of the journey, each with its own "ask" text.
    await postEvent(env, 'twice', 'order.delivered', { order: 'twice-o1' });
    const first = await runAndMessage(env, journeyId, 'twice', 'ask');
    await env.h.waitRun(first.workflow_id, (r) => r.currentStep === 'wait_click');
    await postEvent(env, 'twice', 'order.delivered', { order: 'twice-o2' });
    const second = await runAndMessage(env, journeyId, 'twice', 'ask', first);
    expect(second.run_id).not.toBe(first.run_id);
    await env.h.waitRun(second.workflow_id, (r) => r.currentStep === 'wait_click');
    // A click on the second run's text: only the second run wakes.
    await postEvent(env, 'twice', 'message.clicked', {
      properties: { messageId: second.message_id, runId: second.run_id, stepId: 'ask' },
    });
    const [a, b] = await Promise.all([env.h.result(first.workflow_id), env.h.result(second.workflow_id)]);
    expect(b).toMatchObject({ label: 'Clicked' });
    expect(a).toMatchObject({ label: 'No click' });
  });
});
