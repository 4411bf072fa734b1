import type { ShopifyWebhookTopic } from '@hourglass/contract';
import {
  claimPendingStoreWebhook,
  type Db,
  failStoreWebhook,
  type PendingStoreWebhook,
  settleStoreWebhook,
} from '@hourglass/db';
import { ShopifyPayloadError } from './mapping';
import { applyShopifyDelivery } from './receive';

/** Options of the Shopify inbox. */
export interface ShopifyInboxOptions {
  db: Db;
  /** Wakes the outbox dispatcher once events were stored. */
  onEventsAccepted?: () => void;
  log?: { warn: (obj: object, msg: string) => void };
  /** Deliveries applied at a time (default 2). */
  concurrency?: number;
  /** How often the inbox looks for deliveries left by a crash or another process (default 2 s). */
  pollMs?: number;
}

/** The running inbox. */
export interface ShopifyInbox {
  /** Process now (called after a delivery was accepted). */
  poke(): void;
  /** Stops after the deliveries in hand. */
  stop(): Promise<void>;
}

/**
 * Applies accepted Shopify deliveries after their 200 was sent (store first, then process): the
 * oldest pending one first, each in its own transaction holding its row (`skip locked`, so several
 * API processes share the work). A body that cannot be read is settled as ignored with the reason; an
 * unexpected failure (database down) leaves it pending, counted, to be tried again.
 */
export function startShopifyInbox(opts: ShopifyInboxOptions): ShopifyInbox {
  const { db } = opts;
  const concurrency = opts.concurrency ?? 2;
  let active = 0;
  let again = false;
  let stopped = false;
  const idle: (() => void)[] = [];

  async function processOne(): Promise<boolean> {
    let held: PendingStoreWebhook | null = null;
    try {
      return await db.transaction(async (tx) => {
        const row = await claimPendingStoreWebhook(tx, 'shopify');
        if (!row) return false;
        held = row;
        const delivery = {
          topic: row.topic as ShopifyWebhookTopic,
          webhookId: row.webhookId,
          triggeredAt: row.triggeredAt,
          body: row.payload,
        };
        try {
          // A savepoint: a body that cannot be read rolls back its partial work, not the claim.
          const receipt = await tx.transaction((inner) =>
            applyShopifyDelivery(inner, row.workspaceId, delivery),
          );
          if (receipt.status === 'processed' && receipt.events.some((e) => e.status === 'accepted'))
            opts.onEventsAccepted?.();
        } catch (e) {
          if (!(e instanceof ShopifyPayloadError)) throw e;
          await settleStoreWebhook(tx, row.workspaceId, 'shopify', row.webhookId, {
            outcome: 'ignored',
            eventIds: [],
            resourceKey: null,
            resourceUpdatedAt: null,
            error: `${e.field}: ${e.message}`,
          });
        }
        return true;
      });
    } catch (e) {
      const row = held as PendingStoreWebhook | null;
      if (!row) throw e;
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.warn({ webhookId: row.webhookId, err: message }, 'shopify delivery failed; will retry');
      await failStoreWebhook(db, row.workspaceId, row.id, message).catch(() => {});
      return true;
    }
  }

  async function worker() {
    active++;
    try {
      while (!stopped && (await processOne().catch(() => false)));
    } finally {
      active--;
      if (again && !stopped) {
        again = false;
        poke();
      }
      if (active === 0) for (const resolve of idle.splice(0)) resolve();
    }
  }

  function poke() {
    if (stopped) return;
    if (active >= concurrency) {
      again = true;
      return;
    }
    void worker();
  }

  const timer = setInterval(poke, opts.pollMs ?? 2000);
  timer.unref();
  return {
    poke,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (active > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
