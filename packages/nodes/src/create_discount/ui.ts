import type { NodeUi } from '../ui-types';
import type { DiscountConfig } from './definition';

/** Create-discount on the canvas. */
export const createDiscountUi: NodeUi<DiscountConfig> = {
  icon: 'ticket-percent',
  color: '#b45309',
  keywords: ['coupon', 'code', 'promo', 'voucher', 'offer', 'shopify'],
  summary(c) {
    const off =
      c.kind === 'percent' ? `${c.value}% off` : `${c.value}${c.currency ? ` ${c.currency}` : ''} off`;
    return `Discount · ${off}${c.expiresInDays ? `, ${c.expiresInDays} days` : ''}`;
  },
};
