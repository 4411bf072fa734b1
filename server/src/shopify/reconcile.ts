import { ShopifyApiError, type ShopifyShop } from '@hourglass/channels';
import {
  advanceStoreSync,
  type Db,
  finishStoreSync,
  latestStoreSync,
  listStoreConnections,
  type StoreSync,
  startStoreSync,
} from '@hourglass/db';
import { every } from '../services/periodic';
import { type ImportDeps, type Page, pacedCaller, storeRecords } from './backfill';
import { loadShopify } from './connection';
import {
  type FulfillmentNode,
  fulfillmentBody,
  idOfGid,
  type OrderNode,
  orderBody,
  RECONCILE_ORDERS_QUERY,
} from './import-map';

/** How far before the last sync's start a reconciliation looks again (clock skew, slow indexing). */
const OVERLAP_MS = 10 * 60 * 1000;
/** Where a first reconciliation starts when the store was never synced. */
const FIRST_LOOKBACK_MS = 2 * 24 * 60 * 60 * 1000;

type ReconcileOrder = OrderNode & { fulfillments?: FulfillmentNode[] | null };

/**
 * Runs a reconciliation: orders updated since `sync.since` and their fulfilments, read back through
 * the Admin API and fed through the webhook path, so whatever a webhook already delivered is a
 * duplicate and only what was missed is stored. Missed news is routed to journeys like a webhook
 * would have been; an order placed before the window (updated now for another reason) is stored
 * without starting anything, as are fulfilments last updated before it.
 */
export async function runShopifyReconcile(
  deps: ImportDeps & { onEventsAccepted?: () => void },
  workspaceId: string,
  sync: StoreSync,
) {
  const { db } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    const creds = await loadShopify(db, { secretKey: deps.secretKey }, workspaceId);
    if (!creds?.accessToken) throw new ShopifyApiError('shopify.unauthorized', 'The store is not connected');
    const shop: ShopifyShop = { shopDomain: creds.connection.shopDomain, accessToken: creds.accessToken };
    const call = pacedCaller(deps, shop, workspaceId, sync.id, sleep);
    const since = sync.since.getTime();
    const recent = (at: string | null | undefined) => !!at && Date.parse(at) >= since;
    let cursor = sync.cursor;
    do {
      const { orders } = await call<{ orders: Page<ReconcileOrder> }>(RECONCILE_ORDERS_QUERY, {
        cursor,
        query: `updated_at:>=${sync.since.toISOString()}`,
      });
      const placed = await storeRecords(
        db,
        workspaceId,
        'orders/create',
        orders.nodes.map((o) => ({
          key: `order:${idOfGid(o.id)}`,
          body: orderBody(o),
          quiet: !recent(o.processedAt ?? o.createdAt),
        })),
      );
      const cancelled = await storeRecords(
        db,
        workspaceId,
        'orders/cancelled',
        orders.nodes
          .filter((o) => o.cancelledAt)
          .map((o) => ({
            key: `order:${idOfGid(o.id)}:cancelled`,
            body: orderBody(o),
            quiet: !recent(o.cancelledAt),
          })),
      );
      const shipped = await storeRecords(
        db,
        workspaceId,
        'fulfillments/update',
        orders.nodes.flatMap((o) =>
          (o.fulfillments ?? []).map((f) => ({
            key: `fulfillment:${idOfGid(f.id)}:${f.updatedAt ?? ''}`,
            body: fulfillmentBody(o.id, f),
            quiet: !recent(f.updatedAt),
          })),
        ),
      );
      if (placed.routed + cancelled.routed + shipped.routed > 0) deps.onEventsAccepted?.();
      cursor = orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : null;
      await advanceStoreSync(db, workspaceId, sync.id, { stage: 'orders', cursor, orders: placed.stored });
    } while (cursor);
    await finishStoreSync(db, workspaceId, sync.id, { status: 'done' });
  } catch (e) {
    const error = e instanceof ShopifyApiError ? `${e.code}: ${e.message}` : 'The reconciliation failed';
    await finishStoreSync(db, workspaceId, sync.id, { status: 'failed', error }).catch(() => {});
  }
}

/**
 * Starts a reconciliation of one workspace's store from where the last finished sync began (less an
 * overlap); null when one is already running.
 */
export async function startShopifyReconcile(db: Db, workspaceId: string): Promise<StoreSync | null> {
  const last = await latestStoreSync(db, workspaceId, 'shopify');
  const from = last ? last.startedAt.getTime() - OVERLAP_MS : Date.now() - FIRST_LOOKBACK_MS;
  return startStoreSync(db, workspaceId, { platform: 'shopify', kind: 'reconcile', since: new Date(from) });
}

/** The periodic reconciler: every `intervalMs`, each connected store in turn. */
export function startShopifyReconciler(
  deps: ImportDeps & {
    intervalMs: number;
    onEventsAccepted?: () => void;
    log: { warn: (obj: object, msg: string) => void };
  },
) {
  return every(deps.intervalMs, async (stopped) => {
    try {
      for (const c of await listStoreConnections(deps.db, 'shopify')) {
        if (stopped()) return;
        const sync = await startShopifyReconcile(deps.db, c.workspaceId);
        if (sync) await runShopifyReconcile(deps, c.workspaceId, sync);
      }
    } catch (err) {
      deps.log.warn({ err: String(err) }, 'shopify reconciliation round failed');
    }
  });
}
