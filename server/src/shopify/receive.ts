import { type EventCustomer, EventInput, type ShopifyWebhookTopic } from '@hourglass/contract';
import {
  claimStoreWebhook,
  type Executor,
  getCustomer,
  getOrderByExternalId,
  lockNewestResourceUpdate,
  type StoreWebhookOutcome,
  setOrderTracking,
  settleStoreWebhook,
} from '@hourglass/db';
import { ingestOne } from '../services/ingest';
import { type MapContext, mapShopifyWebhook, orderIdOf, ShopifyPayloadError } from './mapping';

/** A verified webhook, as the route hands it over. */
export interface ShopifyDelivery {
  topic: ShopifyWebhookTopic;
  webhookId: string;
  triggeredAt: Date | null;
  body: unknown;
}

/** What became of a delivery: a repeat, or its outcome and the events it was stored as. */
export type ShopifyReceipt =
  | { status: 'duplicate' }
  | { status: 'processed'; outcome: StoreWebhookOutcome; events: { id: string; status: string }[] };

/** How ingest should find the customer of an order we already have. */
async function customerOfOrder(db: Executor, workspaceId: string, externalId: string) {
  const order = await getOrderByExternalId(db, workspaceId, externalId);
  const customer = order && (await getCustomer(db, workspaceId, order.customerId));
  if (!customer) return null;
  const who: EventCustomer = {
    externalId: customer.externalId ?? undefined,
    email: customer.email ?? undefined,
    phone: customer.phone ?? undefined,
  };
  return who.externalId || who.email || who.phone ? who : null;
}

/**
 * Stores one delivery in one transaction: claims its webhook id (a repeat stops here), then applies
 * it. Imports use it; live webhooks are accepted into the inbox first and applied by it (inbox.ts).
 * A body its topic cannot read throws ShopifyPayloadError and stores nothing.
 */
export async function receiveShopifyWebhook(
  db: Executor,
  workspaceId: string,
  delivery: ShopifyDelivery,
): Promise<ShopifyReceipt> {
  return db.transaction(async (tx) => {
    const claimed = await claimStoreWebhook(tx, workspaceId, {
      platform: 'shopify',
      webhookId: delivery.webhookId,
      topic: delivery.topic,
      resourceKey: null,
      resourceUpdatedAt: null,
      outcome: 'ignored',
      eventIds: [],
    });
    if (!claimed) return { status: 'duplicate' as const };
    return applyShopifyDelivery(tx, workspaceId, delivery);
  });
}

/**
 * Applies a claimed delivery inside the caller's transaction: maps it, drops it as stale when the same
 * resource already had a newer update, ingests its events (so their routing goes through the outbox
 * like any accepted event) and settles its row. Throws ShopifyPayloadError on a body its topic cannot read.
 */
export async function applyShopifyDelivery(
  tx: Executor,
  workspaceId: string,
  delivery: ShopifyDelivery,
): Promise<ShopifyReceipt> {
  const { topic, webhookId, triggeredAt, body } = delivery;
  const orderId = orderIdOf(topic, body);
  const ctx: MapContext = {
    webhookId,
    triggeredAt,
    orderCustomer: orderId ? await customerOfOrder(tx, workspaceId, orderId) : null,
  };
  const mapped = mapShopifyWebhook(topic, body, ctx);
  const resource = mapped.resource;
  const settle = (outcome: StoreWebhookOutcome, eventIds: string[]) =>
    settleStoreWebhook(tx, workspaceId, 'shopify', webhookId, {
      outcome,
      eventIds,
      resourceKey: resource?.key ?? null,
      resourceUpdatedAt: resource?.updatedAt ?? null,
      error: mapped.skipped ?? null,
    });
  if (resource) {
    const newest = await lockNewestResourceUpdate(tx, workspaceId, 'shopify', resource.key);
    if (newest && resource.updatedAt && resource.updatedAt < newest) {
      await settle('stale', []);
      return { status: 'processed', outcome: 'stale', events: [] };
    }
  }
  const events = [];
  for (const event of mapped.events) {
    // The mapping keeps to the events API's rules; checked again, as a body is hostile until read.
    const parsed = EventInput.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ShopifyPayloadError(
        'body',
        `cannot be read as an event (${issue?.path.join('.')}: ${issue?.message})`,
      );
    }
    events.push(await ingestOne(tx, workspaceId, parsed.data));
  }
  if (events.length > 0 && mapped.tracking)
    await setOrderTracking(tx, workspaceId, mapped.tracking.orderExternalId, mapped.tracking.fields);
  const outcome = events.length > 0 ? 'applied' : 'ignored';
  await settle(
    outcome,
    events.map((e) => e.id),
  );
  return { status: 'processed', outcome, events };
}
