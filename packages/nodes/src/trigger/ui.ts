import { clip } from '../common';
import type { NodeUi } from '../ui-types';
import type { TriggerConfig } from './definition';

const DATE_SOURCES = {
  first_order_anniversary: 'first-order anniversary',
  birthday: 'birthday',
  attribute: 'date',
};

/** Trigger on the canvas. */
export const triggerUi: NodeUi<TriggerConfig> = {
  icon: 'zap',
  color: '#7c3aed',
  keywords: ['start', 'event', 'entry', 'when', 'date'],
  summary(c) {
    if (c.start.kind === 'event')
      return clip(`When ${c.start.eventType}${c.start.filter ? ' (filtered)' : ''}`);
    const what = c.start.source === 'attribute' ? c.start.attribute || 'date' : DATE_SOURCES[c.start.source];
    const off = c.start.offsetDays
      ? ` ${c.start.offsetDays > 0 ? '+' : '−'}${Math.abs(c.start.offsetDays)}d`
      : '';
    return clip(
      `On ${what}${off} at ${String(c.start.hour).padStart(2, '0')}:${String(c.start.minute).padStart(2, '0')}`,
    );
  },
  fields: {
    'start.filter': { widget: 'rule', rule: { roots: ['customer', 'order', 'trigger'] } },
    'start.eventType': { widget: 'event_type' },
    'entry.segmentId': { widget: 'segment' },
    // Entry rules are answered by segment SQL over the customer table, like a segment.
    'entry.segmentRule': {
      widget: 'rule',
      rule: { roots: ['customer'], performed: true, segments: true },
    },
    'exits.*.filter': { widget: 'rule', rule: { roots: ['customer', 'order', 'trigger', 'event'] } },
    'goal.filter': { widget: 'rule', rule: { roots: ['customer', 'order', 'trigger', 'event'] } },
    'entry.periodDays': { showWhen: { 'entry.rule': ['at_most_every'] } },
  },
};
