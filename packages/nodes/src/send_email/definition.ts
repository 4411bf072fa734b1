import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { FailurePolicy, MESSAGE_RETRY } from '../common';
import { checkTemplate } from '../liquid';
import { blockFields, blockProblems, EmailBlocks } from './blocks';

export * from './blocks';

/** What the `email.send` action receives (templates still unrendered). */
export const EmailActionInput = z.object({
  subject: z.string(),
  preheader: z.string(),
  body: z.string(),
  fromName: z.string(),
  fromEmail: z.string(),
  replyTo: z.string(),
  transactional: z.boolean(),
  /** The block document, when the email is built from blocks (`body` is then unused). */
  blocks: EmailBlocks.optional(),
  /** `support`: to the brand's support address (settings › brand) instead of the customer. */
  to: z.literal('support').optional(),
});
export type EmailActionInput = z.infer<typeof EmailActionInput>;

const EmailOrEmpty = z.union([z.literal(''), z.email()]);

/**
 * Send-email config; subject, preheader, body and every text of the blocks are Liquid templates.
 * `mode` is `html` for steps saved before blocks existed, so they keep sending their raw body.
 */
export const SendEmailConfig = z.object({
  subject: z.string().max(300).default('').describe('Subject'),
  preheader: z.string().max(300).default('').describe('Preheader'),
  mode: z.enum(['html', 'blocks']).default('html').describe('Email content'),
  blocks: EmailBlocks.default([]).describe('Blocks'),
  body: z.string().max(200_000).default('').describe('Body (Liquid)'),
  fromName: z.string().max(100).default('').describe('From name (empty = workspace default)'),
  fromEmail: EmailOrEmpty.default('').describe('From address (empty = workspace default)'),
  replyTo: EmailOrEmpty.default('').describe('Reply-to'),
  transactional: z.boolean().default(false).describe('Transactional (not marketing)'),
  to: z
    .enum(['customer', 'support'])
    .default('customer')
    .describe("To (support: the brand's support address, about this customer)"),
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
  sendsMessage: true,
  ports: [{ id: 'out', label: 'Next' }],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    if (!c.subject.trim())
      d.push({ field: 'subject', code: 'config.invalid', message: 'Subject is required' });
    d.push(
      ...checkTemplate(c.subject, 'subject', ctx.outputs),
      ...checkTemplate(c.preheader, 'preheader', ctx.outputs),
    );
    const blocks = c.mode === 'blocks';
    if (blocks) {
      if (c.blocks.length === 0)
        d.push({ field: 'blocks', code: 'config.invalid', message: 'Add at least one block' });
      d.push(...blockProblems(c.blocks));
      for (const f of blockFields(c.blocks)) d.push(...checkTemplate(f.source, f.field, ctx.outputs));
    } else {
      if (!c.body.trim()) d.push({ field: 'body', code: 'config.invalid', message: 'Body is required' });
      d.push(...checkTemplate(c.body, 'body', ctx.outputs));
    }
    // A note to the brand's own team is no marketing: the customer's consent has no say in it.
    const transactional = c.transactional || c.to === 'support';
    // Raw-HTML steps compile to the same input as before blocks existed (same plan hash).
    const input: EmailActionInput = {
      subject: c.subject,
      preheader: c.preheader,
      body: blocks ? '' : c.body,
      ...(blocks ? { blocks: c.blocks } : {}),
      fromName: c.fromName,
      fromEmail: c.fromEmail,
      replyTo: c.replyTo,
      transactional,
      ...(c.to === 'support' ? { to: 'support' as const } : {}),
    };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'email.send',
          input,
          transactional,
          retry: MESSAGE_RETRY,
          onFailure: c.onFailure,
          next: ctx.port('out'),
        },
      ],
    };
  },
});
