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
// the survey text goes out through the real Twilio SDK to the provider emulator, and the customer's
// reply — posted by the emulator as Twilio's signed inbound-SMS webhook, stored, turned into an
// `sms.replied` event about that text and routed to the run — picks the path. No reply within the
// (shortened) three days ends it.

let env: EngagementEnv;
let journeyId: string;
const survey = templates.find((t) => t.id === 'sms_satisfaction_survey')!;
beforeAll(async () => {
  env = await engagementEnv('sms_survey', { providers: true });
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

const phoneOf = async (customer: string) =>
  (
    await env.h.db.pool.query<{ phone: string }>('select phone from customers where id = $1', [
      await customerId(env, customer),
    ])
  ).rows[0]!.phone;

let sid = 0;
/** The customer texts `body` back: Twilio's signed inbound-SMS webhook from their phone to our number. */
async function reply(customer: string, body: string) {
  const { emu, config } = env.providers!;
  sid += 1;
  const params = {
    MessageSid: `SM${String(sid).padStart(32, '0')}`,
    AccountSid: config.twilio!.accountSid,
    From: await phoneOf(customer),
    To: config.twilio!.from ?? '',
    Body: body,
    NumMedia: '0',
  };
  const url = `${config.publicUrl}/webhooks/twilio/inbound`;
  expect(await emu.sendTwilioWebhook(url, config.twilio!.authToken, params)).toBe(200);
  await env.dispatcher.drain();
}

/** What the emulator delivered to the customer's phone, oldest first. */
const textsReceived = async (customer: string) => {
  const phone = await phoneOf(customer);
  return env
    .providers!.emu.deliveries.filter((d) => d.provider === 'twilio' && d.to === phone)
    .map((d) => d.body);
};

/** The reply as stored and as the event it became (one each). */
async function recordedReply(customer: string) {
  const id = await customerId(env, customer);
  const { rows } = await env.h.db.pool.query(
    `select i.body, i.reply_to_message_id, e.type, e.properties from inbound_messages i
       join events e on e.workspace_id = i.workspace_id and e.id = i.event_id
      where i.workspace_id = $1 and i.customer_id = $2`,
    [env.h.ws.id, id],
  );
  return rows;
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
    // Marketing texts carry the opt-out line.
    expect(question).toMatch(
      /^How would you rate your order \S+ 1–5\? Reply with a number\.\nReply STOP to opt out\.$/,
    );
    expect(await textsReceived(customer)).toEqual([question]);
    await reply(customer, body);
    expect((await ended(r.workflow_id))?.endReason).toBe('exit_node');
    // Stored, and the event it became answers the survey text of this run.
    expect(await recordedReply(customer)).toEqual([
      {
        body,
        reply_to_message_id: r.message_id,
        type: 'sms.replied',
        properties: expect.objectContaining({
          rating: n,
          messageId: r.message_id,
          runId: r.run_id,
          stepId: 'survey',
        }),
      },
    ]);
    const sent = await texts(customer);
    expect(sent).toHaveLength(2);
    // The review link goes through the click-tracking redirect (SMS links do by default), which leads
    // to the review page the brand configured.
    const received = await textsReceived(customer);
    expect(received).toEqual([question, sent[1]![1]]);
    const { publicUrl } = env.providers!.config;
    const link = /^Thank you! Would you share that in a review\? (\S+)(?:\nReply STOP to opt out\.)?$/.exec(
      received[1]!,
    )?.[1];
    expect(link).toMatch(new RegExp(`^${publicUrl}/r/[\\w-]{39}$`));
    const redirect = await fetch(link!, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/^https:\/\/shop\.example\/review\/\S+$/);
    const steps = await env.h.steps(r.run_id);
    expect(steps.some((s) => s.step_id === 'rating' && s.port === 'happy')).toBe(true);
  });

  it('a 2 goes to support: an email to the support address quoting the reply, and a support.flagged event', async () => {
    const customer = 'unhappy-2';
    const r = await surveyed(customer);
    await reply(customer, '2 stars');
    await ended(r.workflow_id);
    expect((await env.h.steps(r.run_id)).find((s) => s.step_id === 'rating')?.port).toBe('unhappy');
    const { rows: mail } = await env.h.db.pool.query(
      `select to_address, subject, body_text, status from messages where workspace_id = $1 and run_id = $2 and step_id = 'support_note'`,
      [env.h.ws.id, r.run_id],
    );
    expect(mail).toEqual([
      expect.objectContaining({
        to_address: 'support@shop.example',
        subject: expect.stringContaining('rated 2 stars'),
      }),
    ]);
    expect(mail[0].body_text).toContain('"2 stars"');
    // Resend received it for the support address, with the customer's reply quoted.
    const emails = env.providers!.emu.deliveries.filter(
      (d) => d.provider === 'resend' && d.subject === mail[0].subject,
    );
    expect(emails).toEqual([expect.objectContaining({ to: 'support@shop.example' })]);
    expect(emails[0]!.body).toContain('"2 stars"');
    const { rows: flagged } = await env.h.db.pool.query(
      `select properties from events where workspace_id = $1 and type = 'support.flagged' and customer_id = $2`,
      [env.h.ws.id, await customerId(env, customer)],
    );
    expect(flagged).toEqual([
      { properties: expect.objectContaining({ runId: r.run_id, stepId: 'flag', journeyId }) },
    ]);
    // The customer got the survey only; the email about them went to support.
    expect((await texts(customer)).map(([c]) => c)).toEqual(['sms', 'email']);
    expect(await textsReceived(customer)).toHaveLength(1);
  });

  it('a 3 (and a reply that is no number) end quietly', async () => {
    const customer = 'neutral-3';
    const r = await surveyed(customer);
    await reply(customer, '3');
    await ended(r.workflow_id);
    const steps = await env.h.steps(r.run_id);
    expect(steps.find((s) => s.step_id === 'rating')?.port).toBe('else');
    expect(await texts(customer)).toHaveLength(1);
    expect(await textsReceived(customer)).toHaveLength(1);

    const chatty = 'neutral-words';
    const r2 = await surveyed(chatty);
    await reply(chatty, 'who is this?');
    await ended(r2.workflow_id);
    expect(await recordedReply(chatty)).toEqual([
      expect.objectContaining({
        body: 'who is this?',
        properties: expect.objectContaining({ rating: null }),
      }),
    ]);
    expect((await env.h.steps(r2.run_id)).find((s) => s.step_id === 'rating')?.port).toBe('else');
    expect(await texts(chatty)).toHaveLength(1);
    expect(await textsReceived(chatty)).toHaveLength(1);
  });

  it('no reply within the wait ends quietly after the survey', async () => {
    const customer = 'silent';
    const r = await surveyed(customer);
    await ended(r.workflow_id);
    const steps = await env.h.steps(r.run_id);
    expect(steps.find((s) => s.step_id === 'wait_reply')).toMatchObject({ outcome: 'timed_out' });
    expect(steps.some((s) => s.step_id === 'rating')).toBe(false);
    expect(await texts(customer)).toHaveLength(1);
    expect(await textsReceived(customer)).toHaveLength(1);
  });
});
