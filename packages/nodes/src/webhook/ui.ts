import { clip } from '../common';
import type { NodeUi } from '../ui-types';
import type { WebhookConfig } from './definition';

/** Webhook on the canvas. */
export const webhookUi: NodeUi<WebhookConfig> = {
  icon: 'webhook',
  color: '#475569',
  keywords: ['http', 'api', 'post', 'integration', 'url', 'request'],
  summary: (c) => clip(`POST ${c.url ? c.url.replace(/^https?:\/\//, '') : '(no URL)'}`),
};
