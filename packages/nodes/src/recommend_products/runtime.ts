import { defineAction } from '../services';
import { RecommendActionInput, type RecommendOutput } from './definition';

/** The skus of an order subject's items (the basket recommendations start from). */
function orderSkus(order: Record<string, unknown> | null): string[] {
  const items = Array.isArray(order?.items) ? (order.items as Array<Record<string, unknown>>) : [];
  return items.flatMap((i) => (typeof i?.sku === 'string' && i.sku ? [i.sku] : []));
}

/** `products.recommend`: co-purchased products from the workspace's order history, best sellers as fallback. */
export const recommendAction = defineAction({
  key: 'products.recommend',
  input: RecommendActionInput,
  services: ['catalog'],
  async run(input, ctx, { catalog }) {
    const orderId = typeof ctx.order?.id === 'string' ? ctx.order.id : null;
    const products = await catalog.recommend({
      customerId: ctx.customer.id,
      orderId,
      skus: orderSkus(ctx.order),
      limit: input.limit,
    });
    const output: RecommendOutput = { products, count: products.length };
    return {
      status: products.length > 0 ? 'ok' : 'skipped',
      ...(products.length ? {} : { detail: 'no_products' }),
      output,
    };
  },
});
