import { clip } from '../common';
import type { NodeUi } from '../ui-types';
import type { SendSmsConfig } from './definition';

/** Send-SMS on the canvas. */
export const sendSmsUi: NodeUi<SendSmsConfig> = {
  icon: 'message-square',
  color: '#16a34a',
  keywords: ['sms', 'text', 'message', 'mobile', 'phone', 'notify'],
  summary: (c) => clip(`SMS · ${c.text || '(empty)'}`, 64),
  fields: { text: { widget: 'liquid' } },
};
