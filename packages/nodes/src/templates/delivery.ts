import { graphBuilder, type JourneyTemplate } from './builder';
import { blockEmail, button, footer, heading, orderItems, text } from './emails';

/**
 * When the carrier reports a failed or delayed delivery (Shopify's `failure` / `delayed` shipment
 * status, as `order.delivery_failed`): tell the customer at once by SMS and email, with the carrier's
 * tracking link, then wait for the parcel; a delivery ends the journey quietly.
 */
export const deliveryProblem: JourneyTemplate = {
  id: 'delivery_problem',
  name: 'Delivery problem',
  description: 'When the carrier reports a failed or delayed delivery, tell the customer what to do next.',
  graph: graphBuilder()
    .node('trigger', 'trigger', {
      start: { kind: 'event', eventType: 'order.delivery_failed', filter: null },
      exits: [{ eventType: 'order.delivered', filter: null, sameOrder: true }],
    })
    .node('sms', 'send_sms', {
      text: 'There is a problem delivering order {{ order.number }}. Details: {{ order.trackingUrl | default: order.statusUrl }}',
      transactional: true,
    })
    .node(
      'email',
      'send_email',
      blockEmail(
        'A problem with the delivery of order {{ order.number }}',
        [
          heading('We hit a snag delivering your order'),
          text(
            '{{ order.trackingCompany | default: "The carrier" }} could not deliver order {{ order.number }} as planned. Check the tracking page for a new delivery date or a pickup point; reply to this email and we will help.',
          ),
          button('Track your parcel', '{{ order.trackingUrl | default: order.statusUrl }}'),
          orderItems(''),
          footer(),
        ],
        { transactional: true },
      ),
    )
    .node('wait_delivered', 'wait_for_event', {
      eventType: 'order.delivered',
      sinceRunStart: true,
      timeoutAmount: 7,
      timeoutUnit: 'days',
    })
    .node('done', 'exit', { label: 'Delivered' })
    .node('stuck', 'exit', { label: 'Not delivered 7 days later' })
    .edge('trigger', 'sms')
    .edge('sms', 'email')
    .edge('email', 'wait_delivered')
    .edge('wait_delivered', 'done', 'happened')
    .edge('wait_delivered', 'stuck', 'timed_out')
    .build(),
};
