import { graphBuilder, type JourneyTemplate } from './builder';
import { blockEmail, footer, heading, text } from './emails';

const refunded = { eventType: 'order.refunded', filter: null, sameOrder: true };
const rating = (op: 'gte' | 'lte', value: number) => ({
  kind: 'conditions',
  rule: { field: 'messages.survey.replyNumber', op, value },
});

/**
 * A week after delivery, ask by SMS for a 1–5 rating. The reply (`sms.replied` about this run's survey
 * text) decides: 4–5 get the review link, 1–2 go to the brand's support team (an email to the support
 * address with the reply, and a `support.flagged` event other journeys or tools can pick up), anything
 * else and no reply within three days end quietly.
 */
export const smsSurvey: JourneyTemplate = {
  id: 'sms_satisfaction_survey',
  name: 'SMS satisfaction survey',
  description:
    'A week after delivery, text "how would you rate your order 1–5?"; happy customers get the review link, unhappy ones a support follow-up.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.delivered', filter: null },
      exits: [refunded],
    })
    .node('week', 'delay', { mode: 'duration', amount: 7, unit: 'days' })
    .node('survey', 'send_sms', {
      text: 'How would you rate your order {{ order.number }} 1–5? Reply with a number.',
    })
    .node('wait_reply', 'wait_for_event', {
      eventType: 'sms.replied',
      messageStep: 'survey',
      timeoutAmount: 3,
      timeoutUnit: 'days',
    })
    .node('rating', 'branch', {
      cases: [
        { id: 'happy', label: 'Rated 4–5', when: rating('gte', 4) },
        { id: 'unhappy', label: 'Rated 1–2', when: rating('lte', 2) },
      ],
    })
    .node('review', 'send_sms', {
      text: 'Thank you! Would you share that in a review? {{ order.reviewUrl }}',
    })
    .node(
      'support_note',
      'send_email',
      {
        ...blockEmail('Order {{ order.number }} rated {{ event.properties.body }} by SMS', [
          heading('A customer rated their order low'),
          text(
            '{{ customer.firstName }} {{ customer.lastName }} ({{ customer.email | default: customer.phone }}) answered the survey about order {{ order.number }}: "{{ event.properties.body }}". Please get in touch.',
          ),
          footer(),
        ]),
        to: 'support',
      },
      'Tell support',
    )
    .node('flag', 'update_customer', { recordEvent: 'support.flagged', addTags: ['low_rating'] })
    .node('reviewed', 'exit', { label: 'Review link sent' })
    .node('flagged', 'exit', { label: 'Flagged for support' })
    .node('neutral', 'exit', { label: 'Neutral answer' })
    .node('no_reply', 'exit', { label: 'No reply' })
    .edge('trigger', 'week')
    .edge('week', 'survey')
    .edge('survey', 'wait_reply')
    .edge('wait_reply', 'rating', 'happened')
    .edge('wait_reply', 'no_reply', 'timed_out')
    .edge('rating', 'review', 'happy')
    .edge('rating', 'support_note', 'unhappy')
    .edge('rating', 'neutral', 'else')
    .edge('review', 'reviewed')
    .edge('support_note', 'flag')
    .edge('flag', 'flagged')
    .build(),
};
