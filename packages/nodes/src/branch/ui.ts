import type { NodeUi } from '../ui-types';
import type { BranchConfig } from './definition';

/** Branch on the canvas. */
export const branchUi: NodeUi<BranchConfig> = {
  icon: 'git-branch',
  color: '#d97706',
  summary: (c) => `Branch · ${c.cases.length} ${c.cases.length === 1 ? 'case' : 'cases'}`,
  fields: { 'cases.*.when': { widget: 'rule' } },
};
