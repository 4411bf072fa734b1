import type { NodeKind } from './registry';

/** Valid sample configs per node kind; the contract test compiles each one in a minimal journey. */
export const nodeFixtures = {
  trigger: [
    {},
    {
      start: { kind: 'date', source: 'birthday', offsetDays: -1, hour: 9, minute: 30 },
      scope: 'customer',
      entry: { rule: 'every_time' },
    },
    {
      entry: {
        rule: 'at_most_every',
        periodDays: 14,
        segmentRule: { field: 'customer.stats.aov', op: 'gt', value: 300 },
      },
    },
  ],
  delay: [
    { amount: 3, unit: 'hours' },
    { mode: 'time_of_day', hour: 9, minute: 0, weekdays: [1, 2, 3, 4, 5] },
    { mode: 'date_field', field: 'customer.attributes.renewalDate', offsetAmount: -7, atTimeOfDay: true },
  ],
  wait_for_event: [
    {},
    { eventType: 'review.submitted', filter: { field: 'event.properties.rating', op: 'gte', value: 4 } },
    {
      eventType: 'order.delivered',
      orEventTypes: [{ eventType: 'order.out_for_delivery' }, { eventType: 'order.fulfilled' }],
      sinceRunStart: true,
    },
  ],
  branch: [{}, { cases: [{ id: 'vip', when: { kind: 'segment', segmentId: 'seg_vip' } }] }],
  ab_split: [
    {},
    {
      variants: [
        { id: 'x', percent: 33.33 },
        { id: 'y', percent: 33.33 },
        { id: 'z', percent: 33.34 },
      ],
    },
  ],
  send_email: [
    { subject: 'Hi {{ customer.firstName }}', body: '{% if order %}{{ order.total }}{% endif %}' },
  ],
  send_sms: [{ text: 'Your order {{ order.number }} shipped', transactional: true }],
  webhook: [
    { url: 'https://example.com/hook', secretName: 'crm' },
    {
      url: 'https://example.com/hook',
      secretName: 'crm',
      responseMapping: [{ name: 'tier', path: 'data.tier' }],
    },
  ],
  create_discount: [{}, { kind: 'amount', value: 15, currency: 'EUR', expiresInDays: 14, prefix: 'THANKS-' }],
  recommend_products: [{}, { limit: 6, onFailure: 'continue' }],
  update_customer: [
    { addTags: ['review_requested'], setAttributes: [{ key: 'lastJourney', value: 'review' }] },
  ],
  exit: [{}, { label: 'Bought again' }],
} satisfies Record<NodeKind, Array<Record<string, unknown>>>;
