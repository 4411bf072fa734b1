import type { Executor } from '@hourglass/db';
import { type ChannelsConfig, ResendConfig, TwilioConfig } from '../config';
import { outboxProvider } from './outbox';
import { resendProvider } from './resend';
import { loadProviderSettings, updateProviderSettings } from './settings';
import { twilioProvider } from './twilio';
import type { EmailProvider, SmsProvider } from './types';

export { outboxProvider } from './outbox';
export { resendProvider } from './resend';
export * from './settings';
export { twilioProvider } from './twilio';
export * from './types';

/** Where a channel's provider comes from. */
export type ProviderSource = 'workspace' | 'environment' | 'outbox';

/** The providers a workspace sends through. */
export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
  /** Where each came from; `workspace` SMS gets the workspace-scoped status callback. Absent: environment. */
  source?: { email: ProviderSource; sms: ProviderSource };
  /** The workspace's sender identity, used when a node names no sender. */
  emailDefaults?: { from?: string; replyTo?: string };
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

/** The workspace's providers: its own stored settings first, then the environment, then the outbox. */
export async function resolveProviders(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
): Promise<Providers> {
  const stored = await loadProviderSettings(db, config, workspaceId);
  const ownResend = ResendConfig.safeParse(
    stored.resend && { ...stored.resend.plain, ...stored.resend.secrets },
  ).data;
  const ownTwilio = TwilioConfig.safeParse(
    stored.twilio && { ...stored.twilio.plain, ...stored.twilio.secrets },
  ).data;
  const twilioUsable = (t: TwilioConfig | null | undefined): t is TwilioConfig =>
    !!t && !!(t.from || t.messagingServiceSid);
  const resend = ownResend ?? config.resend;
  const twilio = twilioUsable(ownTwilio) ? ownTwilio : config.twilio;
  const opts = { timeoutMs: config.timeoutMs, outbound: config.outbound };
  const outbox = outboxProvider();
  const smsUsable = twilioUsable(twilio);
  return {
    email: resend
      ? cached(`resend:${JSON.stringify([resend, config.outbound])}`, () => resendProvider(resend, opts))
      : outbox,
    sms: smsUsable
      ? cached(`twilio:${JSON.stringify([twilio, config.outbound])}`, () => twilioProvider(twilio, opts))
      : outbox,
    source: {
      email: ownResend ? 'workspace' : resend ? 'environment' : 'outbox',
      sms: twilioUsable(ownTwilio) ? 'workspace' : smsUsable ? 'environment' : 'outbox',
    },
    // A stored sender identity applies even while the workspace sends through the environment's account.
    emailDefaults: {
      ...(stored.resend?.plain.from || resend?.from
        ? { from: stored.resend?.plain.from || resend?.from }
        : {}),
      ...(stored.resend?.plain.replyTo ? { replyTo: stored.resend.plain.replyTo } : {}),
    },
  };
}

/** Stores a workspace's complete provider settings; secret fields are encrypted with HOURGLASS_SECRET_KEY. */
export async function saveProviderSettings(
  db: Executor,
  config: ChannelsConfig,
  workspaceId: string,
  input: { provider: 'resend'; settings: ResendConfig } | { provider: 'twilio'; settings: TwilioConfig },
): Promise<void> {
  // Complete settings: a field left out is cleared, not kept.
  const all = <T extends object>(o: T, keys: (keyof T & string)[]) =>
    Object.fromEntries(keys.map((k) => [k, (o[k] as string | undefined) ?? null]));
  if (input.provider === 'resend') {
    const s = input.settings;
    await updateProviderSettings(db, config, workspaceId, {
      resend: { plain: all(s, ['from', 'replyTo', 'baseUrl']), secrets: all(s, ['apiKey', 'webhookSecret']) },
    });
  } else {
    const s = input.settings;
    await updateProviderSettings(db, config, workspaceId, {
      twilio: {
        plain: all(s, ['accountSid', 'from', 'messagingServiceSid', 'baseUrl']),
        secrets: all(s, ['authToken']),
      },
    });
  }
}
