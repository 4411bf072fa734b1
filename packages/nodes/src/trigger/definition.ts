import type { NodeDiagnostic, PlanTrigger } from '@hourglass/journey';
import { defineNode, Rule } from '@hourglass/journey';
import { z } from 'zod';
import { EventType, OptionalRule } from '../common';

const EventStart = z.object({
  kind: z.literal('event'),
  eventType: EventType.default('order.placed').describe('Event'),
  filter: OptionalRule.describe('Only when the event matches (trigger.properties.*, customer.*, order.*)'),
});

const DateStart = z.object({
  kind: z.literal('date'),
  source: z
    .enum(['first_order_anniversary', 'birthday', 'attribute'])
    .default('first_order_anniversary')
    .describe('Date'),
  attribute: z.string().default('').describe('Customer date attribute (for "attribute")'),
  offsetDays: z.number().int().min(-365).max(365).default(0).describe('Days before (−) or after (+)'),
  hour: z.number().int().min(0).max(23).default(10).describe('Local hour'),
  minute: z.number().int().min(0).max(59).default(0).describe('Local minute'),
});

const EventMatch = z.object({
  eventType: EventType.describe('Event'),
  filter: OptionalRule.describe('Matching'),
  sameOrder: z.boolean().default(true).describe('Same order only'),
});

/** Trigger config: when runs start, who may enter, when they leave early, and what counts as a conversion. */
export const TriggerConfig = z.object({
  start: z
    .discriminatedUnion('kind', [EventStart, DateStart])
    .default({ kind: 'event', eventType: 'order.placed', filter: null })
    .describe('Starts when'),
  scope: z.enum(['order', 'customer']).default('order').describe('One run per order, or per customer'),
  entry: z
    .object({
      rule: z
        .enum(['once_per_order', 'once_per_customer', 'every_time', 'at_most_every'])
        .default('once_per_order')
        .describe('Entry'),
      periodDays: z.number().int().min(1).max(3650).default(30).describe('At most once every N days'),
      segmentId: z.string().nullable().default(null).describe('Only customers in segment'),
      segmentRule: Rule.nullable().default(null).describe('Only customers matching'),
    })
    .prefault({})
    .describe('Entry rules'),
  exits: z.array(EventMatch).max(20).default([]).describe('Leave the journey when'),
  goal: z
    .object({
      eventType: EventType.default('order.placed').describe('Conversion event'),
      filter: OptionalRule.describe('Matching'),
      windowHours: z.number().int().min(1).max(8760).default(168).describe('Within hours of entry'),
      exitOnReach: z.boolean().default(true).describe('Leave the journey on conversion'),
    })
    .nullable()
    .default(null)
    .describe('Conversion goal'),
  maxStepVisits: z.number().int().min(1).max(1000).default(100).describe('Loop guard: max visits per step'),
});
export type TriggerConfig = z.infer<typeof TriggerConfig>;

/** The journey's single starting node. */
export const trigger = defineNode({
  kind: 'trigger',
  version: 1,
  label: 'Trigger',
  description: 'Starts the journey on an event or a date, with entry rules, exits and a goal.',
  category: 'trigger',
  config: TriggerConfig,
  ports: [{ id: 'out', label: 'Start', required: true }],
  compile(config, ctx) {
    const d: NodeDiagnostic[] = [];
    const { start, entry, scope } = config;
    let planTrigger: PlanTrigger;
    if (start.kind === 'event') {
      if (start.filter) d.push(...ctx.checkRule(start.filter, 'start.filter', { outputs: 'none' }));
      planTrigger = { kind: 'event', eventType: start.eventType, filter: start.filter };
    } else {
      if (scope === 'order') {
        d.push({
          field: 'scope',
          code: 'trigger.invalid',
          message: 'Date triggers have no order: use scope "customer"',
        });
      }
      if (start.source === 'attribute' && !start.attribute) {
        d.push({ field: 'start.attribute', code: 'config.invalid', message: 'Choose the date attribute' });
      }
      planTrigger = {
        kind: 'date',
        source: start.source,
        ...(start.source === 'attribute' ? { attribute: start.attribute } : {}),
        offsetDays: start.offsetDays,
        hour: start.hour,
        minute: start.minute,
      };
    }
    if (entry.rule === 'once_per_order' && scope === 'customer') {
      d.push({
        field: 'entry.rule',
        code: 'trigger.invalid',
        message: '"Once per order" needs scope "order"',
      });
    }
    // Entry rules are evaluated in SQL (customerMatchesRule), which counts events itself.
    if (entry.segmentRule)
      d.push(
        ...ctx.checkRule(entry.segmentRule, 'entry.segmentRule', { allowPerformed: true, outputs: 'none' }),
      );
    if (entry.segmentId) d.push(...ctx.checkRule({ segment: entry.segmentId }, 'entry.segmentId'));
    config.exits.forEach((x, i) => {
      if (x.filter)
        d.push(...ctx.checkRule(x.filter, `exits.${i}.filter`, { allowEvent: true, outputs: 'journey' }));
    });
    if (config.goal?.filter)
      d.push(...ctx.checkRule(config.goal.filter, 'goal.filter', { allowEvent: true, outputs: 'journey' }));
    return {
      diagnostics: d,
      trigger: {
        trigger: planTrigger,
        scope,
        entry: {
          rule: entry.rule,
          ...(entry.rule === 'at_most_every' ? { periodDays: entry.periodDays } : {}),
          segmentId: entry.segmentId,
          segmentRule: entry.segmentRule,
        },
        exits: config.exits,
        goal: config.goal,
        maxStepVisits: config.maxStepVisits,
        start: ctx.port('out'),
      },
    };
  },
});
