import { PreviewBody } from '@hourglass/contract';
import { type AvailableOutput, graphOutputScopes } from '@hourglass/journey';
import {
  builtinRegistry,
  createLiquid,
  DiscountOutput,
  graphBuilder,
  RecommendOutput,
  renderTemplate,
  WebhookConfig,
  webhookOutput,
} from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CODE, sampleByKind, sampleNote, sampleStepOutputs } from './sample-outputs';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const crm = {
  url: 'https://crm.example.com/hook',
  secretName: 'crm',
  responseMapping: [{ name: 'tier', path: 'data.tier' }],
};

// trigger → discount → recommendations → crm (webhook) → mail → later (webhook after the message).
const graph = graphBuilder()
  .node('trigger', 'trigger', {})
  .node('discount', 'create_discount', { kind: 'percent', value: 15, expiresInDays: 14, prefix: 'thanks-' })
  .stepName('discount', 'discount')
  .node('recs', 'recommend_products', { limit: 6 })
  .stepName('recs', 'recommendations')
  .node('crm', 'webhook', crm)
  .stepName('crm', 'crm')
  .node('mail', 'send_email', { subject: 'Hi', body: 'Hello' })
  .node('later', 'webhook', crm)
  .stepName('later', 'later')
  .node('done', 'exit')
  .edge('trigger', 'discount')
  .edge('discount', 'recs')
  .edge('recs', 'crm')
  .edge('crm', 'mail')
  .edge('mail', 'later')
  .edge('later', 'done')
  .build();
const nodes = new Map(graph.nodes.map((n) => [n.id, { kind: n.type, config: n.data.config }]));
const reaching = graphOutputScopes(graph, builtinRegistry).get('mail')?.outputs ?? [];
const samples = sampleStepOutputs(reaching, (id) => nodes.get(id), NOW);

describe('sample step outputs for a message preview', () => {
  it('samples every output that reaches the message, and none after it', () => {
    expect(Object.keys(samples)).toEqual(['discount', 'recommendations', 'crm']);
  });

  it('gives a discount its prefixed sample code, the configured percent and the expiry from now', () => {
    expect(DiscountOutput.parse(samples.discount)).toEqual({
      code: `THANKS-${SAMPLE_CODE}`,
      percentOff: 15,
      amountOff: null,
      currency: null,
      expiresAt: '2026-03-15T12:00:00.000Z',
    });
    const amount = sampleStepOutputs(
      reaching.slice(0, 1),
      () => ({ kind: 'create_discount', config: { kind: 'amount', value: 5, expiresInDays: null } }),
      NOW,
    );
    expect(amount.discount).toMatchObject({
      percentOff: null,
      amountOff: 5,
      currency: 'USD',
      expiresAt: null,
    });
  });

  it('lists a few labelled sample products with every field a recommendation has', () => {
    const recs = RecommendOutput.parse(samples.recommendations);
    expect(recs.count).toBe(3);
    expect(recs.products).toHaveLength(3);
    expect(recs.products[0]).toMatchObject({ title: 'Sample product 1', sku: 'SAMPLE-1', price: 20 });
    expect(recs.products.every((p) => p.url && p.imageUrl?.startsWith('data:image/svg+xml'))).toBe(true);
  });

  it('shows a webhook’s mapped fields by name and a 200 status', () => {
    expect(webhookOutput(WebhookConfig.parse(crm)).parse(samples.crm)).toEqual({
      httpStatus: 200,
      tier: '<tier>',
    });
  });

  it('falls back to a value of each field’s kind for an output it has no sample for', () => {
    const custom: AvailableOutput = {
      name: 'loyalty',
      nodeId: 'x',
      label: 'Loyalty',
      guaranteed: true,
      fields: [
        { key: 'tier', kind: 'text', description: '' },
        { key: 'points', kind: 'number', description: '' },
        { key: 'since', kind: 'date', description: '' },
        { key: 'badges', kind: 'tags', description: '' },
        { key: 'raw', kind: 'any', description: '' },
      ],
    };
    expect(sampleStepOutputs([custom], () => undefined, NOW)).toEqual({
      loyalty: { tier: '<tier>', points: 0, since: NOW.toISOString(), badges: [], raw: null },
    });
    expect(sampleByKind({ key: 'x', kind: 'any' }, NOW)).toBeNull();
  });

  it('is a valid preview body and renders where the template reads steps', async () => {
    const body = PreviewBody.parse({
      customerId: '00000000-0000-4000-8000-000000000000',
      content: { channel: 'sms', text: 'x' },
      steps: samples,
    });
    expect(body.steps).toEqual(samples);
    const text = await renderTemplate(
      createLiquid(),
      'Use {{ steps.discount.code }} for {{ steps.discount.percentOff }}% off by {{ steps.discount.expiresAt | date: "%b %-d" }}.{% for p in steps.recommendations.products %} {{ p.title }}{% endfor %}',
      { steps: body.steps },
      { timeZone: 'UTC', locale: 'en-US', currency: 'USD' },
    );
    expect(text).toBe(
      'Use THANKS-SAMPLE-CODE for 15% off by Mar 15. Sample product 1 Sample product 2 Sample product 3',
    );
  });

  it('says in one line which values are samples', () => {
    expect(sampleNote(samples)).toBe(
      'Step outputs are samples: steps.discount.code = THANKS-SAMPLE-CODE, steps.recommendations.count = 3, steps.crm.httpStatus = 200',
    );
    expect(sampleNote({ a: { x: 1 }, b: { y: [] }, c: {}, d: { z: 'q' } }, 2)).toBe(
      'Step outputs are samples: steps.a.x = 1, steps.b, and 2 more',
    );
    expect(sampleNote({})).toBeNull();
  });
});
