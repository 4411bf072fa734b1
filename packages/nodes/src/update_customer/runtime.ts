import type { ActionRuntimeFactory } from '../action-types';
import { ActionError } from '../action-types';
import { UpdateCustomerInput } from './definition';

/** Dependencies of `customer.update` (implemented by the db package). */
export interface CustomerUpdateDeps {
  updateCustomer(request: {
    workspaceId: string;
    customerId: string;
    idempotencyKey: string;
    setAttributes: Array<{ key: string; value: UpdateCustomerInput['setAttributes'][number]['value'] }>;
    addTags: string[];
    removeTags: string[];
  }): Promise<{ changed: boolean }>;
}

/** `customer.update`: applies attribute and tag changes; re-running with the same key is harmless. */
export const updateCustomerRuntime: ActionRuntimeFactory<CustomerUpdateDeps> =
  (deps) => async (input, ctx) => {
    const parsed = UpdateCustomerInput.safeParse(input);
    if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
    const { changed } = await deps.updateCustomer({
      workspaceId: ctx.workspaceId,
      customerId: ctx.customer.id,
      idempotencyKey: ctx.idempotencyKey,
      ...parsed.data,
    });
    return { status: changed ? 'ok' : 'skipped', output: { changed } };
  };
