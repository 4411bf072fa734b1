import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Providers, startProviders } from '../channels/providers';
import type { Emulator } from '../emulator/server';
import { createHarness, type Harness } from './harness';

// The worker's default sender is the channels package: with provider keys, the real Resend and
// Twilio SDKs talk to the emulator; the ledger records which provider sent each message.

let h: Harness;
let providers: Providers;
let emu: Emulator;
beforeAll(async () => {
  providers = await startProviders();
  emu = providers.emu;
  h = await createHarness('engine_channels', { timeSkipping: true, channels: providers.config });
});
afterAll(async () => {
  await h?.close();
  await providers?.close();
});

const flow = graphBuilder()
  .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
  .node('confirm', 'send_email', {
    subject: 'Order {{ order.number }} confirmed',
    body: 'Thanks {{ customer.firstName }}',
    transactional: true,
  })
  .node('wait_shipped', 'wait_for_event', {
    eventType: 'order.fulfilled',
    timeoutAmount: 14,
    timeoutUnit: 'days',
  })
  .node('shipped_sms', 'send_sms', {
    text: 'Order {{ order.number }} is on its way: {{ event.properties.trackingUrl }}',
    transactional: true,
  })
  .node('done', 'exit')
  .edge('trigger', 'confirm')
  .edge('confirm', 'wait_shipped')
  .edge('wait_shipped', 'shipped_sms', 'happened')
  .edge('wait_shipped', 'done', 'timed_out')
  .edge('shipped_sms', 'done')
  .build();

describe('engine → channels → provider SDKs', () => {
  it('order confirmation email, wait for shipping, SMS: one email and one SMS reach the providers', async () => {
    const j = await h.publish(flow);
    const c = await h.customer({ firstName: 'Grace' });
    const o = await h.order(c.id, { total: 64 });
    const id = await h.start(j, c.id, o.id);
    await h.waitRun(id, (r) => r.currentStep === 'wait_shipped' && r.status === 'waiting');
    // A day passes on the time-skipping server before the parcel ships.
    await h.sleep(86_400_000);
    await h.event(id, 'order.fulfilled', o.id, { trackingUrl: 'https://t.example/9' });
    expect(await h.result(id)).toMatchObject({ status: 'completed', reason: 'exit_node' });

    const email = emu.deliveries.filter((d) => d.provider === 'resend');
    const sms = emu.deliveries.filter((d) => d.provider === 'twilio');
    expect(email).toHaveLength(1);
    expect(sms).toHaveLength(1);
    expect(email[0]).toMatchObject({ subject: `Order ${o.externalId} confirmed` });
    // Links in texts go through the click-tracking redirect; the message keeps the original.
    expect(sms[0]!.body).toMatch(new RegExp(`^Order ${o.externalId} is on its way: http\\S+/r/[\\w-]{39}$`));
    const [tracked] = (
      await h.db.pool.query("select links from messages where customer_id = $1 and channel = 'sms'", [c.id])
    ).rows;
    expect(tracked.links).toEqual(['https://t.example/9']);

    const rows = await h.db.pool.query(
      'select channel, provider, status, provider_message_id from messages where customer_id = $1 order by created_at',
      [c.id],
    );
    expect(rows.rows).toEqual([
      { channel: 'email', provider: 'resend', status: 'sent', provider_message_id: email[0]!.id },
      { channel: 'sms', provider: 'twilio', status: 'sent', provider_message_id: sms[0]!.id },
    ]);
  });
});

describe('a template over the render limit', () => {
  it('fails its send step with the limit as the reason instead of holding the worker', async () => {
    // Compiles (the loop bound comes from a variable), so only the render's time limit can stop it.
    const spin = '{% assign n = 3000 %}{% for i in (1..n) %}{% for k in (1..n) %}{% endfor %}{% endfor %}';
    const j = await h.publish(
      graphBuilder()
        .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
        .node('mail', 'send_email', { subject: 'Hi', body: `Hello ${spin}`, transactional: true })
        .edge('trigger', 'mail')
        .build(),
    );
    const c = await h.customer({ firstName: 'Spin' });
    const o = await h.order(c.id, { total: 5 });
    const started = Date.now();
    const id = await h.start(j, c.id, o.id);
    await h.result(id);
    // Unbounded, this render alone took over 5 s; the step fails at once (never retried).
    expect(Date.now() - started).toBeLessThan(20_000);
    const run = await h.waitRun(id, () => true);
    const mail = (await h.steps(run.id)).find((s) => s.step_id === 'mail')!;
    expect(mail.outcome).toBe('failed');
    expect(mail.error).toEqual({
      type: 'send.render_failed',
      message: 'body: Template took longer than 200 ms to render',
    });
    expect((mail.finished_at as Date).getTime() - (mail.entered_at as Date).getTime()).toBeLessThan(5_000);
    const [message] = await h.messages(c.id);
    expect(message).toMatchObject({ channel: 'email', status: 'failed' });
  });
});
