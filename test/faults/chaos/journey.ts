import { randomBytes } from 'node:crypto';
import type { Graph } from '@hourglass/journey';
import { graphBuilder } from '@hourglass/nodes';

// The soak's journey and its customers. Every branch depends only on what the load generator decided
// (order total, whether the parcel is delivered), so the auditor can say exactly what each run must do.

/**
 * order placed → confirmation email → pause (seconds) → branch: orders over 100 get a VIP text →
 * wait for the delivery (counting events since the run began) → review email, or a nudge text on timeout.
 */
export function chaosGraph(): Graph {
  return graphBuilder()
    .node('trigger', 'trigger', {})
    .node('confirm', 'send_email', {
      subject: 'Order {{ order.externalId }} confirmed',
      body: 'Thanks {{ customer.firstName }}',
      transactional: true,
    })
    .node('pause', 'delay', { mode: 'duration', amount: 1, unit: 'minutes' })
    .node('split', 'branch', {
      cases: [
        {
          id: 'vip',
          label: 'Over 100',
          when: { kind: 'conditions', rule: { field: 'order.total', op: 'gt', value: 100 } },
        },
      ],
    })
    .node('vip', 'send_sms', { text: 'VIP {{ order.externalId }}', transactional: true })
    .node('wait', 'wait_for_event', {
      eventType: 'order.delivered',
      sameOrder: true,
      sinceRunStart: true,
      timeoutAmount: 1,
      timeoutUnit: 'minutes',
    })
    .node('review', 'send_email', {
      subject: 'How was order {{ order.externalId }}?',
      body: 'Tell us',
      transactional: true,
    })
    .node('nudge', 'send_sms', { text: 'Still on its way: {{ order.externalId }}', transactional: true })
    .edge('trigger', 'confirm')
    .edge('confirm', 'pause')
    .edge('pause', 'split')
    .edge('split', 'vip', 'vip')
    .edge('split', 'wait', 'else')
    .edge('vip', 'wait')
    .edge('wait', 'review', 'happened')
    .edge('wait', 'nudge', 'timed_out')
    .build();
}

/** One shopper of the soak: the events the load generator sends for them, decided up front. */
export interface Shopper {
  n: number;
  email: string;
  phone: string;
  customerExternalId: string;
  orderExternalId: string;
  total: number;
  /** Whether an order.delivered follows (once the run exists, as a carrier's scan would). */
  delivered: boolean;
  /** The order.placed event, then page views; order.delivered is built by `deliveredEvent`. */
  events: Record<string, unknown>[];
}

const run = randomBytes(3).toString('hex');

/** A new shopper: unique email and phone (so the emulator's log counts per shopper), random total. */
export function newShopper(n: number, random: () => number): Shopper {
  const tag = `${run}-${n}`;
  const email = `chaos-${tag}@example.com`;
  const phone = `+1555${String(n % 1e7).padStart(7, '0')}`;
  const total = 20 + Math.floor(random() * 180);
  const customer = {
    externalId: `cust_chaos_${tag}`,
    email,
    phone,
    firstName: 'Ada',
    timezone: 'UTC',
    consent: { email: 'subscribed', sms: 'subscribed' },
  };
  const orderExternalId = `ord_chaos_${tag}`;
  const views = 1 + Math.floor(random() * 2);
  const events: Record<string, unknown>[] = [
    {
      id: `evt_chaos_${tag}_placed`,
      type: 'order.placed',
      customer,
      order: { externalId: orderExternalId, total, currency: 'USD', items: [] },
    },
    ...Array.from({ length: views }, (_, i) => ({
      id: `evt_chaos_${tag}_view${i}`,
      type: 'page.viewed',
      customer: { externalId: customer.externalId },
      properties: { path: `/products/${i}` },
    })),
  ];
  return {
    n,
    email,
    phone,
    customerExternalId: customer.externalId,
    orderExternalId,
    total,
    delivered: random() < 0.5,
    events,
  };
}

/** The shopper's order.delivered event. */
export function deliveredEvent(s: Shopper): Record<string, unknown> {
  return {
    id: `evt_chaos_${run}-${s.n}_delivered`,
    type: 'order.delivered',
    customer: { externalId: s.customerExternalId },
    order: { externalId: s.orderExternalId },
  };
}
