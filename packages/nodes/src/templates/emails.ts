// Shorthands for the seed templates' block emails (the composer's blocks, as stored in a graph).

/** A send-email config built from blocks; a footer with the unsubscribe link is added when missing. */
export const blockEmail = (
  subject: string,
  blocks: Record<string, unknown>[],
  extra: { transactional?: boolean; preheader?: string } = {},
) => ({ subject, ...extra, mode: 'blocks' as const, blocks });

export const heading = (text: string) => ({ type: 'heading', text });
export const text = (text: string) => ({ type: 'text', text });
export const button = (label: string, href: string) => ({ type: 'button', label, href });
export const orderItems = (title = 'Your order') => ({ type: 'order_items', title });
/** The products of a step's output (`steps.<step>.products`), e.g. a Recommend products step. */
export const products = (step: string, title: string, limit = 4) => ({
  type: 'products',
  step,
  title,
  limit,
});
export const divider = () => ({ type: 'divider' });
export const footer = (text = '') => ({ type: 'footer', text });
