import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode, Json } from '@hourglass/journey';
import { z } from 'zod';
import { DEFAULT_RETRY, EventType } from '../common';

const AttributeKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'letters, digits and "_" only');
const Tag = z.string().min(1).max(64);

/** What the `customer.update` action receives. */
export const UpdateCustomerInput = z.object({
  setAttributes: z.array(z.object({ key: AttributeKey, value: Json })),
  addTags: z.array(Tag),
  removeTags: z.array(Tag),
  /** An event to record on the customer (e.g. `support.flagged`), once per step of a run. */
  recordEvent: EventType.optional(),
});
export type UpdateCustomerInput = z.infer<typeof UpdateCustomerInput>;

/** Update-customer config. */
export const UpdateCustomerConfig = z.object({
  setAttributes: z
    .array(z.object({ key: AttributeKey.describe('Attribute'), value: Json.describe('Value') }))
    .max(50)
    .default([])
    .describe('Set attributes'),
  addTags: z.array(Tag).max(50).default([]).describe('Add tags'),
  removeTags: z.array(Tag).max(50).default([]).describe('Remove tags'),
  recordEvent: z
    .union([z.literal(''), EventType])
    .default('')
    .describe(
      'Also record this event on the customer (e.g. support.flagged; other journeys can start from it)',
    ),
});
export type UpdateCustomerConfig = z.infer<typeof UpdateCustomerConfig>;

/** Sets customer attributes and adds/removes tags (e.g. mark "review_requested"). */
export const updateCustomer = defineNode({
  kind: 'update_customer',
  version: 1,
  label: 'Update customer',
  description: 'Set attributes or add/remove tags on the customer.',
  category: 'action',
  config: UpdateCustomerConfig,
  actions: ['customer.update'],
  ports: [{ id: 'out', label: 'Next' }],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    if (c.setAttributes.length + c.addTags.length + c.removeTags.length === 0 && !c.recordEvent) {
      d.push({ field: 'setAttributes', code: 'config.invalid', message: 'Nothing to update' });
    }
    const both = c.addTags.filter((t) => c.removeTags.includes(t));
    if (both.length)
      d.push({
        field: 'removeTags',
        code: 'config.invalid',
        message: `Added and removed: ${both.join(', ')}`,
      });
    // Only when set, so the plans of steps without one keep their hash.
    const { recordEvent, ...changes } = c;
    const input: UpdateCustomerInput = { ...changes, ...(recordEvent ? { recordEvent } : {}) };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'customer.update',
          input,
          retry: DEFAULT_RETRY,
          onFailure: 'continue',
          next: ctx.port('out'),
        },
      ],
    };
  },
});
