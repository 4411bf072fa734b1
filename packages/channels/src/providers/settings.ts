import { type Executor, type JsonObject, listChannelSettings, upsertChannelSettings } from '@hourglass/db';
import type { ChannelsConfig } from '../config';
import { decryptSecret, encryptSecret } from '../secrets';

/** Plain (non-secret) Resend settings of a workspace. */
export interface ResendPlain {
  from?: string;
  replyTo?: string;
  baseUrl?: string;
}
/** Resend secrets of a workspace. */
export interface ResendSecrets {
  apiKey?: string;
  webhookSecret?: string;
}
/** Plain (non-secret) Twilio settings of a workspace. */
export interface TwilioPlain {
  accountSid?: string;
  from?: string;
  messagingServiceSid?: string;
  baseUrl?: string;
}
/** Twilio secrets of a workspace. */
export interface TwilioSecrets {
  authToken?: string;
}

/** A workspace's stored provider settings, secrets decrypted (never send these to a client). */
export interface StoredProviderSettings {
  resend: { plain: ResendPlain; secrets: ResendSecrets } | null;
  twilio: { plain: TwilioPlain; secrets: TwilioSecrets } | null;
}

/** Each field: a value replaces the stored one, null clears it, undefined keeps it. */
type Changes<T> = { [K in keyof T]?: string | null };

/** An update of a workspace's provider settings, plain and secret fields alike. */
export interface ProviderSettingsUpdate {
  resend?: { plain: Changes<ResendPlain>; secrets: Changes<ResendSecrets> };
  twilio?: { plain: Changes<TwilioPlain>; secrets: Changes<TwilioSecrets> };
}

/** The stored fields with the changes applied. */
export function mergeSettings(
  stored: object | undefined,
  changes: Record<string, string | null | undefined>,
): Record<string, string> {
  const out: Record<string, string> = { ...stored };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else if (typeof v === 'string' && v) out[k] = v;
  }
  return out;
}

const strings = (o: object): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string' && !!e[1]),
  );

/** Reads the workspace's stored settings for both providers and decrypts their secrets. */
export async function loadProviderSettings(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
  opts: { unreadable?: 'throw' | 'drop' } = {},
): Promise<StoredProviderSettings> {
  const rows = await listChannelSettings(db, workspaceId);
  const resend = rows.find((r) => r.provider === 'resend');
  const twilio = rows.find((r) => r.provider === 'twilio');
  const read = (row: (typeof rows)[number] | undefined) =>
    row
      ? { plain: strings(row.config), secrets: openSecrets(config, row, opts.unreadable ?? 'throw') }
      : null;
  return { resend: read(resend), twilio: read(twilio) };
}

/**
 * Stored secrets that no longer decrypt: HOURGLASS_SECRET_KEY changed since they were saved. A 409
 * with a stable code (never a 500, never a silent fallback to another provider or the outbox); saving
 * the provider's secrets again replaces them.
 */
export class ProviderSecretsUnreadable extends Error {
  readonly statusCode = 409;
  readonly code = 'provider_secrets_unreadable';
  constructor(readonly provider: string) {
    super(
      `The stored ${provider} credentials cannot be decrypted with the current HOURGLASS_SECRET_KEY: enter them again in Settings → Channels`,
    );
  }
}

function openSecrets(
  config: ChannelsConfig,
  row: { provider: string; secretCiphertext: string | null },
  unreadable: 'throw' | 'drop',
): Record<string, string> {
  if (!row.secretCiphertext) return {};
  try {
    return strings(decryptSecret<object>(config.secretKey, row.secretCiphertext) ?? {});
  } catch {
    if (unreadable === 'drop') return {};
    throw new ProviderSecretsUnreadable(row.provider);
  }
}

/** Applies an update (secrets encrypted with HOURGLASS_SECRET_KEY; the plain config never holds one). */
export async function updateProviderSettings(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
  update: ProviderSettingsUpdate,
): Promise<void> {
  // Secrets that no longer decrypt are replaced by what this update brings.
  const current = await loadProviderSettings(db, config, workspaceId, { unreadable: 'drop' });
  for (const provider of ['resend', 'twilio'] as const) {
    const next = update[provider];
    if (!next) continue;
    const secrets = mergeSettings(current[provider]?.secrets, next.secrets);
    await upsertChannelSettings(db, workspaceId, {
      provider,
      config: mergeSettings(current[provider]?.plain, next.plain) as JsonObject,
      secretCiphertext: Object.keys(secrets).length ? encryptSecret(config.secretKey, secrets) : null,
    });
  }
}

/** What a client may see of a secret: whether it is set, and its last four characters when it is long enough to spare them. */
export function secretHint(value: string | undefined): { set: boolean; hint: string | null } {
  if (!value) return { set: false, hint: null };
  return { set: true, hint: value.length >= 12 ? `••••${value.slice(-4)}` : null };
}
