import { randomBytes } from 'node:crypto';
import type { Graph } from '@hourglass/journey';
import { graphBuilder } from '@hourglass/nodes';

// Scenarios for the customer-success views, seeded through the public API and the real engine:
// order placed → branch on AOV → review email → SMS nudge → second SMS (hits the frequency cap).

/** The support journey: every run ends quickly (no long delays), so a test sees all outcomes. */
export function supportJourney(): Graph {
  return graphBuilder()
    .node(
      'trigger',
      'trigger',
      { start: { kind: 'event', eventType: 'order.placed', filter: null } },
      'Order placed',
    )
    .node(
      'aov',
      'branch',
      {
        cases: [
          {
            id: 'loyal',
            label: 'Loyal',
            when: {
              kind: 'conditions',
              rule: { all: [{ field: 'customer.stats.aov', op: 'gt', value: 300 }] },
            },
          },
        ],
      },
      'AOV check',
    )
    .node(
      'review_email',
      'send_email',
      {
        subject: 'How was your order, {{ customer.firstName }}?',
        body: 'Tell us what you think of order {{ order.number }}.',
      },
      'Review email',
    )
    .node(
      'review_sms',
      'send_sms',
      { text: 'Hi {{ customer.firstName }}, mind leaving a review?' },
      'Review SMS',
    )
    .node(
      'second_sms',
      'send_sms',
      { text: 'Last chance to review, {{ customer.firstName }}!' },
      'Second SMS',
    )
    .node('done', 'exit', {}, 'Done')
    .edge('trigger', 'aov')
    .edge('aov', 'review_email', 'loyal')
    .edge('aov', 'review_email', 'else')
    .edge('review_email', 'review_sms')
    .edge('review_sms', 'second_sms')
    .edge('second_sms', 'done')
    .build();
}

/** An IANA zone ("Etc/GMT-5" = UTC+5) where the local hour is `hour` right now, ± a few minutes. */
export function zoneWithLocalHour(hour: number, now = new Date()): string {
  for (let offset = -12; offset <= 14; offset++) {
    if ((now.getUTCHours() + offset + 24) % 24 === hour) {
      return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
    }
  }
  throw new Error(`no zone with local hour ${hour}`);
}

/** The four reasons a support agent must be able to explain. */
export type SmsScenario = 'quiet' | 'unsubscribed' | 'capped' | 'failed';

/** An order.placed event for a customer in a scenario (unique email per call). */
export function scenarioEvent(scenario: SmsScenario, opts: { total?: number } = {}) {
  const tag = randomBytes(3).toString('hex');
  const email = `${scenario}-${tag}@example.com`;
  const event = {
    id: `evt_${scenario}_${tag}`,
    type: 'order.placed',
    occurredAt: new Date().toISOString(),
    customer: {
      externalId: `cus_${scenario}_${tag}`,
      email,
      // The provider (emulator) refuses numbers that are not E.164, like Twilio does (21211).
      phone:
        scenario === 'failed'
          ? '555-0100'
          : `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      firstName: scenario[0]?.toUpperCase() + scenario.slice(1),
      lastName: 'Tester',
      // Quiet hours are 21:00–08:00 local: 02:00 is inside, 12:00 is not.
      timezone: zoneWithLocalHour(scenario === 'quiet' ? 2 : 12),
      consent: { email: 'subscribed', sms: scenario === 'unsubscribed' ? 'unsubscribed' : 'subscribed' },
    },
    order: { externalId: `ord_${tag}`, total: opts.total ?? 312.4, currency: 'USD', items: [] },
  } as const;
  return { email, event };
}

/** The entry a scenario's timeline must show, as the agent reads it. */
export const expectedSmsText: Record<SmsScenario, RegExp> = {
  quiet: /SMS deferred by quiet hours until 08:00 Etc\/GMT([+-]\d+)?/,
  unsubscribed: /Skipped: unsubscribed from SMS/,
  capped: /Skipped: frequency cap/,
  failed: /Failed: invalid phone number \(Twilio 21211/,
};
