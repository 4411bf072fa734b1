import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { FailurePolicy, MESSAGE_RETRY } from '../common';
import { checkTemplate } from '../liquid';

/** What the `email.send` action receives (templates still unrendered). */
export const EmailActionInput = z.object({
  subject: z.string(),
  preheader: z.string(),
  body: z.string(),
  fromName: z.string(),
  fromEmail: z.string(),
  replyTo: z.string(),
  transactional: z.boolean(),
});
export type EmailActionInput = z.infer<typeof EmailActionInput>;

const EmailOrEmpty = z.union([z.literal(''), z.email()]);

/** Send-email config; subject, preheader and body are Liquid templates. */
export const SendEmailConfig = z.object({
  subject: z.string().max(300).default('').describe('Subject'),
  preheader: z.string().max(300).default('').describe('Preheader'),
  body: z.string().max(200_000).default('').describe('Body (Liquid)'),
  fromName: z.string().max(100).default('').describe('From name (empty = workspace default)'),
  fromEmail: EmailOrEmpty.default('').describe('From address (empty = workspace default)'),
  replyTo: EmailOrEmpty.default('').describe('Reply-to'),
  transactional: z.boolean().default(false).describe('Transactional (not marketing)'),
  onFailure: FailurePolicy,
});
export type SendEmailConfig = z.infer<typeof SendEmailConfig>;

/** Sends an email through the channels package. */
export const sendEmail = defineNode({
  kind: 'send_email',
  version: 1,
  label: 'Send email',
  description: 'Send a personalised email (Liquid templates).',
  category: 'action',
  config: SendEmailConfig,
  actions: ['email.send'],
  ports: [{ id: 'out', label: 'Next' }],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    if (!c.subject.trim())
      d.push({ field: 'subject', code: 'config.invalid', message: 'Subject is required' });
    if (!c.body.trim()) d.push({ field: 'body', code: 'config.invalid', message: 'Body is required' });
    d.push(
      ...checkTemplate(c.subject, 'subject', ctx.outputs),
      ...checkTemplate(c.preheader, 'preheader', ctx.outputs),
    );
    d.push(...checkTemplate(c.body, 'body', ctx.outputs));
    const input: EmailActionInput = {
      subject: c.subject,
      preheader: c.preheader,
      body: c.body,
      fromName: c.fromName,
      fromEmail: c.fromEmail,
      replyTo: c.replyTo,
      transactional: c.transactional,
    };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'email.send',
          input,
          transactional: c.transactional,
          retry: MESSAGE_RETRY,
          onFailure: c.onFailure,
          next: ctx.port('out'),
        },
      ],
    };
  },
});
