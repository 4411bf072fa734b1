import type { NodeUi } from '../ui-types';
import type { AbSplitConfig } from './definition';

/** A/B split on the canvas. */
export const abSplitUi: NodeUi<AbSplitConfig> = {
  icon: 'split',
  color: '#d97706',
  keywords: ['a/b test', 'experiment', 'random', 'split test', 'variant', 'percentage'],
  summary: (c) => `Split · ${c.variants.map((v) => `${v.label || v.id} ${v.percent}%`).join(' / ')}`,
};
