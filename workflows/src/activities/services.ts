import {
  type ChannelsConfig,
  decryptWorkspaceSecret,
  pushDiscountToShopify,
  ShopifyApiError,
} from '@hourglass/channels';
import {
  createDiscountCode,
  DiscountCodeError,
  type Executor,
  getCustomer,
  getWorkspaceSecretCiphertext,
  insertEventOnce,
  MAX_MEMORY_BYTES,
  recallRunMemory,
  recommendProducts,
  rememberOnce,
  removeCustomerTags,
  upsertCustomerFromEvent,
} from '@hourglass/db';
import { ActionError, type ActionServices, type SendDeps, webCryptoHmacSha256 } from '@hourglass/nodes';
import { guardedFetch } from './outbound-fetch';

// The worker's real implementations of the action services (packages/nodes/src/services.ts), scoped
// to one run and attempt. Tests replace any of them through `ActivityDeps.services`.

/** What one attempt of one action runs with. */
export interface ServiceScope {
  workspaceId: string;
  runRowId: string;
  stepId: string;
  /** Workflow time of the attempt. */
  now(): Date;
  send: SendDeps['send'];
  log: {
    info(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
  };
}

/** Builds the services of one attempt; `overrides` (tests) win over the real ones. */
export type ServiceFactory = (scope: ServiceScope) => Partial<ActionServices>;

/** The real services over the database and the outbound client, with optional overrides. */
export function createServiceFactory(
  db: Executor,
  channels: ChannelsConfig,
  overrides: Partial<ActionServices> = {},
): ServiceFactory {
  const http: ActionServices['http'] = {
    fetch: guardedFetch(channels.outbound),
    hmacSha256: webCryptoHmacSha256,
  };
  return (scope) => {
    const { workspaceId } = scope;
    // A connected Shopify store gets every code too (single use, for its customer when they came from
    // the store), so the shopper can redeem it at checkout; the same code on a retry, never two.
    const redeemableInStore = async (row: Awaited<ReturnType<typeof createDiscountCode>>) => {
      const customer = await getCustomer(db, workspaceId, row.customerId);
      const external = customer?.externalId ?? '';
      await pushDiscountToShopify(db, channels, workspaceId, {
        code: row.code,
        kind: row.kind,
        value: row.value,
        expiresAt: row.expiresAt,
        shopifyCustomerId: /^\d{1,30}$/.test(external) ? external : null,
        startsAt: row.createdAt,
      });
    };
    const services: Partial<ActionServices> = {
      // Read at each call (no cache), so a rotated secret signs the next attempt and a deleted one fails it.
      secrets: {
        async get(name) {
          const ciphertext = await getWorkspaceSecretCiphertext(db, workspaceId, name);
          return ciphertext === null ? null : decryptWorkspaceSecret(channels.secretKey, ciphertext);
        },
      },
      http,
      clock: { now: scope.now },
      log: {
        info: (m, meta) => scope.log.info(m, { runId: scope.runRowId, stepId: scope.stepId, ...meta }),
        warn: (m, meta) => scope.log.warn(m, { runId: scope.runRowId, stepId: scope.stepId, ...meta }),
      },
      messages: { send: scope.send },
      store: {
        async once(key, make) {
          if (!key || key.length > 200)
            throw new ActionError('store.invalid_key', 'A memory key has 1 to 200 characters', false);
          const kept = await recallRunMemory(db, workspaceId, scope.runRowId, key);
          if (kept !== undefined) return kept as Awaited<ReturnType<typeof make>>;
          const value = await make();
          const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
          if (bytes > MAX_MEMORY_BYTES)
            throw new ActionError(
              'store.too_large',
              `${bytes} bytes to remember; the limit is ${MAX_MEMORY_BYTES}`,
              false,
            );
          // Under a race the first writer wins: every attempt goes on with the same value.
          return (await rememberOnce(db, workspaceId, scope.runRowId, key, value)) as Awaited<
            ReturnType<typeof make>
          >;
        },
      },
      customers: {
        async update(req) {
          const c = await getCustomer(db, workspaceId, req.customerId);
          if (!c) throw new ActionError('customer.missing', 'Customer not found', false);
          const attributes = Object.fromEntries(req.setAttributes.map((a) => [a.key, a.value]));
          const { customer: after } = await upsertCustomerFromEvent(db, workspaceId, {
            externalId: c.externalId,
            email: c.email,
            phone: c.phone,
            attributes,
            tags: req.addTags,
          });
          const removed = await removeCustomerTags(db, workspaceId, c.id, req.removeTags);
          const changed =
            removed ||
            JSON.stringify(after.attributes) !== JSON.stringify(c.attributes) ||
            after.tags.length !== c.tags.length;
          return { changed };
        },
        async recordEvent(req) {
          const { inserted } = await insertEventOnce(db, workspaceId, {
            id: req.id,
            type: req.type,
            customerId: req.customerId,
            properties: req.properties,
          });
          return { recorded: inserted };
        },
      },
      discounts: {
        async create(req) {
          try {
            const row = await createDiscountCode(db, workspaceId, req);
            await redeemableInStore(row);
            return {
              code: row.code,
              kind: row.kind,
              value: row.value,
              currency: row.currency,
              expiresAt: row.expiresAt?.toISOString() ?? null,
            };
          } catch (e) {
            // Bad input stays bad; a run of taken codes may clear on the next attempt.
            if (e instanceof DiscountCodeError)
              throw new ActionError(e.code, e.message, e.code === 'discount.code_collision');
            // The store was unreachable or busy: the retry finds the same code and tries again.
            if (e instanceof ShopifyApiError)
              throw new ActionError(
                e.code,
                e.message,
                !['shopify.unauthorized', 'shopify.graphql_error'].includes(e.code),
              );
            throw e;
          }
        },
      },
      catalog: {
        recommend: (req) => recommendProducts(db, workspaceId, req),
      },
    };
    return { ...services, ...overrides };
  };
}
