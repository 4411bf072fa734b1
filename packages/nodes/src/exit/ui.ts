import type { NodeUi } from '../ui-types';
import type { ExitConfig } from './definition';

/** Exit on the canvas. */
export const exitUi: NodeUi<ExitConfig> = {
  icon: 'log-out',
  color: '#dc2626',
  keywords: ['end', 'stop', 'finish', 'done', 'goal'],
  summary: (c) => `Exit · ${c.label}`,
};
