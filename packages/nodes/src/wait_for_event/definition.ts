import { defineNode, TimeUnit } from '@hourglass/journey';
import { z } from 'zod';
import { checkDuration, durationMs, EventType, OptionalRule } from '../common';

/** Wait-for-event config. */
export const WaitForEventConfig = z.object({
  eventType: EventType.default('order.delivered').describe('Event'),
  filter: OptionalRule.describe('Matching (event.properties.*, customer.*, order.*)'),
  sameOrder: z.boolean().default(true).describe('Same order only'),
  timeoutAmount: z.number().int().default(7).describe('Give up after'),
  timeoutUnit: TimeUnit.default('days').describe('Unit'),
  sinceRunStart: z.boolean().default(false).describe('Count events since the journey started'),
});
export type WaitForEventConfig = z.infer<typeof WaitForEventConfig>;

/** Waits for an event or a timeout; two outputs. */
export const waitForEvent = defineNode({
  kind: 'wait_for_event',
  version: 1,
  label: 'Wait for event',
  description: 'Wait until an event happens (e.g. delivered, review submitted), or give up after a timeout.',
  category: 'timing',
  config: WaitForEventConfig,
  ports: [
    { id: 'happened', label: 'Happened' },
    { id: 'timed_out', label: 'Timed out' },
  ],
  compile(c, ctx) {
    const timeoutMs = durationMs(c.timeoutAmount, c.timeoutUnit);
    const diagnostics = [
      ...checkDuration(timeoutMs, 'timeoutAmount', false),
      ...(c.filter ? ctx.checkRule(c.filter, 'filter', { allowEvent: true }) : []),
    ];
    return {
      diagnostics,
      steps: [
        {
          type: 'await',
          event: { type: c.eventType, filter: c.filter, sameOrder: c.sameOrder },
          timeoutMs: Math.max(0, timeoutMs),
          sinceRunStart: c.sinceRunStart,
          next: { happened: ctx.port('happened'), timedOut: ctx.port('timed_out') },
        },
      ],
    };
  },
});
