import { defineAction } from '../services';
import { DiscountActionInput, type DiscountOutput } from './definition';

const DAY_MS = 86_400_000;

/** `discount.create`: one code per run step (its idempotency key), so a retry gets the same code. */
export const discountAction = defineAction({
  key: 'discount.create',
  input: DiscountActionInput,
  services: ['discounts', 'clock'],
  async run(input, ctx, { discounts, clock }) {
    const orderCurrency = typeof ctx.order?.currency === 'string' ? ctx.order.currency : null;
    const issued = await discounts.create({
      idempotencyKey: ctx.idempotencyKey,
      customerId: ctx.customer.id,
      runId: ctx.runId,
      journeyId: ctx.journeyId,
      stepId: ctx.stepId,
      kind: input.kind,
      value: input.value,
      currency: input.kind === 'amount' ? (input.currency ?? orderCurrency ?? 'USD') : null,
      expiresAt:
        input.expiresInDays === null ? null : new Date(clock.now().getTime() + input.expiresInDays * DAY_MS),
      prefix: input.prefix,
    });
    const output: DiscountOutput = {
      code: issued.code,
      percentOff: issued.kind === 'percent' ? issued.value : null,
      amountOff: issued.kind === 'amount' ? issued.value : null,
      currency: issued.currency,
      expiresAt: issued.expiresAt,
    };
    return { status: 'ok', output };
  },
});
