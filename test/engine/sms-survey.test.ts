import { getRunByWorkflowId } from '@hourglass/db';
import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerId,
  type EngagementEnv,
  engagementEnv,
  postEvent,
  publishShort,
  runAndMessage,
} from './engagement-setup';

// The SMS satisfaction survey template end to end: order.delivered starts it, a (shortened) week later
// the survey text goes out, and the customer's reply — an `sms.replied` event about that text, as the
// inbound-SMS webhook records it — picks the path. No reply within the (shortened) three days ends it.

let env: EngagementEnv;
let journeyId: string;
const survey = templates.find((t) => t.id === 'sms_satisfaction_survey')!;
beforeAll(async () => {
  env = await engagementEnv('sms_survey');
  journeyId = await publishShort(env, survey.graph, 300, 4000);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** Delivers an order to a new customer and waits for the survey text; returns its run and message. */
async function surveyed(customer: string) {
  await postEvent(env, customer, 'order.delivered', { order: `${customer}-o1` });
  const r = await runAndMessage(env, journeyId, customer, 'survey');
  await env.h.waitRun(r.workflow_id, (run) => run.currentStep === 'wait_reply');
  return r;
}

async function reply(
  customer: string,
  r: { run_id: string; message_id: string },
  body: string,
  n: number | null,
) {
  await postEvent(env, customer, 'sms.replied', {
    properties: {
      body,
      keyword: body.toUpperCase(),
      number: n,
      messageId: r.message_id,
      runId: r.run_id,
      stepId: 'survey',
    },
  });
}

const texts = async (customer: string) =>
  (await env.h.messages(await customerId(env, customer))).map((m) => [m.channel, m.body_text ?? m.subject]);

async function ended(workflowId: string) {
  await env.h.result(workflowId);
  return getRunByWorkflowId(env.h.db.db, env.h.ws.id, workflowId);
}

describe('SMS satisfaction survey', () => {
  it.each([
    ['5', 5],
    ['4/5', 4],
  ])('a %s reply gets the review link', async (body, n) => {
    const customer = `happy-${n}`;
    const r = await surveyed(customer);
    const [[, question]] = (await texts(customer)) as [[string, string]];
    expect(question).toMatch(/How would you rate your order .* 1–5\? Reply with a number\./);
    await reply(customer, r, body, n);
    expect((await ended(r.workflow_id))?.endReason).toBe('exit_node');
    const sent = await texts(customer);
    expect(sent).toHaveLength(2);
    // The review link (through the click-tracking redirect, which SMS links take by default).
    expect(sent[1]).toEqual([
      'sms',
      expect.stringMatching(/^Thank you! Would you share that in a review\? http\S+\/r\/\S+/),
    ]);
    const steps = await env.h.steps(r.run_id);
    expect(steps.some((s) => s.step_id === 'rating' && s.port === 'happy')).toBe(true);
  });

  it('a 2 goes to support: an email to the support address with the reply, and a support.flagged event', async () => {
    const customer = 'unhappy-2';
    const r = await surveyed(customer);
    await reply(customer, r, 'two, the box was crushed', 2);
    await ended(r.workflow_id);
    const { rows: mail } = await env.h.db.pool.query(
      `select to_address, subject, body_text, status from messages where workspace_id = $1 and run_id = $2 and step_id = 'support_note'`,
      [env.h.ws.id, r.run_id],
    );
    expect(mail).toEqual([
      expect.objectContaining({
        to_address: 'support@shop.example',
        subject: expect.stringContaining('rated two, the box was crushed'),
      }),
    ]);
    expect(mail[0].body_text).toContain('"two, the box was crushed"');
    const { rows: flagged } = await env.h.db.pool.query(
      `select properties from events where workspace_id = $1 and type = 'support.flagged' and customer_id = $2`,
      [env.h.ws.id, await customerId(env, customer)],
    );
    expect(flagged).toEqual([
      { properties: expect.objectContaining({ runId: r.run_id, stepId: 'flag', journeyId }) },
    ]);
    // The customer got the survey only; the email about them went to support.
    expect((await texts(customer)).map(([c]) => c)).toEqual(['sms', 'email']);
  });

  it('a 3 (and a reply that is no number) end quietly', async () => {
    const customer = 'neutral-3';
    const r = await surveyed(customer);
    await reply(customer, r, '3', 3);
    await ended(r.workflow_id);
    const steps = await env.h.steps(r.run_id);
    expect(steps.find((s) => s.step_id === 'rating')?.port).toBe('else');
    expect(await texts(customer)).toHaveLength(1);

    const chatty = 'neutral-words';
    const r2 = await surveyed(chatty);
    await reply(chatty, r2, 'who is this?', null);
    await ended(r2.workflow_id);
    expect((await env.h.steps(r2.run_id)).find((s) => s.step_id === 'rating')?.port).toBe('else');
    expect(await texts(chatty)).toHaveLength(1);
  });

  it('no reply within the wait ends quietly after the survey', async () => {
    const customer = 'silent';
    const r = await surveyed(customer);
    await ended(r.workflow_id);
    const steps = await env.h.steps(r.run_id);
    expect(steps.find((s) => s.step_id === 'wait_reply')).toMatchObject({ outcome: 'timed_out' });
    expect(steps.some((s) => s.step_id === 'rating')).toBe(false);
    expect(await texts(customer)).toHaveLength(1);
  });
});
