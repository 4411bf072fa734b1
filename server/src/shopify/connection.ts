import { type ChannelsConfig, decryptStoreCredentials } from '@hourglass/channels';
import { SHOPIFY_WEBHOOK_TOPICS, type ShopifyConnectionView } from '@hourglass/contract';
import { type Executor, getStoreConnection, type StoreConnection } from '@hourglass/db';

/** A connection with its credentials decrypted, for the server's own use only (never answered). */
export interface ShopifyCredentials {
  connection: StoreConnection;
  clientSecret: string | null;
  accessToken: string | null;
}

/** The public address Shopify posts this workspace's webhooks to. */
export const shopifyWebhookUrl = (channels: Pick<ChannelsConfig, 'publicUrl'>, workspaceId: string) =>
  `${channels.publicUrl}/webhooks/shopify/${workspaceId}`;

/**
 * The workspace's Shopify connection and its credentials; null when not connected. Credentials that no
 * longer decrypt (the installation key changed) read as unset, so the connection asks to be redone.
 */
export async function loadShopify(
  db: Executor,
  channels: Pick<ChannelsConfig, 'secretKey'>,
  workspaceId: string,
): Promise<ShopifyCredentials | null> {
  const connection = await getStoreConnection(db, workspaceId, 'shopify');
  if (!connection) return null;
  let secrets: Record<string, string> = {};
  try {
    secrets = decryptStoreCredentials(channels.secretKey, connection.secretCiphertext);
  } catch {
    secrets = {};
  }
  return {
    connection,
    clientSecret: secrets.clientSecret || null,
    accessToken: secrets.accessToken || null,
  };
}

/** What the settings page shows: the shop and dates, and only whether each secret is set. */
export function connectionView(
  channels: Pick<ChannelsConfig, 'publicUrl'>,
  workspaceId: string,
  creds: ShopifyCredentials | null,
): ShopifyConnectionView {
  const c = creds?.connection;
  return {
    connected: !!c,
    shopDomain: c?.shopDomain ?? null,
    shopName: c?.shopName ?? null,
    clientSecretSet: !!creds?.clientSecret,
    accessTokenSet: !!creds?.accessToken,
    lastTestedAt: c?.lastTestedAt ?? null,
    webhooksRegisteredAt: c?.webhooksRegisteredAt ?? null,
    webhookUrl: shopifyWebhookUrl(channels, workspaceId),
    topics: [...SHOPIFY_WEBHOOK_TOPICS],
  };
}

// The webhook route reads the connection on every delivery; a short cache spares the database a
// read and a decryption per webhook. Connecting or disconnecting forgets it at once in this process;
// another API process sees the change within CACHE_MS.
const CACHE_MS = 5000;
const cache = new WeakMap<object, Map<string, { at: number; creds: ShopifyCredentials | null }>>();

/** loadShopify, remembered for a few seconds per database and workspace. */
export async function loadShopifyCached(
  db: Executor,
  channels: Pick<ChannelsConfig, 'secretKey'>,
  workspaceId: string,
): Promise<ShopifyCredentials | null> {
  let byWorkspace = cache.get(db);
  if (!byWorkspace) {
    byWorkspace = new Map();
    cache.set(db, byWorkspace);
  }
  const hit = byWorkspace.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.creds;
  const creds = await loadShopify(db, channels, workspaceId);
  if (byWorkspace.size > 10_000) byWorkspace.clear();
  byWorkspace.set(workspaceId, { at: Date.now(), creds });
  return creds;
}

/** Drops the cached connection of a workspace (after connecting or disconnecting). */
export function forgetShopify(db: Executor, workspaceId: string): void {
  cache.get(db)?.delete(workspaceId);
}
