import { plural } from '../common';
import type { NodeUi } from '../ui-types';
import type { DelayConfig } from './definition';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

/** Delay on the canvas. */
export const delayUi: NodeUi<DelayConfig> = {
  icon: 'clock',
  color: '#0891b2',
  keywords: ['wait', 'pause', 'time', 'days', 'hours', 'schedule', 'later'],
  summary(c) {
    if (c.mode === 'duration') return `Wait ${plural(c.amount, c.unit)}`;
    if (c.mode === 'time_of_day') {
      const days = c.weekdays.length
        ? ` on ${[...c.weekdays]
            .sort()
            .map((d) => DAYS[d])
            .join(', ')}`
        : '';
      return `Wait until ${hhmm(c.hour, c.minute)}${days}`;
    }
    const off = c.offsetAmount
      ? `${plural(Math.abs(c.offsetAmount), c.offsetUnit)} ${c.offsetAmount > 0 ? 'after' : 'before'} `
      : '';
    return `Wait until ${off}${c.field}${c.atTimeOfDay ? ` at ${hhmm(c.hour, c.minute)}` : ''}`;
  },
  fields: {
    amount: { showWhen: { mode: ['duration'] } },
    unit: { showWhen: { mode: ['duration'] } },
    hour: { showWhen: { mode: ['time_of_day', 'date_field'] } },
    minute: { showWhen: { mode: ['time_of_day', 'date_field'] } },
    weekdays: { widget: 'weekdays', showWhen: { mode: ['time_of_day'] } },
    field: { widget: 'date_field', showWhen: { mode: ['date_field'] } },
    offsetAmount: { showWhen: { mode: ['date_field'] } },
    offsetUnit: { showWhen: { mode: ['date_field'] } },
    atTimeOfDay: { showWhen: { mode: ['date_field'] } },
  },
};
