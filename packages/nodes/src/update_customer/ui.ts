import { clip } from '../common';
import type { NodeUi } from '../ui-types';
import type { UpdateCustomerConfig } from './definition';

/** Update-customer on the canvas. */
export const updateCustomerUi: NodeUi<UpdateCustomerConfig> = {
  icon: 'user-pen',
  color: '#475569',
  keywords: ['profile', 'attribute', 'property', 'tag', 'set field'],
  summary(c) {
    const parts = [
      ...c.setAttributes.map((a) => `${a.key} = ${JSON.stringify(a.value)}`),
      ...c.addTags.map((t) => `+${t}`),
      ...c.removeTags.map((t) => `−${t}`),
    ];
    return clip(`Update · ${parts.join(', ') || 'nothing'}`);
  },
};
