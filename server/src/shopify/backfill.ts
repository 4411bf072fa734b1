import {
  adminGraphqlWithCost,
  ShopifyApiError,
  type ShopifyConfig,
  type ShopifyShop,
  waitForCost,
} from '@hourglass/channels';
import type { ShopifyWebhookTopic } from '@hourglass/contract';
import { advanceStoreSync, type Db, finishStoreSync, type StoreSync, skipRouting } from '@hourglass/db';
import type { OutboundPolicy } from '@hourglass/outbound';
import { loadShopify } from './connection';
import {
  CUSTOMERS_QUERY,
  type CustomerNode,
  customerBody,
  idOfGid,
  ORDERS_COUNT_QUERY,
  ORDERS_QUERY,
  type OrderNode,
  orderBody,
} from './import-map';
import { ShopifyPayloadError } from './mapping';
import { receiveShopifyWebhook } from './receive';

/** What an import needs. */
export interface ImportDeps {
  db: Db;
  config: ShopifyConfig;
  outbound: OutboundPolicy;
  secretKey: string;
  /** Waits out the store's rate limit (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

export type Page<N> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: N[] };

/** Throttled answers in a row before the import gives up (each waits what Shopify asks). */
const MAX_THROTTLED_IN_A_ROW = 50;

/**
 * Runs a backfill: every customer, then the orders created since `sync.since`, page by page through
 * the Admin GraphQL API, pacing itself by Shopify's query cost (waits out THROTTLED answers, and waits
 * before a call the bucket cannot pay for). Each record goes through the webhook path (its mapping,
 * de-duplication and stale check) under an `import:` delivery id, so an import run twice, or
 * overlapping live webhooks, stores each thing once. Imported history never starts or wakes journeys:
 * its outbox rows are dropped in the same transaction. Progress is saved after every page.
 */
export async function runShopifyBackfill(deps: ImportDeps, workspaceId: string, sync: StoreSync) {
  const { db } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    const creds = await loadShopify(db, { secretKey: deps.secretKey }, workspaceId);
    if (!creds?.accessToken) throw new ShopifyApiError('shopify.unauthorized', 'The store is not connected');
    const shop: ShopifyShop = { shopDomain: creds.connection.shopDomain, accessToken: creds.accessToken };
    const call = pacedCaller(deps, shop, workspaceId, sync.id, sleep);
    const store = (topic: ShopifyWebhookTopic, items: { key: string; body: unknown }[]) =>
      storeRecords(
        db,
        workspaceId,
        topic,
        items.map((i) => ({ ...i, quiet: true })),
      ).then((r) => r.stored);

    let stage = sync.stage;
    let cursor = sync.cursor;
    if (stage === 'customers') {
      do {
        const { customers } = await call<{ customers: Page<CustomerNode> }>(CUSTOMERS_QUERY, { cursor });
        const items = customers.nodes.map((c) => ({
          key: `customer:${idOfGid(c.id)}:${c.updatedAt ?? ''}`,
          body: customerBody(c),
        }));
        const stored = await store('customers/update', items);
        cursor = customers.pageInfo.hasNextPage ? customers.pageInfo.endCursor : null;
        await advanceStoreSync(db, workspaceId, sync.id, { cursor, customers: stored });
      } while (cursor);
      stage = 'orders';
      await advanceStoreSync(db, workspaceId, sync.id, { stage, cursor: null });
    }
    const search = `created_at:>=${sync.since.toISOString()}`;
    if (stage === 'orders') {
      if (!cursor) {
        const counted = await call<{ ordersCount?: { count?: number } | null }>(ORDERS_COUNT_QUERY, {
          query: search,
        });
        const total = counted.ordersCount?.count;
        if (typeof total === 'number')
          await advanceStoreSync(db, workspaceId, sync.id, { ordersTotal: total });
      }
      do {
        const { orders } = await call<{ orders: Page<OrderNode> }>(ORDERS_QUERY, { cursor, query: search });
        const items = orders.nodes.map((o) => ({ key: `order:${idOfGid(o.id)}`, body: orderBody(o) }));
        const stored = await store('orders/create', items);
        const cancelled = orders.nodes.filter((o) => o.cancelledAt);
        await store(
          'orders/cancelled',
          cancelled.map((o) => ({ key: `order:${idOfGid(o.id)}:cancelled`, body: orderBody(o) })),
        );
        cursor = orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : null;
        await advanceStoreSync(db, workspaceId, sync.id, { cursor, orders: stored });
      } while (cursor);
    }
    await finishStoreSync(db, workspaceId, sync.id, { status: 'done' });
  } catch (e) {
    const error = e instanceof ShopifyApiError ? `${e.code}: ${e.message}` : 'The import failed';
    await finishStoreSync(db, workspaceId, sync.id, { status: 'failed', error }).catch(() => {});
  }
}

/**
 * A GraphQL caller for one import that paces itself by Shopify's query cost: it waits before a call
 * the bucket cannot pay for, and waits out THROTTLED answers (counting them on the sync).
 */
export function pacedCaller(
  deps: ImportDeps,
  shop: ShopifyShop,
  workspaceId: string,
  syncId: string,
  sleep: (ms: number) => Promise<void>,
) {
  let nextCost = 0;
  return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    for (let throttled = 0; ; throttled++) {
      try {
        const { data, cost } = await adminGraphqlWithCost<T>(deps, shop, query, variables);
        // Pay for the next page before asking for it, so the store rarely has to refuse one.
        nextCost = cost?.requestedQueryCost ?? nextCost;
        const wait = waitForCost(cost, nextCost);
        if (wait > 0) await sleep(wait);
        return data;
      } catch (e) {
        if (!(e instanceof ShopifyApiError) || e.code !== 'shopify.throttled') throw e;
        if (throttled >= MAX_THROTTLED_IN_A_ROW) throw e;
        await advanceStoreSync(deps.db, workspaceId, syncId, { throttled: 1 });
        await sleep(e.retryAfterMs ?? 1000);
      }
    }
  };
}

/**
 * Stores one page of records in one transaction, each as a delivery of `topic` under an `import:`
 * id; the events of `quiet` records are not routed (history starts no journey). A record the mapping
 * cannot read is skipped, the rest of the page is stored. Answers how many were new deliveries.
 */
export async function storeRecords(
  db: Db,
  workspaceId: string,
  topic: ShopifyWebhookTopic,
  items: { key: string; body: unknown; quiet: boolean }[],
): Promise<{ stored: number; routed: number }> {
  return db.transaction(async (tx) => {
    let stored = 0;
    let routed = 0;
    const quiet: string[] = [];
    for (const { key, body, quiet: isQuiet } of items) {
      try {
        const receipt = await receiveShopifyWebhook(tx, workspaceId, {
          topic,
          webhookId: `import:${key}`,
          triggeredAt: null,
          body,
        });
        if (receipt.status !== 'processed') continue;
        stored++;
        for (const e of receipt.events) {
          if (e.status !== 'accepted') continue;
          if (isQuiet) quiet.push(e.id);
          else routed++;
        }
      } catch (e) {
        if (!(e instanceof ShopifyPayloadError)) throw e;
      }
    }
    await skipRouting(tx, workspaceId, quiet);
    return { stored, routed };
  });
}
