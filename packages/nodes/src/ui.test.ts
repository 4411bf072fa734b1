import { describe, expect, it } from 'vitest';
import { summarizeNode } from './ui';

describe('summaries', () => {
  it.each([
    ['delay', { amount: 7 }, 'Wait 7 days'],
    ['delay', { amount: 1, unit: 'hours' }, 'Wait 1 hour'],
    ['delay', { mode: 'time_of_day', hour: 9, weekdays: [1, 3] }, 'Wait until 09:00 on Mon, Wed'],
    ['delay', { mode: 'date_field', offsetAmount: 20 }, 'Wait until 20 days after order.placedAt'],
    [
      'send_email',
      { subject: 'How are you liking {{ order.items[0].title }}?' },
      'Email · How are you liking {{ order.items[0].title }}?',
    ],
    [
      'branch',
      { cases: [1, 2, 3].map((i) => ({ id: `c${i}`, when: { kind: 'segment', segmentId: 's' } })) },
      'Branch · 3 cases',
    ],
    ['ab_split', {}, 'Split · A 50% / B 50%'],
    ['trigger', {}, 'When order.placed'],
    ['teleport', {}, 'teleport'],
    ['delay', { unit: 'eons' }, 'Delay'],
  ])('%s %j → %s', (kind, config, expected) => {
    expect(summarizeNode(kind, config)).toBe(expected);
  });
});
