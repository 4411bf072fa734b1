import type { NodeUi } from '../ui-types';
import type { RecommendConfig } from './definition';

/** Recommend-products on the canvas. */
export const recommendProductsUi: NodeUi<RecommendConfig> = {
  icon: 'sparkles',
  color: '#7c3aed',
  keywords: ['products', 'upsell', 'cross-sell', 'related', 'suggest', 'catalog'],
  summary: (c) => `Recommend ${c.limit} product${c.limit === 1 ? '' : 's'}`,
};
