import { applyResendEvent, createSender } from '@hourglass/channels';
import {
  addSuppression,
  getMessage,
  recordInboundMessage,
  updateWorkspaceSettings,
  WorkspaceSettings,
} from '@hourglass/db';
import { freshDatabase, seedWorkspace, type TestDatabase } from '@hourglass/db/testing';
import { ActionError } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/server';
import { addCustomer, emailRequest, smsRequest, testConfig } from './helpers';

let t: TestDatabase;
let emu: Emulator;
beforeAll(async () => {
  t = await freshDatabase('channels_send');
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
  await t?.drop();
});

// Noon in New York: outside quiet hours.
const NOON_NY = new Date('2025-06-10T16:00:00Z');
const outbox = (now = NOON_NY) => createSender({ db: t.db, config: testConfig(), now: () => now });

describe('send: outbox, rendering and ledger', () => {
  it('stores the rendered email in the outbox with provider outbox, status sent', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const res = await outbox().send(emailRequest(ws.id, c));
    expect(res).toMatchObject({ status: 'sent' });
    const m = await getMessage(t.db, ws.id, res.messageId!);
    expect(m).toMatchObject({
      provider: 'outbox',
      status: 'sent',
      subject: 'Thanks Ada',
      toAddress: 'ada@example.com',
    });
    expect(m?.bodyHtml).toContain('Hi Ada, your total was €42.50.');
    expect(m?.bodyText).toContain('Unsubscribe: http://hourglass.test/unsubscribe?token=');
  });

  it('returns the recorded outcome for a retried idempotency key', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const req = emailRequest(ws.id, c, { transactional: true });
    const a = await outbox().send(req);
    const b = await outbox().send(req);
    expect(b).toEqual(a);
  });

  it('fails explicitly (non-retryable) on an unknown variable, recording the failure', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const req = emailRequest(ws.id, c, { subject: 'Hi {{ customer.nickname }}' } as never);
    const err = await outbox()
      .send(req)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect(err).toMatchObject({ code: 'send.render_failed', retryable: false });
    await expect(outbox().send(req)).rejects.toMatchObject({ code: 'send.render_failed', retryable: false });
  });

  it('sends List-Unsubscribe headers and the idempotency key to Resend for marketing only', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'headers@example.com' });
    const sender = createSender({ db: t.db, config: testConfig(emu.url), now: () => NOON_NY });
    const req = emailRequest(ws.id, c);
    await sender.send(req);
    const d = emu.deliveries.find((x) => x.idempotencyKey === req.idempotencyKey);
    expect(d?.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/hourglass\.test\/unsubscribe\?token=.+>$/);
    expect(d?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const tx = emailRequest(ws.id, c, { transactional: true });
    await sender.send(tx);
    expect(emu.deliveries.find((x) => x.idempotencyKey === tx.idempotencyKey)?.headers).toEqual({});
  });
});

describe('send: one clock for the ledger', () => {
  it("stamps a message's times by the database, not the writer: history in order, sentAt after createdAt", async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'clock@example.com' });
    // A worker's clock is workflow time, which lags the database's; a provider reports on its own clock.
    const lagging = () => new Date(Date.now() - 60_000);
    const sender = createSender({ db: t.db, config: testConfig(emu.url), now: lagging });
    const res = await sender.send(emailRequest(ws.id, c, { transactional: true }));
    const sent = await getMessage(t.db, ws.id, res.messageId!);
    await applyResendEvent(t.db, `clock-${res.messageId}`, {
      type: 'email.delivered',
      created_at: new Date(Date.now() - 3_600_000).toISOString(),
      data: { email_id: sent!.providerMessageId! },
    });
    const m = (await getMessage(t.db, ws.id, res.messageId!))!;
    expect(m.statusHistory.map((h) => h.status)).toEqual(['reserved', 'sent', 'delivered']);
    const times = m.statusHistory.map((h) => h.at);
    expect(times).toEqual([...times].sort());
    expect(times[0]).toBe(m.createdAt.toISOString());
    expect(times[1]).toBe(m.sentAt?.toISOString());
    expect(m.sentAt!.getTime()).toBeGreaterThanOrEqual(m.createdAt.getTime());
  });
});

describe('send: the customer row the caller loaded', () => {
  it('takes consent and address from the row it is given for that customer, and reads it otherwise', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { email: 'stored@example.com' });
    const other = await addCustomer(t.db, ws.id, { email: 'other@example.com' });
    const at = () => NOON_NY;
    // The caller's row (read just before, in the same attempt) is the one the message goes by.
    const given = { ...c, email: 'loaded@example.com' };
    const sent = await createSender({ db: t.db, config: testConfig(), now: at, customer: given }).send(
      emailRequest(ws.id, c),
    );
    expect((await getMessage(t.db, ws.id, sent.messageId!))?.toAddress).toBe('loaded@example.com');
    const unsubscribed = { ...c, consent: { ...c.consent, email: 'unsubscribed' as const } };
    const skipped = await createSender({
      db: t.db,
      config: testConfig(),
      now: at,
      customer: unsubscribed,
    }).send(emailRequest(ws.id, c));
    expect(skipped).toMatchObject({ status: 'suppressed' });
    // A row for another customer is not used: the sender reads the request's customer itself.
    const read = await createSender({ db: t.db, config: testConfig(), now: at, customer: other }).send(
      emailRequest(ws.id, c),
    );
    expect((await getMessage(t.db, ws.id, read.messageId!))?.toAddress).toBe('stored@example.com');
  });
});

describe('send: consent and suppression', () => {
  it('skips marketing to an unsubscribed customer but sends transactional', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { consent: { email: 'unsubscribed' } });
    expect(await outbox().send(emailRequest(ws.id, c))).toMatchObject({
      status: 'suppressed',
      reason: 'unsubscribed',
    });
    expect(await outbox().send(emailRequest(ws.id, c, { transactional: true }))).toMatchObject({
      status: 'sent',
    });
  });

  it('requires explicit opt-in for marketing SMS', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { consent: { sms: 'unknown' } });
    expect(await outbox().send(smsRequest(ws.id, c))).toMatchObject({
      status: 'suppressed',
      reason: 'no_consent',
    });
  });

  it('transactional ignores an unsubscribe suppression but never a hard bounce, complaint or STOP', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    await addSuppression(t.db, ws.id, {
      channel: 'email',
      address: 'ADA@example.com',
      reason: 'unsubscribed',
    });
    expect(await outbox().send(emailRequest(ws.id, c))).toMatchObject({
      status: 'suppressed',
      reason: 'suppressed_unsubscribed',
    });
    expect(await outbox().send(emailRequest(ws.id, c, { transactional: true }))).toMatchObject({
      status: 'sent',
    });
    for (const [reason, address] of [
      ['hard_bounce', 'bounce@example.com'],
      ['complaint', 'complaint@example.com'],
    ] as const) {
      const d = await addCustomer(t.db, ws.id, { email: address });
      await addSuppression(t.db, ws.id, { channel: 'email', address, reason });
      expect(await outbox().send(emailRequest(ws.id, d, { transactional: true }))).toMatchObject({
        status: 'suppressed',
        reason: `suppressed_${reason}`,
      });
    }
    await addSuppression(t.db, ws.id, { channel: 'sms', address: c.phone!, reason: 'stop' });
    expect(await outbox().send(smsRequest(ws.id, c, { transactional: true }))).toMatchObject({
      status: 'suppressed',
      reason: 'suppressed_stop',
    });
  });

  it('skips a customer without an address on the channel', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id, { phone: null });
    expect(await outbox().send(smsRequest(ws.id, c, { transactional: true }))).toMatchObject({
      status: 'suppressed',
      reason: 'no_address',
    });
  });
});

describe('send: quiet hours and frequency caps', () => {
  it('defers marketing SMS inside quiet hours (customer-local) without recording it', async () => {
    const ws = await seedWorkspace(t.db);
    const ny = await addCustomer(t.db, ws.id, { timezone: 'America/New_York', phone: '+15551110001' });
    const tokyo = await addCustomer(t.db, ws.id, { timezone: 'Asia/Tokyo', phone: '+15551110002' });
    // 02:00 UTC = 22:00 in New York (quiet), 11:00 in Tokyo (fine).
    const at = new Date('2025-06-10T02:00:00Z');
    const req = smsRequest(ws.id, ny);
    expect(await outbox(at).send(req)).toEqual({
      status: 'skipped',
      messageId: null,
      reason: 'quiet_hours',
      deferUntil: '2025-06-10T12:00:00.000Z',
    });
    expect(await outbox(at).send(smsRequest(ws.id, tokyo))).toMatchObject({ status: 'sent' });
    // The engine wakes at 08:00 New York and runs the same step again: it goes out.
    expect(await outbox(new Date('2025-06-10T12:00:00Z')).send(req)).toMatchObject({ status: 'sent' });
    // Transactional SMS is not held back.
    expect(await outbox(at).send(smsRequest(ws.id, ny, { transactional: true }))).toMatchObject({
      status: 'sent',
    });
  });

  it('throws the engine-provided deferral error when configured', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const sender = createSender({
      db: t.db,
      config: testConfig(),
      now: () => new Date('2025-06-10T02:00:00Z'),
      deferError: (until) => new Error(`defer ${until.toISOString()}`),
    });
    await expect(sender.send(smsRequest(ws.id, c))).rejects.toThrow('defer 2025-06-10T12:00:00.000Z');
  });

  it('caps marketing per channel across journeys (workspace setting), transactional exempt', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const first = await outbox().send(emailRequest(ws.id, c, { journeyId: 'a' }));
    expect(first.status).toBe('sent');
    // The ledger's times are the database's: the sender's decision clock is set relative to them.
    const later = (hours: number) => new Date(Date.now() + hours * 3_600_000);
    const capped = await outbox(later(1)).send(emailRequest(ws.id, c, { journeyId: 'b' }));
    expect(capped).toMatchObject({ status: 'skipped', reason: 'capped' });
    expect((await getMessage(t.db, ws.id, capped.messageId!))?.skipReason).toBe('capped');
    expect(await outbox().send(emailRequest(ws.id, c, { transactional: true }))).toMatchObject({
      status: 'sent',
    });
    expect(await outbox().send(smsRequest(ws.id, c))).toMatchObject({ status: 'sent' });
    // Default email cap is 16 h: 17 h later it goes.
    expect(await outbox(later(17)).send(emailRequest(ws.id, c))).toMatchObject({
      status: 'sent',
    });
    // A workspace may lower the cap.
    await updateWorkspaceSettings(
      t.db,
      ws.id,
      WorkspaceSettings.parse({ frequencyCaps: { emailHours: 0, smsHours: 0 } }),
    );
    expect(await outbox(later(17)).send(emailRequest(ws.id, c))).toMatchObject({
      status: 'sent',
    });
  });

  it('lets one marketing text answer each text the customer sent since our last one', async () => {
    const ws = await seedWorkspace(t.db);
    // The ledger's times are the database's, so the decision clock is now: quiet hours off.
    await updateWorkspaceSettings(
      t.db,
      ws.id,
      WorkspaceSettings.parse({ quietHours: { start: '00:00', end: '00:00' } }),
    );
    const c = await addCustomer(t.db, ws.id, { phone: '+15551239999' });
    const send = () => outbox(new Date(Date.now() + 60_000)).send(smsRequest(ws.id, c));
    expect(await send()).toMatchObject({ status: 'sent' });
    expect(await send()).toMatchObject({ status: 'skipped', reason: 'capped' });
    // They answer (the survey's "5"): the review link may go at once.
    await recordInboundMessage(t.db, {
      workspaceId: ws.id,
      customerId: c.id,
      providerMessageId: `SM${'7'.repeat(32)}`,
      fromAddress: c.phone!,
      body: '5',
    });
    expect(await send()).toMatchObject({ status: 'sent' });
    // One answer per text of theirs; and a text does not open the email cap.
    expect(await send()).toMatchObject({ status: 'skipped', reason: 'capped' });
    const later = (over: object) => outbox(new Date(Date.now() + 60_000)).send(emailRequest(ws.id, c, over));
    expect(await later({})).toMatchObject({ status: 'sent' });
    await recordInboundMessage(t.db, {
      workspaceId: ws.id,
      customerId: c.id,
      providerMessageId: `SM${'8'.repeat(32)}`,
      fromAddress: c.phone!,
      body: 'thanks',
    });
    expect(await later({})).toMatchObject({ status: 'skipped', reason: 'capped' });
  });

  it('lets only one of two concurrent marketing sends through the cap', async () => {
    const ws = await seedWorkspace(t.db);
    const c = await addCustomer(t.db, ws.id);
    const results = await Promise.all([1, 2, 3].map(() => outbox().send(emailRequest(ws.id, c))));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'capped')).toHaveLength(2);
  });
});
