import { graphBuilder, type JourneyTemplate } from './builder';
import { blockEmail, button, footer, heading, text } from './emails';

/** Rewards-program welcome, then a monthly points reminder (a loop through a delay, bounded per run). */
export const rewardsWelcome: JourneyTemplate = {
  id: 'rewards_welcome',
  name: 'Rewards welcome & monthly points',
  description: 'Welcome new members, then remind them of their points balance every month.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'rewards.joined', filter: null },
      scope: 'customer',
      entry: { rule: 'once_per_customer' },
      exits: [{ eventType: 'rewards.left', filter: null, sameOrder: false }],
      maxStepVisits: 24,
    })
    .node(
      'welcome',
      'send_email',
      blockEmail('Welcome to rewards, {{ customer.firstName }}', [
        heading('Welcome to rewards, {{ customer.firstName }}'),
        text('You have {{ customer.attributes.points }} points.'),
        footer(),
      ]),
    )
    .node('month', 'delay', { mode: 'duration', amount: 30, unit: 'days' })
    .node(
      'reminder',
      'send_email',
      blockEmail('You have {{ customer.attributes.points }} points to spend', [
        heading('You have {{ customer.attributes.points }} points to spend'),
        button('Redeem them', '{{ brand.url }}'),
        footer(),
      ]),
    )
    .edge('trigger', 'welcome')
    .edge('welcome', 'month')
    .edge('month', 'reminder')
    .edge('reminder', 'month')
    .build(),
};

/** Replenishment: email on day 20 of a 30-day supply, SMS a week before running out; a reorder is the goal. */
export const replenishment: JourneyTemplate = {
  id: 'replenishment',
  name: 'Replenishment reminders',
  description: 'Day 20 of a 30-day supply: email. A week before running out: SMS. Reordering ends it.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      goal: { eventType: 'order.placed', filter: null, windowHours: 30 * 24, exitOnReach: true },
      exits: [{ eventType: 'order.refunded', filter: null, sameOrder: true }],
    })
    .node('day20', 'delay', {
      mode: 'date_field',
      field: 'order.placedAt',
      offsetAmount: 20,
      atTimeOfDay: true,
    })
    .node(
      'email',
      'send_email',
      blockEmail('Running low on {{ order.items[0].title }}?', [
        heading('Running low on {{ order.items[0].title }}?'),
        text('Reorder in one click:'),
        button('Reorder', '{{ order.reorderUrl }}'),
        footer(),
      ]),
    )
    .node('day23', 'delay', {
      mode: 'date_field',
      field: 'order.placedAt',
      offsetAmount: 23,
      atTimeOfDay: true,
    })
    .node('sms', 'send_sms', {
      text: 'About a week of {{ order.items[0].title }} left. Reorder: {{ order.reorderUrl }}',
    })
    .node('done', 'exit')
    .edge('trigger', 'day20')
    .edge('day20', 'email')
    .edge('email', 'day23')
    .edge('day23', 'sms')
    .edge('sms', 'done')
    .build(),
};

/** Customer anniversary of their first order. */
export const customerAnniversary: JourneyTemplate = {
  id: 'customer_anniversary',
  name: 'Customer anniversary',
  description: 'Celebrate the anniversary of the first order with a gift, at 10:00 local time.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'date', source: 'first_order_anniversary', offsetDays: 0, hour: 10, minute: 0 },
      scope: 'customer',
      entry: { rule: 'every_time' },
    })
    .node('discount', 'create_discount', { kind: 'percent', value: 15, expiresInDays: 30, prefix: 'ANNIV-' })
    .node(
      'email',
      'send_email',
      blockEmail('Happy anniversary, {{ customer.firstName }}!', [
        heading('Happy anniversary, {{ customer.firstName }}!'),
        text(
          'A year ago you placed your first order. Here is {{ steps.discount.percentOff }}% off, just for you: {{ steps.discount.code }} (until {{ steps.discount.expiresAt | date: "%B %-d" }}).',
        ),
        button('Shop now', '{{ brand.url }}'),
        footer(),
      ]),
    )
    .node('done', 'exit')
    .edge('trigger', 'discount')
    .edge('discount', 'email')
    .edge('email', 'done')
    .build(),
};

/** Win-back ("bounceback"): no new order in 90 days → an offer, bigger for high-AOV customers. */
export const winBack: JourneyTemplate = {
  id: 'win_back',
  name: 'Win-back offer',
  description: 'If a customer has not ordered again within 90 days, send a comeback offer.',
  graph: graphBuilder()
    .node('trigger', 'trigger', { scope: 'customer', entry: { rule: 'every_time' } })
    .node('wait_order', 'wait_for_event', {
      eventType: 'order.placed',
      sameOrder: false,
      timeoutAmount: 90,
      timeoutUnit: 'days',
    })
    .node('value', 'branch', {
      cases: [
        {
          id: 'vip',
          label: 'AOV over $300',
          when: { kind: 'conditions', rule: { field: 'customer.stats.aov', op: 'gt', value: 300 } },
        },
      ],
    })
    .node('vip_code', 'create_discount', {
      kind: 'percent',
      value: 25,
      expiresInDays: 14,
      prefix: 'MISSYOU-',
    })
    .stepName('vip_code', 'vip_discount')
    .node(
      'vip_offer',
      'send_email',
      blockEmail('We miss you: {{ steps.vip_discount.percentOff }}% off', [
        heading('We miss you, {{ customer.firstName | default: "friend" }}'),
        text(
          'Come back with {{ steps.vip_discount.code }}, good until {{ steps.vip_discount.expiresAt | date: "%B %-d" }}.',
        ),
        button('Shop now', '{{ brand.url }}'),
        footer(),
      ]),
    )
    .node('code', 'create_discount', { kind: 'percent', value: 10, expiresInDays: 14, prefix: 'MISSYOU-' })
    .node(
      'offer',
      'send_email',
      blockEmail('We miss you: {{ steps.discount.percentOff }}% off', [
        heading('We miss you'),
        text('Come back soon with {{ steps.discount.code }}.'),
        button('Shop now', '{{ brand.url }}'),
        footer(),
      ]),
    )
    .node('returned', 'exit', { label: 'Ordered again' })
    .node('done', 'exit', { label: 'Offer sent' })
    .edge('trigger', 'wait_order')
    .edge('wait_order', 'returned', 'happened')
    .edge('wait_order', 'value', 'timed_out')
    .edge('value', 'vip_code', 'vip')
    .edge('vip_code', 'vip_offer')
    .edge('value', 'code', 'else')
    .edge('code', 'offer')
    .edge('vip_offer', 'done')
    .edge('offer', 'done')
    .build(),
};
