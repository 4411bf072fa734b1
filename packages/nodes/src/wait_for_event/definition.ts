import { defineNode, type NodeDiagnostic, type Rule, TimeUnit } from '@hourglass/journey';
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
  orEventTypes: z
    .array(z.object({ eventType: EventType.describe('Event') }))
    .max(5)
    .default([])
    .describe('Or any of these events (each its own output; when several came, the first listed wins)'),
  messageStep: z
    .string()
    .max(100)
    .default('')
    .describe("About this run's message of step (engagement: opened, clicked, replied)"),
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
  // With other events to wait for, each gets a port (id: the event type), and "Happened" says which event.
  ports: (c) => [
    { id: 'happened', label: c.orEventTypes.length ? eventLabel(c.eventType) : 'Happened' },
    ...c.orEventTypes.map((o) => ({ id: o.eventType, label: eventLabel(o.eventType) })),
    { id: 'timed_out', label: 'Timed out' },
  ],
  compile(c, ctx) {
    const timeoutMs = durationMs(c.timeoutAmount, c.timeoutUnit);
    const diagnostics = [
      ...checkDuration(timeoutMs, 'timeoutAmount', false),
      ...(c.filter ? ctx.checkRule(c.filter, 'filter', { allowEvent: true }) : []),
      ...checkOtherEvents(c),
    ];
    const orEvents = c.orEventTypes.map((o) => ({ type: o.eventType, next: ctx.port(o.eventType) }));
    if (c.messageStep && !ctx.messageSteps.includes(c.messageStep))
      diagnostics.push({
        field: 'messageStep',
        code: 'wait.unknown_message_step',
        message: `"${c.messageStep}" is not a step of this journey that sends an email or SMS`,
      });
    return {
      diagnostics,
      steps: [
        {
          type: 'await',
          event: c.messageStep
            ? aboutMessage(c)
            : { type: c.eventType, filter: c.filter, sameOrder: c.sameOrder },
          timeoutMs: Math.max(0, timeoutMs),
          sinceRunStart: c.sinceRunStart,
          next: { happened: ctx.port('happened'), timedOut: ctx.port('timed_out') },
          // Only when used, so plans of journeys that wait for one event keep their hash.
          ...(orEvents.length ? { orEvents } : {}),
        },
      ],
    };
  },
});

/**
 * Engagement events carry the run and step of the message they are about, and routing hands them to
 * that run alone; so "this run's message of step X" is the events naming step X, whatever the order.
 */
function aboutMessage(c: WaitForEventConfig) {
  const step: Rule = { field: 'event.properties.stepId', op: 'eq', value: c.messageStep };
  return { type: c.eventType, filter: c.filter ? { all: [step, c.filter] } : step, sameOrder: false };
}

/** A port label for an event type: its last part in words ("order.out_for_delivery" → "Out for delivery"). */
function eventLabel(type: string): string {
  const words = (type.split('.').at(-1) ?? type).replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The other events must differ from the first one, from each other and from the port names. */
function checkOtherEvents(c: WaitForEventConfig): NodeDiagnostic[] {
  const seen = new Set<string>([c.eventType, 'happened', 'timed_out']);
  return c.orEventTypes.flatMap((o, i) => {
    if (seen.has(o.eventType))
      return [
        {
          field: `orEventTypes.${i}.eventType`,
          code: 'wait.duplicate_event',
          message: `"${o.eventType}" is already waited for here (or names an output)`,
        },
      ];
    seen.add(o.eventType);
    return [];
  });
}
