import { randomUUID } from 'node:crypto';
import {
  type Db,
  getWorkspace,
  recordSystemEmail,
  type SystemEmail,
  type SystemEmailKind,
  WorkspaceSettings,
} from '@hourglass/db';
import type { ChannelsConfig } from './config';
import {
  outboxProvider,
  ProviderFailure,
  type Providers,
  resendProvider,
  resolveProviders,
} from './providers';
import { emailLayout } from './render';
import { fromHeader } from './sender';

/** An email Hourglass sends to a person who uses it: a few paragraphs and one button. */
export interface SystemEmailInput {
  kind: SystemEmailKind;
  to: string;
  subject: string;
  /** Plain-text paragraphs; they are escaped in the HTML part. */
  paragraphs: string[];
  action: { label: string; url: string };
  /** Send through this workspace's email channel (its provider, sender and brand); null: the installation's. */
  workspaceId: string | null;
}

/** Where the email went: `outbox` means it is only in the system_emails table (no provider configured). */
export interface SystemEmailOutcome {
  id: string;
  provider: SystemEmail['provider'];
  status: SystemEmail['status'];
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Sends a password reset or an invitation, once, through the workspace's email channel (else the
 * environment's Resend account, else the outbox) and records it in system_emails. A provider refusal
 * is recorded and returned as `failed`, never thrown: callers such as "forgot password" must answer the
 * same whether or not an email left. The link is a credential, so the body is stored only for the outbox.
 */
export async function sendSystemEmail(
  deps: { db: Db; config: ChannelsConfig; providers?: Providers },
  input: SystemEmailInput,
): Promise<SystemEmailOutcome> {
  const { db, config } = deps;
  const workspace = input.workspaceId ? await getWorkspace(db, input.workspaceId) : null;
  const providers = deps.providers ?? (await installationOr(db, config, workspace?.id ?? null));
  const brand = workspace
    ? WorkspaceSettings.parse(workspace.settings ?? {}).brand
    : WorkspaceSettings.parse({}).brand;
  const brandName = workspace ? brand.name || workspace.name : 'Hourglass';
  const from = fromHeader({}, config, brandName, providers.emailDefaults);
  const text = [...input.paragraphs, `${input.action.label}: ${input.action.url}`].join('\n\n');
  const url = escapeHtml(input.action.url);
  const bodyHtml = [
    ...input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${url}" style="display:inline-block;padding:10px 18px;background:#111827;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(input.action.label)}</a></p>`,
    `<p style="font-size:13px;color:#6b7280">${url}</p>`,
  ].join('\n');
  const html = emailLayout({
    bodyHtml,
    preheader: input.paragraphs[0] ?? '',
    subject: input.subject,
    brand: { ...brand, name: brandName },
    unsubscribeUrl: null,
  });
  const provider = providers.email;
  const keep = provider.name === 'outbox';
  const record = {
    workspaceId: workspace?.id ?? null,
    kind: input.kind,
    toAddress: input.to,
    fromAddress: from,
    subject: input.subject,
    bodyText: keep ? text : null,
    bodyHtml: keep ? html : null,
    provider: provider.name,
  };
  try {
    const sent = await provider.sendEmail({
      to: input.to,
      from,
      ...(providers.emailDefaults?.replyTo ? { replyTo: providers.emailDefaults.replyTo } : {}),
      subject: input.subject,
      html,
      text,
      headers: {},
      idempotencyKey: `system:${randomUUID()}`,
      tags: { kind: input.kind },
    });
    const row = await recordSystemEmail(db, {
      ...record,
      providerMessageId: sent.providerMessageId,
      status: 'sent',
    });
    return { id: row.id, provider: row.provider, status: row.status };
  } catch (e) {
    if (!(e instanceof ProviderFailure)) throw e;
    const row = await recordSystemEmail(db, {
      ...record,
      providerMessageId: null,
      status: 'failed',
      error: { code: e.code, status: e.status, reason: e.message },
    });
    return { id: row.id, provider: row.provider, status: row.status };
  }
}

/** A workspace's providers, or the installation's: the environment's Resend account, else the outbox. */
async function installationOr(
  db: Db,
  config: ChannelsConfig,
  workspaceId: string | null,
): Promise<Providers> {
  if (workspaceId) return resolveProviders(db, config, workspaceId);
  const outbox = outboxProvider();
  const email = config.resend
    ? resendProvider(config.resend, { timeoutMs: config.timeoutMs, outbound: config.outbound })
    : outbox;
  return {
    email,
    sms: outbox,
    ...(config.resend?.from ? { emailDefaults: { from: config.resend.from } } : {}),
  };
}
