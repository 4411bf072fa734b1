import { defineAction } from '../services';
import { UpdateCustomerInput } from './definition';

/** `customer.update`: applies attribute and tag changes; running it again with the same input is harmless. */
export const updateCustomerAction = defineAction({
  key: 'customer.update',
  input: UpdateCustomerInput,
  services: ['customers'],
  async run(input, ctx, { customers }) {
    const { changed } = await customers.update({ customerId: ctx.customer.id, ...input });
    return { status: changed ? 'ok' : 'skipped', output: { changed } };
  },
});
