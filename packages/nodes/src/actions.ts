import type { z } from 'zod';
import type { ActionContext, ActionResult } from './action-types';
import { discountAction } from './create_discount/runtime';
import { recommendAction } from './recommend_products/runtime';
import { type ActionKey, builtinNodes } from './registry';
import { emailAction } from './send_email/runtime';
import { smsAction } from './send_sms/runtime';
import { type ActionRuntime, type ActionServices, pickServices } from './services';
import { updateCustomerAction } from './update_customer/runtime';
import { webhookAction } from './webhook/runtime';

/**
 * Action key → implementation. `satisfies` makes a node action without a runtime a type error; an
 * action gets its services from the worker by the names it declares (./services.ts).
 */
export const actionRuntimes = {
  'email.send': emailAction,
  'sms.send': smsAction,
  'webhook.post': webhookAction,
  'customer.update': updateCustomerAction,
  'discount.create': discountAction,
  'products.recommend': recommendAction,
} satisfies Record<ActionKey, ActionRuntime>;

/**
 * The output schema of an action whose node declares a fixed one (validated before it is recorded);
 * undefined for actions without one or whose output depends on the node's config.
 */
export function actionOutputSchema(action: string): z.ZodObject | undefined {
  for (const def of builtinNodes) {
    const spec = 'output' in def ? def.output : null;
    if (spec?.schema && (def.actions as readonly string[]).includes(action)) return spec.schema;
  }
  return undefined;
}

/** Whether an action's node declares an output (recorded on its run step and kept for later steps). */
export function actionHasOutput(action: string): boolean {
  return builtinNodes.some(
    (def) => def.output !== null && (def.actions as readonly string[]).includes(action),
  );
}

/** An action bound to its services: what tests call, and what the worker builds per attempt. */
export type ActionHandler = (input: unknown, ctx: ActionContext) => Promise<ActionResult>;

/** Runs an action with the services it declares, taken from `services` (missing → `action.no_service`). */
export function bindAction(runtime: ActionRuntime, services: Partial<ActionServices>): ActionHandler {
  return (input, ctx) => runtime.run(input, ctx, pickServices(services, runtime.services));
}

/** Every built-in action bound to one set of services (tests and tools). */
export function createActionHandlers(services: Partial<ActionServices>): Record<ActionKey, ActionHandler> {
  const out = {} as Record<ActionKey, ActionHandler>;
  for (const key of Object.keys(actionRuntimes) as ActionKey[])
    out[key] = bindAction(actionRuntimes[key], services);
  return out;
}
