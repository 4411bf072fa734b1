import type { NodeDiagnostic, Wake } from '@hourglass/journey';
import { defineNode, TimeUnit, unsafePathSegment } from '@hourglass/journey';
import { z } from 'zod';
import { checkDuration, durationMs } from '../common';

/** Date fields a delay can wait for (plus any `customer.attributes.*`). */
export const DATE_FIELDS = [
  'order.placedAt',
  'order.fulfilledAt',
  'order.deliveredAt',
  'trigger.occurredAt',
] as const;

/** Delay config. Flat on purpose: the generated form shows the fields of the chosen `mode` (see ui.ts). */
export const DelayConfig = z.object({
  mode: z.enum(['duration', 'time_of_day', 'date_field']).default('duration').describe('Wait'),
  amount: z.number().int().default(1).describe('For'),
  unit: TimeUnit.default('days').describe('Unit'),
  hour: z.number().int().min(0).max(23).default(10).describe('Hour (customer time)'),
  minute: z.number().int().min(0).max(59).default(0).describe('Minute'),
  weekdays: z.array(z.number().int().min(0).max(6)).max(7).default([]).describe('Only on (empty = any day)'),
  field: z.string().default('order.placedAt').describe('Date'),
  offsetAmount: z.number().int().default(0).describe('Offset (negative = before)'),
  offsetUnit: TimeUnit.default('days').describe('Offset unit'),
  atTimeOfDay: z.boolean().default(false).describe('At a time of day'),
});
export type DelayConfig = z.infer<typeof DelayConfig>;

/** Waits a duration, until a local time of day, or until a date from the customer's data. */
export const delay = defineNode({
  kind: 'delay',
  version: 1,
  label: 'Delay',
  description: 'Wait for a while, until a time of day, or until a date ± offset.',
  category: 'timing',
  config: DelayConfig,
  ports: [{ id: 'out', label: 'Then' }],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    let wake: Wake;
    if (c.mode === 'duration') {
      const ms = durationMs(c.amount, c.unit);
      d.push(...checkDuration(ms, 'amount'));
      wake = { kind: 'duration', ms: Math.max(0, ms) };
    } else if (c.mode === 'time_of_day') {
      const weekdays = [...new Set(c.weekdays)].sort();
      wake = {
        kind: 'time_of_day',
        hour: c.hour,
        minute: c.minute,
        ...(weekdays.length ? { weekdays } : {}),
      };
    } else {
      const ok =
        (DATE_FIELDS as readonly string[]).includes(c.field) ||
        (/^customer\.attributes\.\w+/.test(c.field) && unsafePathSegment(c.field) === null);
      if (!ok)
        d.push({ field: 'field', code: 'config.invalid', message: `"${c.field}" is not a date field` });
      const offsetMs = durationMs(c.offsetAmount, c.offsetUnit);
      d.push(...checkDuration(Math.abs(offsetMs), 'offsetAmount'));
      wake = {
        kind: 'date_field',
        field: c.field,
        offsetMs,
        ...(c.atTimeOfDay ? { hour: c.hour, minute: c.minute } : {}),
      };
    }
    return { diagnostics: d, steps: [{ type: 'sleep', wake, next: ctx.port('out') }] };
  },
});
