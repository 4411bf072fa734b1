import { graphBuilder } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Providers, startProviders } from '../channels/providers';
import type { Emulator } from '../emulator/server';
import { createHarness, type Harness } from './harness';

// A journey whose email is built from blocks: the worker compiles the blocks (MJML), renders their
// Liquid for the customer and hands the HTML to the real Resend SDK, which posts it to the emulator.

let h: Harness;
let providers: Providers;
let emu: Emulator;
beforeAll(async () => {
  providers = await startProviders();
  emu = providers.emu;
  h = await createHarness('engine_block_email', { timeSkipping: true, channels: providers.config });
});
afterAll(async () => {
  await h?.close();
  await providers?.close();
});

const flow = graphBuilder()
  .node('trigger', 'trigger', { start: { kind: 'event', eventType: 'order.placed', filter: null } })
  .node('confirm', 'send_email', {
    subject: 'Order {{ order.number }} confirmed',
    mode: 'blocks',
    blocks: [
      { type: 'heading', text: 'Thanks, {{ customer.firstName }}!' },
      { type: 'order_items', title: 'Your order' },
      {
        type: 'button',
        label: 'Track it',
        href: 'https://shop.example/track/{{ order.number | url_encode }}',
      },
      { type: 'footer', text: 'Brewed with care.' },
    ],
  })
  .node('done', 'exit')
  .edge('trigger', 'confirm')
  .edge('confirm', 'done')
  .build();

describe('a block email through the engine', () => {
  it('reaches Resend as MJML-compiled HTML with the Liquid rendered and customer data escaped', async () => {
    const j = await h.publish(flow);
    const c = await h.customer({ firstName: 'Grace <i>' });
    const o = await h.order(c.id, { total: 30, title: 'Kenyan AA' });
    const id = await h.start(j, c.id, o.id);
    expect(await h.result(id)).toMatchObject({ status: 'completed' });

    const sent = emu.requests.filter((r) => r.method === 'POST' && r.path === '/emails');
    expect(sent).toHaveLength(1);
    const payload = JSON.parse(sent[0]!.body) as { subject: string; html: string; text: string };
    expect(payload.subject).toBe(`Order ${o.externalId} confirmed`);
    expect(payload.html).toContain('Thanks, Grace &lt;i&gt;!');
    expect(payload.html).toContain('Kenyan AA × 1');
    expect(payload.html).toContain(`href="https://shop.example/track/${encodeURIComponent(o.externalId)}"`);
    expect(payload.html).toContain('Brewed with care.');
    expect(payload.html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(payload.html).not.toMatch(/\{\{|\{%|⟪/);
    expect(payload.text).toContain('Kenyan AA × 1');

    const [message] = await h.messages(c.id);
    expect(message).toMatchObject({ channel: 'email', status: 'sent' });
  });
});
