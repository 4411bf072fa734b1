import { ActionError } from '../action-types';
import { defineAction } from '../services';
import { UpdateCustomerInput } from './definition';

/** `customer.update`: applies attribute and tag changes; running it again with the same input is harmless. */
export const updateCustomerAction = defineAction({
  key: 'customer.update',
  input: UpdateCustomerInput,
  services: ['customers'],
  async run(input, ctx, { customers }) {
    const { recordEvent, ...changes } = input;
    const { changed } = await customers.update({ customerId: ctx.customer.id, ...changes });
    if (!recordEvent) return { status: changed ? 'ok' : 'skipped', output: { changed } };
    if (!customers.recordEvent)
      throw new ActionError('customer.no_events', 'Events cannot be recorded here', false);
    // Keyed by the step's idempotency key: a retried attempt finds the event already recorded.
    await customers.recordEvent({
      id: `${recordEvent}:${ctx.idempotencyKey}`,
      customerId: ctx.customer.id,
      type: recordEvent,
      properties: { runId: ctx.runId, journeyId: ctx.journeyId, stepId: ctx.stepId },
    });
    return { status: 'ok', output: { changed } };
  },
});
