import type { ActionHandler, ActionRuntimeFactory, SendDeps } from './action-types';
import type { ActionKey } from './registry';
import { emailRuntime } from './send_email/runtime';
import { smsRuntime } from './send_sms/runtime';
import { type CustomerUpdateDeps, updateCustomerRuntime } from './update_customer/runtime';
import { type WebhookDeps, webhookRuntime } from './webhook/runtime';

/** Everything the built-in actions need; the worker builds this once and passes it in. */
export type ActionDeps = SendDeps & WebhookDeps & CustomerUpdateDeps;

/** Action key → runtime factory. `satisfies` makes a node action without a runtime a type error. */
export const actionRuntimes = {
  'email.send': emailRuntime,
  'sms.send': smsRuntime,
  'webhook.post': webhookRuntime,
  'customer.update': updateCustomerRuntime,
} satisfies Record<ActionKey, ActionRuntimeFactory<never>>;

/** Builds every action handler from one set of dependencies. */
export function createActionHandlers(deps: ActionDeps): Record<ActionKey, ActionHandler> {
  const out = {} as Record<ActionKey, ActionHandler>;
  for (const key of Object.keys(actionRuntimes) as ActionKey[]) {
    out[key] = actionRuntimes[key](deps);
  }
  return out;
}
