import { type ChannelSettingsView, EmailChannelInput, SmsChannelInput } from '@hourglass/contract';
import { useState } from 'react';
import { useSaveChannelSettings } from '../../api/settings';
import { orNull, SecretField, SettingsCard, secretValue, TextField, useSaveState, zodErrors } from './form';

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
  const [apiKey, setApiKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const [webhookSecret, setWebhookSecret] = useState('');
  const [clearWebhook, setClearWebhook] = useState(false);
  const [baseUrl, setBaseUrl] = useState(view.baseUrl ?? '');
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      state.touched();
    };

  const submit = () => {
    // From and Reply-To are left out: the sender identity card owns them, and omitted means kept.
    const email = {
      apiKey: secretValue(apiKey, clearKey),
      webhookSecret: secretValue(webhookSecret, clearWebhook),
      baseUrl: orNull(baseUrl),
    };
    const parsed = EmailChannelInput.safeParse(email);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error, 'email'));
    save.mutate(
      { email },
      {
        onSuccess: () => {
          setApiKey('');
          setWebhookSecret('');
          setClearKey(false);
          setClearWebhook(false);
          state.succeeded();
        },
        onError: state.failed,
      },
    );
  };

  return (
    <SettingsCard
      title="Email provider"
      description={<>Resend. {providerLine(view)}</>}
      onSubmit={submit}
      pending={save.isPending}
      saved={state.saved}
      errors={state.errors}
      readOnly={readOnly}
    >
      <SecretField
        label="Resend API key"
        noun="API key"
        value={apiKey}
        onChange={edit(setApiKey)}
        clear={clearKey}
        onClear={edit(setClearKey)}
        stored={view.apiKey}
        error={state.errors['email.apiKey']}
      />
      <SecretField
        label="Webhook signing secret"
        noun="signing secret"
        value={webhookSecret}
        onChange={edit(setWebhookSecret)}
        clear={clearWebhook}
        onClear={edit(setClearWebhook)}
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
        onChange={edit(setBaseUrl)}
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
    const parsed = EmailChannelInput.safeParse(email);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error, 'email'));
    save.mutate({ email }, { onSuccess: state.succeeded, onError: state.failed });
  };
  return (
    <SettingsCard
      title="Sender identity"
      description="Who emails come from when a message names no sender of its own."
      onSubmit={submit}
      pending={save.isPending}
      saved={state.saved}
      errors={state.errors}
      readOnly={readOnly}
    >
      <TextField
        label="From address"
        value={from}
        onChange={(v) => {
          setFrom(v);
          state.touched();
        }}
        placeholder="Shop <hello@shop.com>"
        error={state.errors['email.from']}
      />
      <TextField
        label="Reply-To address"
        type="email"
        value={replyTo}
        onChange={(v) => {
          setReplyTo(v);
          state.touched();
        }}
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
  const [authToken, setAuthToken] = useState('');
  const [clearToken, setClearToken] = useState(false);
  const [from, setFrom] = useState(view.from ?? '');
  const [messagingServiceSid, setMessagingServiceSid] = useState(view.messagingServiceSid ?? '');
  const [baseUrl, setBaseUrl] = useState(view.baseUrl ?? '');
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      state.touched();
    };

  const submit = () => {
    const sms = {
      accountSid: orNull(accountSid),
      authToken: secretValue(authToken, clearToken),
      from: orNull(from),
      messagingServiceSid: orNull(messagingServiceSid),
      baseUrl: orNull(baseUrl),
    };
    const parsed = SmsChannelInput.safeParse(sms);
    if (!parsed.success) return state.setErrors(zodErrors(parsed.error, 'sms'));
    save.mutate(
      { sms },
      {
        onSuccess: () => {
          setAuthToken('');
          setClearToken(false);
          state.succeeded();
        },
        onError: state.failed,
      },
    );
  };

  return (
    <SettingsCard
      title="SMS provider"
      description={<>Twilio. {providerLine(view)}</>}
      onSubmit={submit}
      pending={save.isPending}
      saved={state.saved}
      errors={state.errors}
      readOnly={readOnly}
    >
      <TextField
        label="Account SID"
        value={accountSid}
        onChange={edit(setAccountSid)}
        placeholder="AC…"
        error={state.errors['sms.accountSid']}
      />
      <SecretField
        label="Auth token"
        noun="auth token"
        value={authToken}
        onChange={edit(setAuthToken)}
        clear={clearToken}
        onClear={edit(setClearToken)}
        stored={view.authToken}
        error={state.errors['sms.authToken']}
      />
      <TextField
        label="From number"
        type="tel"
        value={from}
        onChange={edit(setFrom)}
        placeholder="+15551234567"
        error={state.errors['sms.from']}
      />
      <TextField
        label="Messaging service SID (instead of a number)"
        value={messagingServiceSid}
        onChange={edit(setMessagingServiceSid)}
        placeholder="MG…"
        error={state.errors['sms.messagingServiceSid']}
      />
      <TextField
        label="API base URL (optional)"
        type="url"
        value={baseUrl}
        onChange={edit(setBaseUrl)}
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
