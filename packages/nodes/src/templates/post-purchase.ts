import { graphBuilder, type JourneyTemplate } from './builder';
import { blockEmail, button, divider, footer, heading, orderItems, products, text } from './emails';

const refunded = { eventType: 'order.refunded', filter: null, sameOrder: true };

/**
 * Order confirmation, then shipping, out-for-delivery and delivery updates. Carriers skip stages and
 * report them late or together, so each wait listens for every stage still ahead and takes the furthest
 * one that has arrived (events since the run started count): nobody hears "on its way" after "out for
 * delivery", nor either after "delivered", and a delivery always gets its email.
 */
export const orderUpdates: JourneyTemplate = {
  id: 'order_updates',
  name: 'Order confirmation & delivery updates',
  description: 'Confirm the order, then tell the customer when it ships, is out for delivery and arrives.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.placed', filter: null },
      exits: [refunded],
    })
    .node(
      'confirm',
      'send_email',
      blockEmail(
        'Order {{ order.number }} confirmed',
        [
          heading('Thanks for your order, {{ customer.firstName | default: "there" }}!'),
          text("Order {{ order.number }} is confirmed. We'll let you know as soon as it ships."),
          orderItems(),
          button('View your order', '{{ order.statusUrl }}'),
          footer(),
        ],
        { transactional: true },
      ),
    )
    .node('wait_news', 'wait_for_event', {
      eventType: 'order.delivered',
      orEventTypes: [{ eventType: 'order.out_for_delivery' }, { eventType: 'order.fulfilled' }],
      sinceRunStart: true,
      timeoutAmount: 14,
      timeoutUnit: 'days',
    })
    .node(
      'shipped',
      'send_email',
      blockEmail(
        'Your order is on its way',
        [
          heading('Your order is on its way'),
          text('Order {{ order.number }} has left our warehouse.'),
          button('Track your parcel', '{{ event.properties.trackingUrl | default: order.statusUrl }}'),
          footer(),
        ],
        { transactional: true },
      ),
    )
    .node('wait_ofd', 'wait_for_event', {
      eventType: 'order.delivered',
      orEventTypes: [{ eventType: 'order.out_for_delivery' }],
      sinceRunStart: true,
      timeoutAmount: 10,
      timeoutUnit: 'days',
    })
    .node('ofd_sms', 'send_sms', {
      text: 'Your order {{ order.number }} is out for delivery today!',
      transactional: true,
    })
    .node('wait_delivered', 'wait_for_event', {
      eventType: 'order.delivered',
      sinceRunStart: true,
      timeoutAmount: 7,
      timeoutUnit: 'days',
    })
    .node(
      'delivered',
      'send_email',
      blockEmail(
        'Delivered: enjoy your {{ order.items[0].title }}',
        [
          heading('Your order has arrived'),
          text('Questions? Just reply to this email.'),
          orderItems(''),
          footer(),
        ],
        { transactional: true },
      ),
    )
    .node('done', 'exit', { label: 'Delivered' })
    .node('no_ship', 'exit', { label: 'No shipping news in 14 days' })
    .node('no_delivery', 'exit', { label: 'No news 10 days after shipping' })
    .node('not_delivered', 'exit', { label: 'Not delivered 7 days after out for delivery' })
    .edge('trigger', 'confirm')
    .edge('confirm', 'wait_news')
    .edge('wait_news', 'delivered', 'happened')
    .edge('wait_news', 'ofd_sms', 'order.out_for_delivery')
    .edge('wait_news', 'shipped', 'order.fulfilled')
    .edge('wait_news', 'no_ship', 'timed_out')
    .edge('shipped', 'wait_ofd')
    .edge('wait_ofd', 'delivered', 'happened')
    .edge('wait_ofd', 'ofd_sms', 'order.out_for_delivery')
    .edge('wait_ofd', 'no_delivery', 'timed_out')
    .edge('ofd_sms', 'wait_delivered')
    .edge('wait_delivered', 'delivered', 'happened')
    .edge('wait_delivered', 'not_delivered', 'timed_out')
    .edge('delivered', 'done')
    .build(),
};

/** Thank-you note, tailored to first big orders and loyal high-AOV customers. */
export const thankYou: JourneyTemplate = {
  id: 'thank_you',
  name: 'Thank-you note',
  description: 'A day after purchase, thank first-time big spenders and loyal VIPs differently.',
  graph: graphBuilder()
    .node('trigger', 'trigger', { exits: [refunded] })
    .node('wait', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
    .node('who', 'branch', {
      cases: [
        {
          id: 'first_big',
          label: 'First purchase over $100',
          when: {
            kind: 'conditions',
            rule: {
              all: [
                { field: 'customer.stats.ordersCount', op: 'eq', value: 1 },
                { field: 'order.total', op: 'gt', value: 100 },
              ],
            },
          },
        },
        {
          id: 'loyal',
          label: 'Loyal, AOV over $300',
          when: { kind: 'conditions', rule: { field: 'customer.stats.aov', op: 'gt', value: 300 } },
        },
      ],
    })
    .node(
      'email_first',
      'send_email',
      blockEmail('Welcome to the family, {{ customer.firstName }}', [
        heading('Welcome to the family, {{ customer.firstName }}'),
        text('Thanks for choosing us for your first order.'),
        footer(),
      ]),
    )
    .node(
      'email_loyal',
      'send_email',
      blockEmail('Thank you for being one of our best customers', [
        heading('Thank you, {{ customer.firstName | default: "friend" }}'),
        text('A little something for you: VIP-{{ customer.id }}'),
        footer(),
      ]),
    )
    .node(
      'email_else',
      'send_email',
      blockEmail('Thank you!', [heading('Thank you!'), text('We hope you love it.'), footer()]),
    )
    .node('done', 'exit')
    .edge('trigger', 'wait')
    .edge('wait', 'who')
    .edge('who', 'email_first', 'first_big')
    .edge('who', 'email_loyal', 'loyal')
    .edge('who', 'email_else', 'else')
    .edge('email_first', 'done')
    .edge('email_loyal', 'done')
    .edge('email_else', 'done')
    .build(),
};

/**
 * Review request a week after delivery, with an SMS nudge three days later to those who neither
 * reviewed nor clicked the review link (a click is engagement enough: no second ask).
 */
export const reviewRequest: JourneyTemplate = {
  id: 'review_request',
  name: 'Review request with SMS nudge',
  description:
    '7 days after delivery ask for a review; 3 days later text those who neither reviewed nor clicked the link.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.delivered', filter: null },
      exits: [refunded],
    })
    .node('week', 'delay', { mode: 'duration', amount: 7, unit: 'days' })
    .node(
      'ask',
      'send_email',
      blockEmail('How are you liking {{ order.items[0].title }}?', [
        heading('How are you liking {{ order.items[0].title }}?'),
        text('Your review helps other customers choose. It takes a minute.'),
        button('Leave a review', '{{ order.reviewUrl }}'),
        footer(),
      ]),
    )
    .node('wait_review', 'wait_for_event', {
      eventType: 'review.submitted',
      timeoutAmount: 3,
      timeoutUnit: 'days',
    })
    .node('clicked', 'branch', {
      cases: [
        {
          id: 'clicked',
          label: 'Clicked the review link',
          when: { kind: 'conditions', rule: { field: 'messages.ask.clicked', op: 'is_true' } },
        },
      ],
    })
    .node('nudge', 'send_sms', { text: 'Got a minute? Tell us what you think: {{ order.reviewUrl }}' })
    .node('reviewed', 'exit', { label: 'Reviewed' })
    .node('engaged', 'exit', { label: 'Clicked, no nudge' })
    .node('done', 'exit', { label: 'Nudged' })
    .edge('trigger', 'week')
    .edge('week', 'ask')
    .edge('ask', 'wait_review')
    .edge('wait_review', 'reviewed', 'happened')
    .edge('wait_review', 'clicked', 'timed_out')
    .edge('clicked', 'engaged', 'clicked')
    .edge('clicked', 'nudge', 'else')
    .edge('nudge', 'done')
    .build(),
};

/** Product recommendations after a positive review. */
export const productRecommendations: JourneyTemplate = {
  id: 'product_recommendations',
  name: 'Recommendations after a positive review',
  description: 'Two days after a 4–5 star review, suggest products that go with it.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: {
        kind: 'event',
        eventType: 'review.submitted',
        filter: { field: 'trigger.properties.rating', op: 'gte', value: 4 },
      },
      scope: 'customer',
      entry: { rule: 'at_most_every', periodDays: 30 },
      goal: { eventType: 'order.placed', filter: null, windowHours: 168, exitOnReach: true },
    })
    .node('wait', 'delay', { mode: 'duration', amount: 2, unit: 'days' })
    .node('pick', 'recommend_products', { limit: 4 })
    .node(
      'recs',
      'send_email',
      blockEmail('Glad you love it, {{ customer.firstName }}! You might also like…', [
        heading('Glad you love it, {{ customer.firstName | default: "friend" }}!'),
        text('Customers who bought what you did also loved these:'),
        products('recommendations', ''),
        divider(),
        footer(),
      ]),
    )
    .node('done', 'exit')
    .edge('trigger', 'wait')
    .edge('wait', 'pick')
    .edge('pick', 'recs')
    .edge('recs', 'done')
    .build(),
};
