import { createSender } from '@hourglass/channels';
import { type Customer, createJourney, getSuppressionReason, journeyRuns } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, smsRequest, testConfig } from '../channels/helpers';
import { signedTwilio } from '../channels/signed';
import { type Emulator, startEmulator } from '../emulator/server';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Inbound SMS become `sms.replied` events for the customer our latest text to the number went to,
// through the events outbox (so journeys can wait for and branch on them); unknown numbers are stored
// unmatched; forged and replayed webhooks change nothing.

let h: Harness;
let emu: Emulator;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
const config = testConfig();
const NOON_NY = new Date('2025-06-10T16:00:00Z');
const INBOUND = '/webhooks/twilio/inbound';
let sid = 0;

beforeAll(async () => {
  emu = await startEmulator();
  Object.assign(config, testConfig(emu.url));
  h = await harness('api_sms_replies', { channels: config });
  tenant = await seedTenant(h.t.db, 'Replies shop');
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});

const ws = () => tenant.workspace.id;

/** Texts the customer through the real Twilio SDK (emulator) from a run of a journey; returns the message id. */
async function textFromRun(c: Customer, stepId = 'ask-rating') {
  const journey = await createJourney(h.t.db, ws(), { name: `Survey ${c.id}` });
  const [run] = await h.t.db
    .insert(journeyRuns)
    .values({
      workspaceId: ws(),
      workflowId: `wf-${c.id}-${stepId}`,
      journeyId: journey.id,
      version: 3,
      customerId: c.id,
    })
    .returning();
  const sender = createSender({ db: h.t.db, config, now: () => NOON_NY });
  const res = await sender.send(
    smsRequest(ws(), c, {
      runId: run!.id,
      journeyId: journey.id,
      stepId,
      idempotencyKey: `${run!.id}:${stepId}`,
      text: 'How would you rate your order 1-5?',
    }),
  );
  expect(res.status).toBe('sent');
  return { messageId: res.messageId!, runId: run!.id, journeyId: journey.id };
}

async function reply(from: string, body: string, extra: Record<string, string> = {}, path = INBOUND) {
  sid += 1;
  const params = {
    MessageSid: `SM${String(sid).padStart(32, '0')}`,
    From: from,
    To: '+15550000000',
    Body: body,
    NumMedia: '0',
    ...extra,
  };
  const res = await h.app.inject(signedTwilio(config.publicUrl, path, config.twilio!.authToken, params));
  return { res, params };
}

const sql = async <T>(text: string, values: unknown[] = []) =>
  (await h.t.pool.query(text, values)).rows as T[];
const repliedEvents = (customerId: string) =>
  sql<{ id: string; properties: Record<string, unknown> }>(
    "select id, properties from events where workspace_id = $1 and customer_id = $2 and type = 'sms.replied' order by received_at, id",
    [ws(), customerId],
  );
const eventCount = async () => (await sql<{ n: number }>('select count(*)::int as n from events'))[0]!.n;

describe('inbound SMS → sms.replied', () => {
  it('a rating reply is an event for the customer, attributed to the last text we sent them, routed through the outbox', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15551110001', email: 'rater@example.com' });
    const sent = await textFromRun(c);
    for (const [body, rating, keyword] of [
      ['5', 5, '5'],
      [' 4/5 ', 4, '4/5'],
      ['five', 5, 'FIVE'],
      ['5 stars', 5, '5'],
      ['yes please, love it', null, 'YES'],
    ] as const) {
      const { res } = await reply(c.phone!, body);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<Response></Response>');
      const [latest] = (await repliedEvents(c.id)).slice(-1);
      expect(latest?.properties).toMatchObject({
        body,
        keyword,
        rating,
        command: null,
        messageId: sent.messageId,
        runId: sent.runId,
        journeyId: sent.journeyId,
        journeyVersion: 3,
        stepId: 'ask-rating',
      });
      const queued = await sql('select 1 from event_outbox where workspace_id = $1 and event_id = $2', [
        ws(),
        latest!.id,
      ]);
      expect(queued).toHaveLength(1);
    }
    expect(await repliedEvents(c.id)).toHaveLength(5);
  });

  it('several customers with one number: the reply is the one we texted last', async () => {
    const older = await addCustomer(h.t.db, ws(), { phone: '+15551110002', email: 'mum@example.com' });
    const newer = await addCustomer(h.t.db, ws(), { phone: '+15551110002', email: 'son@example.com' });
    await textFromRun(older, 'first');
    const last = await textFromRun(newer, 'second');
    await reply('+15551110002', '2');
    expect(await repliedEvents(older.id)).toHaveLength(0);
    const [e] = await repliedEvents(newer.id);
    expect(e?.properties).toMatchObject({ messageId: last.messageId, rating: 2, stepId: 'second' });
  });

  it('STOP, START and HELP keep their meaning and are events too', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15551110003', email: 'stopper@example.com' });
    await textFromRun(c);
    await reply(c.phone!, 'Stop');
    expect(await getSuppressionReason(h.t.db, ws(), 'sms', c.phone!)).toBe('stop');
    await reply(c.phone!, 'START');
    expect(await getSuppressionReason(h.t.db, ws(), 'sms', c.phone!)).toBeNull();
    await reply(c.phone!, 'help');
    expect((await repliedEvents(c.id)).map((e) => [e.properties.keyword, e.properties.command])).toEqual([
      ['STOP', 'stop'],
      ['START', 'start'],
      ['HELP', 'help'],
    ]);
  });

  it('emoji, an MMS without a body and a 1,600-character body are stored and become events', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15551110004', email: 'mms@example.com' });
    await textFromRun(c);
    await reply(c.phone!, '😍👍 thanks!');
    await reply(c.phone!, '', {
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/ME1',
      MediaUrl1: 'https://api.twilio.com/media/ME2',
    });
    const long = `${'Great service. '.repeat(107)}ok!!`.slice(0, 1600);
    expect(long).toHaveLength(1600);
    await reply(c.phone!, long);
    const props = (await repliedEvents(c.id)).map((e) => e.properties);
    expect(props[0]).toMatchObject({ body: '😍👍 thanks!', keyword: '😍👍', rating: null });
    expect(props[1]).toMatchObject({ body: '', keyword: null, mediaCount: 2 });
    expect(props[1]!.mediaUrls).toEqual([
      'https://api.twilio.com/media/ME1',
      'https://api.twilio.com/media/ME2',
    ]);
    expect(props[2]!.body).toBe(long);
    const stored = await sql<{ body: string }>('select body from inbound_messages where customer_id = $1', [
      c.id,
    ]);
    expect(stored.map((s) => s.body.length).sort((a, b) => a - b)).toEqual([0, '😍👍 thanks!'.length, 1600]);
  });

  it('a reply from an unknown number is stored, becomes no event, and shows in the log as unmatched', async () => {
    // A workspace on its own Twilio number (its own inbound webhook URL).
    const own = await seedTenant(h.t.db, 'Own number shop');
    const put = await h.app.inject(
      withKey(own.keys.admin, {
        method: 'PUT',
        url: '/v1/workspace/channels',
        payload: { sms: { accountSid: `AC${'a'.repeat(32)}`, authToken: 'own-token', from: '+15557770000' } },
      }),
    );
    expect(put.statusCode).toBe(200);
    const before = await eventCount();
    sid += 1;
    const params = {
      MessageSid: `SM${'9'.repeat(32)}`,
      From: '+15559990000',
      To: '+15557770000',
      Body: 'who is this?',
    };
    const path = `/webhooks/twilio/${own.workspace.id}/inbound`;
    const res = await h.app.inject(signedTwilio(config.publicUrl, path, 'own-token', params));
    expect(res.statusCode).toBe(200);
    expect(await eventCount()).toBe(before);
    const log = await h.app.inject(
      withKey(own.keys.read, { method: 'GET', url: '/v1/messages/inbound?unmatched=true' }),
    );
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual([
      expect.objectContaining({
        fromAddress: '+15559990000',
        body: 'who is this?',
        matched: false,
        customerId: null,
        eventId: null,
      }),
    ]);
    // On the shared number, a text nobody sent to is kept for the record, shown to no workspace.
    await reply('+15559990001', 'hello?');
    const shared = await sql(
      'select workspace_id as "workspaceId", customer_id as "customerId" from inbound_messages where from_address = $1',
      ['+15559990001'],
    );
    expect(shared).toEqual([expect.objectContaining({ workspaceId: null, customerId: null })]);
  });

  it('a forged webhook is refused and a replayed one applied once', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15551110005', email: 'forged@example.com' });
    await textFromRun(c);
    const forged = signedTwilio(config.publicUrl, INBOUND, 'not-the-token', {
      MessageSid: `SM${'1'.repeat(32)}`,
      From: c.phone!,
      Body: 'STOP',
    });
    expect((await h.app.inject(forged)).statusCode).toBe(401);
    expect(await getSuppressionReason(h.t.db, ws(), 'sms', c.phone!)).toBeNull();
    const { params } = await reply(c.phone!, '3');
    const again = await h.app.inject(
      signedTwilio(config.publicUrl, INBOUND, config.twilio!.authToken, params),
    );
    expect(again.statusCode).toBe(200);
    expect(await repliedEvents(c.id)).toHaveLength(1);
  });
});
