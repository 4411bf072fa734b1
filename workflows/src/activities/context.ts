import type { Customer, Executor, Order } from '@hourglass/db';
import { getCustomerAndOrder } from '@hourglass/db';

// Rules, Liquid templates and actions read the customer and the order through the one mapping of
// packages/db (customerSubject, orderSubject), the view trigger filters and previews read too.

/** Customer (must exist) and order (if any) of a run, loaded fresh. */
export async function loadSubjects(
  db: Executor,
  workspaceId: string,
  customerId: string,
  orderId: string | null,
): Promise<{ customer: Customer; order: Order | null }> {
  const found = await getCustomerAndOrder(db, workspaceId, customerId, orderId);
  if (!found) throw new Error(`customer ${customerId} not found`);
  return found;
}
