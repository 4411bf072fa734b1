import { createSender, engagementEventId, signLinkToken } from '@hourglass/channels';
import { type Customer, createJourney, journeyRuns } from '@hourglass/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer, emailRequest, smsRequest, testConfig } from '../channels/helpers';
import { signedResend } from '../channels/signed';
import { type Emulator, startEmulator } from '../emulator/server';
import { type Harness, harness, seedTenant, withKey } from './harness';

// Links in texts go through our own redirect: `/r/<token>` records a human's click as a
// `message.clicked` event (once per message) and redirects in the same answer; link previews, bots,
// HEAD requests and clicks within a second of delivery are kept flagged; bad tokens are a 404.

let h: Harness;
let emu: Emulator;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
const config = testConfig();
const NOON_NY = new Date('2025-06-10T16:00:00Z');
const REVIEW = 'https://shop.example/review?order=1001&src=sms';
const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

beforeAll(async () => {
  emu = await startEmulator();
  Object.assign(config, testConfig(emu.url));
  h = await harness('api_click_redirect', { channels: config });
  tenant = await seedTenant(h.t.db, 'Clicks shop');
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});

const ws = () => tenant.workspace.id;
const sql = async <T>(text: string, values: unknown[] = []) =>
  (await h.t.pool.query(text, values)).rows as T[];
const clicks = (messageId: string) =>
  sql<{ bot: boolean; bot_reason: string | null; url: string; event_id: string | null }>(
    'select bot, bot_reason, url, event_id from message_clicks where message_id = $1 order by clicked_at, id',
    [messageId],
  );
const clickEvents = (customerId: string) =>
  sql<{ id: string; properties: Record<string, unknown> }>(
    "select id, properties from events where workspace_id = $1 and customer_id = $2 and type = 'message.clicked'",
    [ws(), customerId],
  );
/** Moves a message's send back in time (a person reads a text some time after it arrives). */
const sentAgo = (messageId: string, interval: string) =>
  sql(
    `update messages set created_at = created_at - $2::interval, sent_at = sent_at - $2::interval where id = $1`,
    [messageId, interval],
  );

/** Texts the review link from a journey run through the real Twilio SDK (emulator). */
async function textReviewLink(c: Customer) {
  const journey = await createJourney(h.t.db, ws(), { name: `Review ${c.id}` });
  const [run] = await h.t.db
    .insert(journeyRuns)
    .values({
      workspaceId: ws(),
      workflowId: `wf-${c.id}`,
      journeyId: journey.id,
      version: 2,
      customerId: c.id,
    })
    .returning();
  const res = await createSender({ db: h.t.db, config, now: () => NOON_NY }).send(
    smsRequest(ws(), c, {
      runId: run!.id,
      journeyId: journey.id,
      stepId: 'review-sms',
      idempotencyKey: `${run!.id}:review-sms`,
      text: `Loved it? Review: ${REVIEW}. Or see https://shop.example/help`,
    }),
  );
  expect(res.status).toBe('sent');
  const [m] = await sql<{ id: string; body_text: string; links: string[] }>(
    'select id, body_text, links from messages where id = $1',
    [res.messageId],
  );
  const tokens = [...m!.body_text.matchAll(/http:\/\/hourglass\.test\/r\/([A-Za-z0-9_-]+)/g)].map(
    (x) => x[1]!,
  );
  return { message: m!, tokens, runId: run!.id, journeyId: journey.id };
}

const open = (token: string, ua = PHONE_UA, method: 'GET' | 'HEAD' = 'GET') =>
  h.app.inject({ method, url: `/r/${token}`, headers: { 'user-agent': ua } });

describe('tracked links in texts', () => {
  it('the text carries short signed links, the message keeps the originals, Twilio got the short ones', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220001', email: 'links@example.com' });
    const { message, tokens } = await textReviewLink(c);
    expect(message.links).toEqual([REVIEW, 'https://shop.example/help']);
    expect(tokens).toHaveLength(2);
    expect(message.body_text).not.toContain('shop.example');
    // Sentence punctuation after a link stays text.
    expect(message.body_text).toContain(`/r/${tokens[0]}. Or see`);
    const delivered = emu.deliveries.find((d) => d.to === c.phone);
    expect(delivered?.body).toBe(message.body_text);
  });

  it('a human click is recorded once as message.clicked and redirects in the same answer', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220002', email: 'human@example.com' });
    const sent = await textReviewLink(c);
    await sentAgo(sent.message.id, '5 minutes');
    const first = await open(sent.tokens[0]!);
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe(REVIEW);
    expect(first.headers['cache-control']).toBe('no-store');
    expect((await open(sent.tokens[1]!)).headers.location).toBe('https://shop.example/help');
    const events = await clickEvents(c.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.properties).toMatchObject({
      url: REVIEW,
      messageId: sent.message.id,
      runId: sent.runId,
      journeyId: sent.journeyId,
      journeyVersion: 2,
      stepId: 'review-sms',
    });
    const rows = await clicks(sent.message.id);
    expect(rows.map((r) => [r.bot, r.url])).toEqual([
      [false, REVIEW],
      [false, 'https://shop.example/help'],
    ]);
    const [m] = await sql<{ status: string }>('select status from messages where id = $1', [sent.message.id]);
    expect(m!.status).toBe('clicked');
  });

  it('link previews, bots, HEAD requests and clicks within a second of delivery are flagged, not human clicks', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220003', email: 'bots@example.com' });
    const sent = await textReviewLink(c);
    const tooSoon = await open(sent.tokens[0]!);
    expect(tooSoon.statusCode).toBe(302);
    await sentAgo(sent.message.id, '5 minutes');
    for (const ua of [
      'facebookexternalhit/1.1 Facebot Twitterbot/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'WhatsApp/2.23.20.0',
      'TelegramBot (like TwitterBot)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ]) {
      const res = await open(sent.tokens[0]!, ua);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(REVIEW);
    }
    const head = await open(sent.tokens[0]!, PHONE_UA, 'HEAD');
    expect(head.statusCode).toBe(302);
    expect(head.headers.location).toBe(REVIEW);
    expect(await clickEvents(c.id)).toHaveLength(0);
    const rows = await clicks(sent.message.id);
    expect(rows.map((r) => r.bot_reason)).toEqual([
      'too_soon',
      'user_agent',
      'user_agent',
      'user_agent',
      'user_agent',
      'user_agent',
      'user_agent',
      'head',
    ]);
    expect(rows.every((r) => r.bot && r.event_id === null)).toBe(true);
  });

  it('forged, expired and other-link tokens are a 404 and record nothing', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220004', email: 'forged@example.com' });
    const sent = await textReviewLink(c);
    await sentAgo(sent.message.id, '5 minutes');
    const token = sent.tokens[0]!;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const otherKey = signLinkToken('another-secret', sent.message.id, 0);
    const noSuchLink = signLinkToken(config.secretKey, sent.message.id, 2);
    const noSuchMessage = signLinkToken(config.secretKey, '00000000-0000-4000-8000-000000000000', 0);
    for (const bad of [flipped, otherKey, noSuchLink, noSuchMessage, 'short', `${token}x`]) {
      const res = await open(bad);
      expect(res.statusCode, bad).toBe(404);
      expect(res.json()).toMatchObject({ code: 'link_not_found' });
    }
    await sentAgo(sent.message.id, '91 days');
    expect((await open(token)).statusCode).toBe(404);
    expect(await clicks(sent.message.id)).toEqual([]);
    expect(await clickEvents(c.id)).toHaveLength(0);
  });
});

describe('tracked links in email', () => {
  it("are off by default (the provider's click tracking reports them) and on when the workspace asks", async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220005', email: 'mail@example.com' });
    const sender = createSender({ db: h.t.db, config, now: () => NOON_NY });
    const body = `<p>Please <a href="${REVIEW.replace('&', '&amp;')}">review your order</a></p>`;
    const plain = await sender.send(emailRequest(ws(), c, { body }));
    const [before] = await sql<{ body_html: string; links: string[] | null }>(
      'select body_html, links from messages where id = $1',
      [plain.messageId],
    );
    expect(before!.links).toBeNull();
    expect(before!.body_html).toContain('https://shop.example/review');
    const patch = await h.app.inject(
      withKey(tenant.keys.admin, {
        method: 'PATCH',
        url: '/v1/workspace/settings',
        payload: { trackLinks: { email: true } },
      }),
    );
    expect(patch.statusCode).toBe(200);
    expect(patch.json().trackLinks).toEqual({ sms: true, email: true });
    const tracked = await sender.send(emailRequest(ws(), c, { body }));
    const [after] = await sql<{ body_html: string; body_text: string; links: string[] }>(
      'select body_html, body_text, links from messages where id = $1',
      [tracked.messageId],
    );
    expect(after!.links).toEqual([REVIEW]);
    expect(after!.body_html).not.toContain('shop.example');
    expect(after!.body_html).toMatch(/href="http:\/\/hourglass\.test\/r\/[A-Za-z0-9_-]{39}"/);
    // The unsubscribe link stays direct: it must work without the redirect.
    expect(after!.body_html).toContain('http://hourglass.test/unsubscribe?token=');
  });
});

describe('a click reported twice', () => {
  it("through the redirect and by Resend's email.clicked is one message.clicked event, whichever comes first", async () => {
    const patch = await h.app.inject(
      withKey(tenant.keys.admin, {
        method: 'PATCH',
        url: '/v1/workspace/settings',
        payload: { trackLinks: { email: true } },
      }),
    );
    expect(patch.statusCode).toBe(200);
    const sender = createSender({ db: h.t.db, config, now: () => NOON_NY });
    const body = `<p>Please <a href="${REVIEW.replace('&', '&amp;')}">review your order</a></p>`;
    for (const [i, redirectFirst] of [true, false].entries()) {
      const c = await addCustomer(h.t.db, ws(), {
        phone: `+1555222010${i}`,
        email: `twice-${i}@example.com`,
      });
      const sent = await sender.send(emailRequest(ws(), c, { body }));
      const messageId = sent.messageId!;
      await sentAgo(messageId, '5 minutes');
      const [m] = await sql<{ body_html: string; provider_message_id: string }>(
        'select body_html, provider_message_id from messages where id = $1',
        [messageId],
      );
      const token = /\/r\/([A-Za-z0-9_-]{39})/.exec(m!.body_html)![1]!;
      const redirect = async () => expect((await open(token)).statusCode).toBe(302);
      const report = async () => {
        const event = {
          type: 'email.clicked',
          created_at: new Date().toISOString(),
          data: { email_id: m!.provider_message_id, click: { link: REVIEW } },
        };
        const res = await h.app.inject(
          signedResend('/webhooks/resend', config.resendWebhookSecret!, JSON.stringify(event)),
        );
        expect(res.statusCode).toBe(200);
      };
      for (const step of redirectFirst ? [redirect, report] : [report, redirect]) await step();
      const events = await clickEvents(c.id);
      expect(events, redirectFirst ? 'redirect first' : 'Resend first').toEqual([
        {
          id: engagementEventId('message.clicked', messageId),
          properties: expect.objectContaining({ url: REVIEW, messageId }),
        },
      ]);
      // The redirect's click row names that one event.
      expect(await clicks(messageId)).toEqual([
        expect.objectContaining({ bot: false, event_id: events[0]!.id }),
      ]);
    }
  });
});

describe('SMS preview', () => {
  it('counts segments on the text as sent, its links shortened to the redirect', async () => {
    const c = await addCustomer(h.t.db, ws(), { phone: '+15552220006', email: 'preview@example.com' });
    const text = `Review: https://shop.example/reviews/${'x'.repeat(150)}`;
    const res = await h.app.inject(
      withKey(tenant.keys.all, {
        method: 'POST',
        url: '/v1/preview',
        payload: { customerId: c.id, content: { channel: 'sms', text, transactional: true } },
      }),
    );
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out.text).toBe(text);
    expect(out.sentText).toMatch(/^Review: http:\/\/hourglass\.test\/r\/[A-Za-z0-9_-]{39}$/);
    // 187 characters would be two segments; as sent it is one.
    expect(text.length).toBeGreaterThan(160);
    expect(out.segments).toBe(1);
  });
});
