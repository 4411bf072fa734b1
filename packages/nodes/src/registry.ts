import {
  type CompileOptions,
  type CompileResult,
  compileJourney as compileWith,
  createRegistry,
  type NodeRegistry,
} from '@hourglass/journey';
import { abSplit } from './ab_split/definition';
import { branch } from './branch/definition';
import { createDiscount } from './create_discount/definition';
import { delay } from './delay/definition';
import { exit } from './exit/definition';
import { recommendProducts } from './recommend_products/definition';
import { sendEmail } from './send_email/definition';
import { sendSms } from './send_sms/definition';
import { trigger } from './trigger/definition';
import { updateCustomer } from './update_customer/definition';
import { waitForEvent } from './wait_for_event/definition';
import { webhook } from './webhook/definition';

/** Built-in node types, in palette order. Add a node type here (and in ui.ts / actions.ts). */
export const builtinNodes = [
  trigger,
  delay,
  waitForEvent,
  branch,
  abSplit,
  sendEmail,
  sendSms,
  webhook,
  updateCustomer,
  createDiscount,
  recommendProducts,
  exit,
] as const;

/** Kind of a built-in node. */
export type NodeKind = (typeof builtinNodes)[number]['kind'];

/** Action-registry key used by a built-in node. */
export type ActionKey = (typeof builtinNodes)[number]['actions'][number];

/**
 * Registry of the built-in node types. Step re-validation is off because the contract and property tests
 * parse every plan these nodes produce with the `Plan` schema; custom registries keep it on.
 */
export const builtinRegistry: NodeRegistry<typeof builtinNodes> = createRegistry(builtinNodes, {
  validateSteps: false,
});

/** Compiles a graph with the built-in registry unless another is given. Never throws. */
export function compileJourney(
  graph: unknown,
  options: CompileOptions & { registry?: NodeRegistry } = {},
): CompileResult {
  return compileWith(graph, { ...options, registry: options.registry ?? builtinRegistry });
}
