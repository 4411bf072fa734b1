import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { FailurePolicy, MESSAGE_RETRY } from '../common';
import { checkTemplate } from '../liquid';

/** What the `sms.send` action receives (template still unrendered). */
export const SmsActionInput = z.object({ text: z.string(), sender: z.string(), transactional: z.boolean() });
export type SmsActionInput = z.infer<typeof SmsActionInput>;

/** Send-SMS config; `text` is a Liquid template. */
export const SendSmsConfig = z.object({
  text: z.string().max(1600).default('').describe('Message (Liquid)'),
  sender: z.string().max(40).default('').describe('Sender number or id (empty = workspace default)'),
  transactional: z.boolean().default(false).describe('Transactional (not marketing)'),
  onFailure: FailurePolicy,
});
export type SendSmsConfig = z.infer<typeof SendSmsConfig>;

/** Three GSM segments; beyond this SMS gets expensive and is often a pasted email. */
const LONG_SMS = 459;

/** Sends an SMS through the channels package. */
export const sendSms = defineNode({
  kind: 'send_sms',
  version: 1,
  label: 'Send SMS',
  description: 'Send a short personalised text message.',
  category: 'action',
  config: SendSmsConfig,
  actions: ['sms.send'],
  sendsMessage: true,
  ports: [{ id: 'out', label: 'Next' }],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    if (!c.text.trim())
      d.push({ field: 'text', code: 'config.invalid', message: 'Message text is required' });
    if (c.text.length > LONG_SMS) {
      d.push({ field: 'text', code: 'sms.long', message: 'Longer than 3 SMS segments', severity: 'warning' });
    }
    if (ctx.options.smsSenderConfigured === false) {
      d.push({ code: 'sms.no_sender', message: 'No SMS-capable sender is configured for this workspace' });
    }
    d.push(...checkTemplate(c.text, 'text', ctx.outputs));
    const input: SmsActionInput = { text: c.text, sender: c.sender, transactional: c.transactional };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'sms.send',
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
