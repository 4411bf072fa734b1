import { plural } from '../common';
import type { NodeUi } from '../ui-types';
import type { WaitForEventConfig } from './definition';

/** Wait-for-event on the canvas. */
export const waitForEventUi: NodeUi<WaitForEventConfig> = {
  icon: 'hourglass',
  color: '#0891b2',
  keywords: ['wait until', 'event', 'listen', 'delivered', 'shipped', 'timeout'],
  summary: (c) =>
    `Wait for ${[c.eventType, ...c.orEventTypes.map((o) => o.eventType)].join(' or ')} · up to ${plural(c.timeoutAmount, c.timeoutUnit)}`,
  fields: {
    eventType: { widget: 'event_type' },
    'orEventTypes.*.eventType': { widget: 'event_type' },
    // Picked among the journey's send-email and send-SMS steps by name; the config keeps the step id.
    messageStep: { widget: 'message_step' },
    filter: { widget: 'rule', rule: { roots: ['customer', 'order', 'trigger', 'event'] } },
  },
};
