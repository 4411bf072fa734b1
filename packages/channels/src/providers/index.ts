import { type Executor, getChannelSettings, upsertChannelSettings } from '@hourglass/db';
import { type ChannelsConfig, ResendConfig, TwilioConfig } from '../config';
import { decryptSecret, encryptSecret } from '../secrets';
import { outboxProvider } from './outbox';
import { resendProvider } from './resend';
import { twilioProvider } from './twilio';
import type { EmailProvider, SmsProvider } from './types';

export { outboxProvider } from './outbox';
export { resendProvider } from './resend';
export { twilioProvider } from './twilio';
export * from './types';

/** The providers a workspace sends through. */
export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
}

// SDK clients keep connection pools: build one per distinct configuration, not per send.
const cache = new Map<string, EmailProvider | SmsProvider>();
function cached<T extends EmailProvider | SmsProvider>(key: string, make: () => T): T {
  let p = cache.get(key) as T | undefined;
  if (!p) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

/** Secrets stored per workspace, encrypted at rest. */
type StoredSecrets = { apiKey?: string; authToken?: string };

/** The workspace's providers: its own stored settings first, then the environment, then the outbox. */
export async function resolveProviders(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
): Promise<Providers> {
  const [resendRow, twilioRow] = await Promise.all([
    getChannelSettings(db, workspaceId, 'resend'),
    getChannelSettings(db, workspaceId, 'twilio'),
  ]);
  const stored = (row: typeof resendRow) =>
    row?.secretCiphertext
      ? { ...row.config, ...decryptSecret<StoredSecrets>(config.secretKey, row.secretCiphertext) }
      : null;
  const resend = ResendConfig.safeParse(stored(resendRow)).data ?? config.resend;
  const twilio = TwilioConfig.safeParse(stored(twilioRow)).data ?? config.twilio;
  const opts = { timeoutMs: config.timeoutMs };
  const outbox = outboxProvider();
  return {
    email: resend ? cached(`resend:${JSON.stringify(resend)}`, () => resendProvider(resend, opts)) : outbox,
    sms:
      twilio && (twilio.from || twilio.messagingServiceSid)
        ? cached(`twilio:${JSON.stringify(twilio)}`, () => twilioProvider(twilio, opts))
        : outbox,
  };
}

/** Stores a workspace's provider settings; secret fields are encrypted with HOURGLASS_SECRET_KEY. */
export async function saveProviderSettings(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
  input: { provider: 'resend'; settings: ResendConfig } | { provider: 'twilio'; settings: TwilioConfig },
): Promise<void> {
  const { provider } = input;
  const { apiKey, authToken, ...rest } = input.settings as Partial<ResendConfig & TwilioConfig>;
  const secrets: StoredSecrets = provider === 'resend' ? { apiKey } : { authToken };
  await upsertChannelSettings(db, workspaceId, {
    provider,
    config: rest,
    secretCiphertext: encryptSecret(config.secretKey, secrets),
  });
}
