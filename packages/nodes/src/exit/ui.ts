import type { NodeUi } from '../ui-types';
import type { ExitConfig } from './definition';

/** Exit on the canvas. */
export const exitUi: NodeUi<ExitConfig> = {
  icon: 'log-out',
  color: '#dc2626',
  summary: (c) => `Exit · ${c.label}`,
};
