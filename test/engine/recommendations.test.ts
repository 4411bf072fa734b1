import { upsertOrder } from '@hourglass/db';
import { templates } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DAY, type Harness } from './harness';

// The seed "Recommendations after a positive review" flow end to end: the Recommend products step
// reads the workspace's own order history, and the email lists what customers who bought the same
// also bought, never what the customer already has.

let h: Harness;
beforeAll(async () => {
  h = await createHarness('engine_recommendations', { timeSkipping: true });
});
afterAll(async () => h?.close());

const PRODUCTS: Record<string, { name: string; price: number }> = {
  MUG: { name: 'Enamel mug', price: 18 },
  BEANS: { name: 'House beans', price: 14.5 },
  FILTER: { name: 'Paper filters', price: 6 },
  GRINDER: { name: 'Hand grinder', price: 89 },
};
let seq = 0;
async function buys(customerId: string, skus: string[], daysAgo: number) {
  await upsertOrder(h.db.db, h.ws.id, {
    externalId: `#rec-${++seq}`,
    customerId,
    total: skus.reduce((t, s) => t + PRODUCTS[s]!.price, 0),
    placedAt: new Date((await h.now()) - daysAgo * DAY),
    items: skus.map((sku) => ({
      sku,
      name: PRODUCTS[sku]!.name,
      quantity: 1,
      price: PRODUCTS[sku]!.price,
      url: `https://shop.example/p/${sku.toLowerCase()}`,
      imageUrl: `https://cdn.shop.example/${sku.toLowerCase()}.jpg`,
    })),
  });
}

describe('recommendations after a positive review', () => {
  it('emails co-purchased products, then best sellers, leaving out what the customer has', async () => {
    for (const basket of [
      ['MUG', 'BEANS'],
      ['MUG', 'BEANS'],
      ['MUG', 'FILTER'],
      ['GRINDER'],
      ['GRINDER'],
      ['GRINDER'],
    ]) {
      await buys((await h.customer({})).id, basket, 20);
    }
    const ada = await h.customer({ firstName: 'Ada' });
    await buys(ada.id, ['FILTER'], 60);
    await buys(ada.id, ['MUG'], 10);

    const tpl = templates.find((t) => t.id === 'product_recommendations')!;
    const j = await h.publish(tpl.graph);
    const id = await h.start(j, ada.id, null, 'review.submitted');
    expect(await h.result(id)).toMatchObject({ status: 'completed' });

    const [mail] = await h.messages(ada.id);
    expect(mail?.subject).toBe('Glad you love it, Ada! You might also like…');
    const text = mail?.body_text ?? '';
    // Beans were bought with mugs twice; then the best seller; never the mug or filters Ada has.
    expect(text.indexOf('House beans')).toBeGreaterThan(-1);
    expect(text.indexOf('Hand grinder')).toBeGreaterThan(text.indexOf('House beans'));
    expect(text).toContain('https://shop.example/p/beans');
    expect(text).toContain('$14.50');
    expect(text).not.toContain('Enamel mug');
    expect(text).not.toContain('Paper filters');

    const run = await h.waitRun(id, () => true);
    const step = (await h.steps(run.id)).find((s) => s.step_id === 'pick')!;
    expect(step).toMatchObject({ outcome: 'ok', output: { count: 2 } });
    expect((step.output as { products: Array<{ sku: string }> }).products.map((p) => p.sku)).toEqual([
      'BEANS',
      'GRINDER',
    ]);
  });
});
