import {
  type ChannelSettingsPut,
  type ChannelSettingsView,
  EmailChannelInput,
  SmsChannelInput,
} from '@hourglass/contract';
import { useState } from 'react';
import { useSaveChannelSettings } from '../../api/settings';
import {
  cardState,
  orNull,
  SecretField,
  SettingsCard,
  TextField,
  useSaveState,
  useSecretInput,
  zodErrors,
} from './form';

const SOURCE: Record<string, string> = {
  workspace: "this workspace's own account",
  environment: "the server's account",
  outbox: 'the outbox: nothing leaves Hourglass, messages are listed on the Messages page',
};

function providerLine(view: { provider: string; source: string }) {
  const name = view.provider === 'outbox' ? 'Outbox' : view.provider === 'resend' ? 'Resend' : 'Twilio';
  return view.source === 'outbox'
    ? `Sending through ${SOURCE.outbox}.`
    : `Sending through ${name}, ${SOURCE[view.source]}.`;
}

/**
 * Validates one channel's input (errors under `email.` or `sms.`), then saves it; once saved, the
 * secrets typed in are cleared from their fields.
 */
function saveChannel<K extends 'email' | 'sms'>(
  save: ReturnType<typeof useSaveChannelSettings>,
  state: ReturnType<typeof useSaveState>,
  key: K,
  input: K extends 'email' ? EmailChannelInput : SmsChannelInput,
  secrets: Array<ReturnType<typeof useSecretInput>> = [],
) {
  const parsed = (key === 'email' ? EmailChannelInput : SmsChannelInput).safeParse(input);
  if (!parsed.success) return state.setErrors(zodErrors(parsed.error, key));
  save.mutate({ [key]: input } as ChannelSettingsPut, {
    onSuccess: () => {
      for (const s of secrets) s.reset();
      state.succeeded();
    },
    onError: state.failed,
  });
}

/** Resend: API key, base URL and webhook signing secret (secrets write-only). */
export function EmailProviderCard({
  view,
  readOnly,
}: {
  view: ChannelSettingsView['email'];
  readOnly: boolean;
}) {
  const save = useSaveChannelSettings();
  const state = useSaveState();
  const apiKey = useSecretInput(state);
  const webhookSecret = useSecretInput(state);
  const [baseUrl, setBaseUrl] = useState(view.baseUrl ?? '');

  const submit = () => {
    // From and Reply-To are left out: the sender identity card owns them, and omitted means kept.
    const email = {
      apiKey: apiKey.submitted(),
      webhookSecret: webhookSecret.submitted(),
      baseUrl: orNull(baseUrl),
    };
    saveChannel(save, state, 'email', email, [apiKey, webhookSecret]);
  };

  return (
    <SettingsCard
      title="Email provider"
      description={<>Resend. {providerLine(view)}</>}
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <SecretField
        label="Resend API key"
        noun="API key"
        {...apiKey.field}
        stored={view.apiKey}
        error={state.errors['email.apiKey']}
      />
      <SecretField
        label="Webhook signing secret"
        noun="signing secret"
        {...webhookSecret.field}
        stored={view.webhookSecret}
        error={state.errors['email.webhookSecret']}
      />
      <p className="small muted">
        Point Resend's webhook at <code>{view.webhookUrl}</code>
      </p>
      <TextField
        label="API base URL (optional)"
        type="url"
        value={baseUrl}
        onChange={state.edit(setBaseUrl)}
        placeholder="https://api.resend.com"
        error={state.errors['email.baseUrl']}
      />
    </SettingsCard>
  );
}

/** From and Reply-To used when a message node names no sender of its own. */
export function SenderIdentityCard({
  view,
  readOnly,
}: {
  view: ChannelSettingsView['email'];
  readOnly: boolean;
}) {
  const save = useSaveChannelSettings();
  const state = useSaveState();
  const [from, setFrom] = useState(view.from ?? '');
  const [replyTo, setReplyTo] = useState(view.replyTo ?? '');
  const submit = () => {
    // Everything else is left out, so kept as stored.
    const email = { from: orNull(from), replyTo: orNull(replyTo) };
    saveChannel(save, state, 'email', email);
  };
  return (
    <SettingsCard
      title="Sender identity"
      description="Who emails come from when a message names no sender of its own."
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <TextField
        label="From address"
        value={from}
        onChange={state.edit(setFrom)}
        placeholder="Shop <hello@shop.com>"
        error={state.errors['email.from']}
      />
      <TextField
        label="Reply-To address"
        type="email"
        value={replyTo}
        onChange={state.edit(setReplyTo)}
        placeholder="care@shop.com"
        error={state.errors['email.replyTo']}
      />
    </SettingsCard>
  );
}

/** Twilio: account SID, auth token (write-only), sender number or messaging service, base URL. */
export function SmsProviderCard({ view, readOnly }: { view: ChannelSettingsView['sms']; readOnly: boolean }) {
  const save = useSaveChannelSettings();
  const state = useSaveState();
  const [accountSid, setAccountSid] = useState(view.accountSid ?? '');
  const authToken = useSecretInput(state);
  const [from, setFrom] = useState(view.from ?? '');
  const [messagingServiceSid, setMessagingServiceSid] = useState(view.messagingServiceSid ?? '');
  const [baseUrl, setBaseUrl] = useState(view.baseUrl ?? '');

  const submit = () => {
    const sms = {
      accountSid: orNull(accountSid),
      authToken: authToken.submitted(),
      from: orNull(from),
      messagingServiceSid: orNull(messagingServiceSid),
      baseUrl: orNull(baseUrl),
    };
    saveChannel(save, state, 'sms', sms, [authToken]);
  };

  return (
    <SettingsCard
      title="SMS provider"
      description={<>Twilio. {providerLine(view)}</>}
      onSubmit={submit}
      {...cardState(save, state, readOnly)}
    >
      <TextField
        label="Account SID"
        value={accountSid}
        onChange={state.edit(setAccountSid)}
        placeholder="AC…"
        error={state.errors['sms.accountSid']}
      />
      <SecretField
        label="Auth token"
        noun="auth token"
        {...authToken.field}
        stored={view.authToken}
        error={state.errors['sms.authToken']}
      />
      <TextField
        label="From number"
        type="tel"
        value={from}
        onChange={state.edit(setFrom)}
        placeholder="+15551234567"
        error={state.errors['sms.from']}
      />
      <TextField
        label="Messaging service SID (instead of a number)"
        value={messagingServiceSid}
        onChange={state.edit(setMessagingServiceSid)}
        placeholder="MG…"
        error={state.errors['sms.messagingServiceSid']}
      />
      <TextField
        label="API base URL (optional)"
        type="url"
        value={baseUrl}
        onChange={state.edit(setBaseUrl)}
        placeholder="https://api.twilio.com"
        error={state.errors['sms.baseUrl']}
      />
      <p className="small muted">
        Status callbacks go to <code>{view.statusCallbackUrl}</code>; point the number's incoming messages at{' '}
        <code>{view.inboundUrl}</code>
      </p>
    </SettingsCard>
  );
}
