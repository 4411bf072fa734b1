// @hourglass/channels: renders, gates (consent, suppression, quiet hours, caps) and delivers
// email and SMS through Resend / Twilio / the local outbox, and applies their webhooks.
export { recordTrackedClick, type TrackedRequest, trackedLink } from './clicks';
export { type ChannelsConfig, channelsConfigFromEnv, ResendConfig, TwilioConfig } from './config';
export {
  attributionProperties,
  emitEngagementEvent,
  type MessageEngagement,
  type MessageEngagementType,
} from './engagement';
export { applyInboundSms, type InboundOutcome } from './inbound';
export {
  botReason,
  DEFAULT_LINK_TTL_DAYS,
  signLinkToken,
  type TrackedBody,
  trackBody,
  trackedLinkLength,
  verifyLinkToken,
} from './links';
export { SUPPRESS_REASONS, type SuppressReason, suppressionFor } from './policy';
export {
  type EmailProvider,
  loadProviderSettings,
  mergeSettings,
  type OutgoingEmail,
  type OutgoingSms,
  outboxProvider,
  ProviderFailure,
  type ProviderSettingsUpdate,
  type ProviderSource,
  type Providers,
  resendProvider,
  resolveProviders,
  type SmsProvider,
  type StoredProviderSettings,
  saveProviderSettings,
  secretHint,
  twilioProvider,
  updateProviderSettings,
} from './providers';
export {
  type EmailTemplate,
  htmlToText,
  type PreviewRequest,
  RenderError,
  type RenderedEmail,
  type RenderedSms,
  type RenderInput,
  renderEmail,
  renderPreview,
  renderSms,
  type SmsSegments,
  smsSegments,
  templateScope,
} from './render';
export { type ReplyCommand, replyCommand, replyKeyword, replyRating } from './replies';
export {
  LEGACY_DEV_SECRET,
  reencryptLegacySecrets,
  resolveSecretKey,
  secretKeyFile,
} from './secret-key';
export {
  decryptSecret,
  decryptStoreCredentials,
  decryptWorkspaceSecret,
  encryptSecret,
  encryptStoreCredentials,
  encryptWorkspaceSecret,
  signUnsubscribeToken,
  type UnsubscribeClaim,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from './secrets';
export {
  ChannelSendError,
  type ChannelSendResult,
  createSender,
  fromHeader,
  type SenderDeps,
  statusCallbackUrl,
} from './sender';
export * from './shopify/index';
export { emitStatusEvent, engagementEventId } from './status-events';
export { type SystemEmailInput, type SystemEmailOutcome, sendSystemEmail } from './system-email';
export { sendTestMessage, TestSendFailed, type TestSendInput, type TestSendOutcome } from './test-send';
export {
  DEFAULT_FREQUENCY_CAPS,
  DEFAULT_QUIET_HOURS,
  frequencyCapUntil,
  type QuietHours,
  quietHoursDeferral,
} from './timing';
export {
  applyResendEvent,
  applyTwilioStatus,
  applyUnsubscribe,
  type ResendEvent,
  TEST_SEND_STEP,
  type WebhookOutcome,
  type WebhookScope,
} from './tracking';
