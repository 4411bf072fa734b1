import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { DEFAULT_RETRY } from '../common';

/** What the `discount.create` action receives. */
export const DiscountActionInput = z.object({
  kind: z.enum(['percent', 'amount']),
  value: z.number().positive(),
  currency: z.string().nullable(),
  expiresInDays: z.number().int().min(1).nullable(),
  prefix: z.string(),
});
export type DiscountActionInput = z.infer<typeof DiscountActionInput>;

/** Create-discount config. */
export const DiscountConfig = z.object({
  kind: z.enum(['percent', 'amount']).default('percent').describe('Discount type'),
  value: z.number().positive().max(100_000).default(10).describe('Percent off, or amount off'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'A three-letter currency code, e.g. USD')
    .nullable()
    .default(null)
    .describe('Currency of an amount (default: the order’s, else USD)'),
  expiresInDays: z.number().int().min(1).max(365).nullable().default(30).describe('Expires after (days)'),
  prefix: z
    .string()
    .max(20)
    .regex(/^[A-Za-z0-9-]*$/, 'Letters, digits and - only')
    .default('')
    .describe('Code prefix, e.g. THANKS-'),
  onFailure: z
    .enum(['continue', 'exit'])
    .default('exit')
    .describe('If it fails: continue the journey (without a code), or exit'),
});
export type DiscountConfig = z.infer<typeof DiscountConfig>;

/** What later steps read as `steps.<name>.*`. */
export const DiscountOutput = z.object({
  code: z.string().describe('The code to give the customer'),
  percentOff: z.number().nullable().describe('Percent off (percent discounts)'),
  amountOff: z.number().nullable().describe('Amount off (amount discounts)'),
  currency: z.string().nullable().describe('Currency of the amount'),
  expiresAt: z.iso.datetime().nullable().describe('When the code stops working'),
});
export type DiscountOutput = z.infer<typeof DiscountOutput>;

/**
 * Issues a single-use discount code for this customer and run: the same code on every retry, stored
 * with its run, redeemed when an order event carries it (which counts as a conversion of the journey).
 */
export const createDiscount = defineNode({
  kind: 'create_discount',
  version: 1,
  label: 'Create discount code',
  description: 'Make a unique code for this customer; later steps use {{ steps.discount.code }}.',
  category: 'action',
  config: DiscountConfig,
  actions: ['discount.create'],
  ports: [{ id: 'out', label: 'Next' }],
  output: { schema: DiscountOutput, name: 'discount', guaranteed: (c) => c.onFailure === 'exit' },
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    if (c.kind === 'percent' && c.value > 100)
      d.push({ field: 'value', code: 'config.invalid', message: 'A percent discount is at most 100' });
    const input: DiscountActionInput = {
      kind: c.kind,
      value: c.value,
      currency: c.kind === 'amount' ? c.currency : null,
      expiresInDays: c.expiresInDays,
      prefix: c.prefix.toUpperCase(),
    };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'discount.create',
          input,
          retry: DEFAULT_RETRY,
          onFailure: c.onFailure,
          next: ctx.port('out'),
        },
      ],
    };
  },
});
