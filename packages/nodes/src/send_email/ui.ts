import { clip } from '../common';
import type { NodeUi } from '../ui-types';
import type { SendEmailConfig } from './definition';

/** Send-email on the canvas. */
export const sendEmailUi: NodeUi<SendEmailConfig> = {
  icon: 'mail',
  color: '#2563eb',
  keywords: ['email', 'mail', 'message', 'newsletter', 'notify'],
  summary: (c) => clip(`Email · ${c.subject || '(no subject)'}`, 64),
  fields: {
    subject: { widget: 'liquid' },
    preheader: { widget: 'liquid' },
    // Blocks are edited in the composer; the raw body only in raw HTML mode.
    mode: { widget: 'hidden' },
    blocks: { widget: 'hidden' },
    body: { widget: 'liquid', showWhen: { mode: ['html'] } },
  },
};
