import { randomUUID } from 'node:crypto';
import {
  appendMessageStatus,
  type Db,
  markMessageSent,
  type ReserveInput,
  reserveMessage,
  type WorkspaceSettings,
} from '@hourglass/db';
import type { ChannelsConfig } from './config';
import { ProviderFailure, type Providers, resolveProviders } from './providers';
import { type PreviewRequest, type RenderInput, renderEmail, renderSms } from './render';
import { fromHeader, statusCallbackUrl } from './sender';
import { TEST_SEND_STEP } from './tracking';

/** What a test send needs: the node's content, the data to render it with, and where to send it. */
export interface TestSendInput {
  workspace: { id: string; name: string; settings: WorkspaceSettings };
  customer: RenderInput['customer'];
  order: RenderInput['order'];
  content: PreviewRequest;
  /** Sample outputs of the steps before the message (`steps.<name>`), as the preview shows them. */
  steps?: RenderInput['steps'];
  /** The tester's address or number (already validated for the channel). */
  to: string;
}

/** A test send the provider accepted. */
export interface TestSendOutcome {
  messageId: string;
  channel: 'email' | 'sms';
  to: string;
  provider: string;
  status: string;
}

/** The provider refused a test send (recorded as failed in the message log). */
export class TestSendFailed extends Error {
  constructor(
    readonly failure: ProviderFailure,
    readonly provider: string,
    readonly messageId: string,
  ) {
    super(failure.message);
    this.name = 'TestSendFailed';
  }
}

const TEST_PREFIX = '[Test] ';

/**
 * Renders a node's content for a real customer and sends it once to a tester, through the
 * workspace's providers. The ledger row is marked as a test (`test`, step `test-send`, `[Test]`
 * prefix) and belongs to no customer, so it never shows in the customer's history and never delays
 * their next real message (it is also stored as transactional, which caps do not count). Consent and suppressions are neither checked (the
 * recipient is the tester) nor changed. A template error throws RenderError before anything is
 * recorded; a provider refusal throws TestSendFailed, with the failed row in the log.
 */
export async function sendTestMessage(
  deps: { db: Db; config: ChannelsConfig; providers?: Providers; now?: Date },
  input: TestSendInput,
): Promise<TestSendOutcome> {
  const { db, config } = deps;
  const ws = input.workspace.id;
  const now = deps.now ?? new Date();
  const providers = deps.providers ?? (await resolveProviders(db, config, ws));
  const renderInput: RenderInput = {
    customer: input.customer,
    order: input.order,
    trigger: null,
    workspace: input.workspace,
    steps: input.steps ?? {},
    // A real token would let the tester unsubscribe the address they test with.
    unsubscribeUrl: input.content.transactional ? null : `${config.publicUrl}/unsubscribe`,
    now,
  };
  const content = input.content;
  const key = `test:${randomUUID()}`;
  // A test is the tester's, not the customer's whose data rendered it: no customer on the row.
  const base = {
    idempotencyKey: key,
    customerId: null,
    test: true,
    channel: content.channel,
    toAddress: input.to,
    stepId: TEST_SEND_STEP,
    transactional: true,
  } satisfies Partial<ReserveInput>;

  if (content.channel === 'email') {
    const email = await renderEmail(content, renderInput);
    const provider = providers.email;
    const from = fromHeader(
      {},
      config,
      input.workspace.settings.brand.name || input.workspace.name,
      providers.emailDefaults,
    );
    const subject = TEST_PREFIX + email.subject;
    const { message } = await reserveMessage(db, ws, {
      ...base,
      provider: provider.name,
      fromAddress: from,
      subject,
      preheader: email.preheader,
      bodyHtml: email.html,
      bodyText: email.text,
    });
    const replyTo = providers.emailDefaults?.replyTo;
    return deliver(db, ws, message.id, provider.name, content.channel, input.to, () =>
      provider.sendEmail({
        to: input.to,
        from,
        ...(replyTo ? { replyTo } : {}),
        subject,
        html: email.html,
        text: email.text,
        headers: {},
        idempotencyKey: key,
        tags: { message_id: message.id, workspace_id: ws, test: 'true' },
      }),
    );
  }

  const sms = await renderSms(content, renderInput, { marketing: !content.transactional });
  const provider = providers.sms;
  const body = TEST_PREFIX + sms.text;
  const { message } = await reserveMessage(db, ws, { ...base, provider: provider.name, bodyText: body });
  return deliver(db, ws, message.id, provider.name, content.channel, input.to, () =>
    provider.sendSms({
      to: input.to,
      body,
      statusCallback: statusCallbackUrl(config, ws, providers),
      idempotencyKey: key,
    }),
  );
}

async function deliver(
  db: Db,
  ws: string,
  messageId: string,
  provider: string,
  channel: 'email' | 'sms',
  to: string,
  call: () => Promise<{ providerMessageId: string }>,
): Promise<TestSendOutcome> {
  try {
    const { providerMessageId } = await call();
    const sent = await markMessageSent(db, ws, messageId, { providerMessageId });
    return { messageId, channel, to, provider, status: sent?.status ?? 'sent' };
  } catch (e) {
    if (!(e instanceof ProviderFailure)) throw e;
    // Recorded, never retried: the tester sees the provider's answer at once.
    await appendMessageStatus(db, ws, messageId, 'failed', {
      detail: e.message,
      error: {
        code: e.code,
        status: e.status,
        providerCode: e.providerCode,
        reason: e.message,
        test: true,
      },
    });
    throw new TestSendFailed(e, provider, messageId);
  }
}
