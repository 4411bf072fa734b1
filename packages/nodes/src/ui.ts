import { abSplitUi } from './ab_split/ui';
import { branchUi } from './branch/ui';
import { createDiscountUi } from './create_discount/ui';
import { delayUi } from './delay/ui';
import { exitUi } from './exit/ui';
import { recommendProductsUi } from './recommend_products/ui';
import { builtinRegistry, type NodeKind } from './registry';
import { sendEmailUi } from './send_email/ui';
import { sendSmsUi } from './send_sms/ui';
import { triggerUi } from './trigger/ui';
import type { NodeUi } from './ui-types';
import { updateCustomerUi } from './update_customer/ui';
import { waitForEventUi } from './wait_for_event/ui';
import { webhookUi } from './webhook/ui';

/** Canvas presentation per node kind; `satisfies` makes a kind without UI a type error. */
export const nodeUis = {
  trigger: triggerUi,
  delay: delayUi,
  wait_for_event: waitForEventUi,
  branch: branchUi,
  ab_split: abSplitUi,
  send_email: sendEmailUi,
  send_sms: sendSmsUi,
  webhook: webhookUi,
  update_customer: updateCustomerUi,
  create_discount: createDiscountUi,
  recommend_products: recommendProductsUi,
  exit: exitUi,
} satisfies Record<NodeKind, NodeUi<never>>;

/** Summary line for any node, from its raw (unvalidated) config; falls back to the type's label. */
export function summarizeNode(kind: string, rawConfig: unknown): string {
  const def = builtinRegistry.get(kind);
  if (!def || !Object.hasOwn(nodeUis, kind)) return kind;
  const parsed = def.config.safeParse(rawConfig ?? {});
  if (!parsed.success) return def.label;
  try {
    return (nodeUis[kind as NodeKind] as NodeUi<unknown>).summary(parsed.data);
  } catch {
    return def.label;
  }
}
