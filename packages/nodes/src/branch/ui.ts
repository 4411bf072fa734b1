import type { NodeUi } from '../ui-types';
import type { BranchConfig } from './definition';

/** Branch on the canvas. */
export const branchUi: NodeUi<BranchConfig> = {
  icon: 'git-branch',
  color: '#d97706',
  keywords: ['if', 'condition', 'segment', 'split', 'decision', 'filter', 'case'],
  summary: (c) => `Branch · ${c.cases.length} ${c.cases.length === 1 ? 'case' : 'cases'}`,
  fields: {
    // Branches decide in an activity that counts events and resolves segments.
    'cases.*.when': {
      widget: 'rule',
      rule: { roots: ['customer', 'order', 'trigger'], performed: true, segments: true, messages: true },
    },
  },
};
