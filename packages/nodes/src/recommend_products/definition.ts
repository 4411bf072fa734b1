import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { DEFAULT_RETRY } from '../common';

/** What the `products.recommend` action receives. */
export const RecommendActionInput = z.object({ limit: z.number().int().min(1).max(12) });
export type RecommendActionInput = z.infer<typeof RecommendActionInput>;

/** Recommend-products config. */
export const RecommendConfig = z.object({
  limit: z.number().int().min(1).max(12).default(4).describe('How many products'),
  onFailure: z
    .enum(['continue', 'exit'])
    .default('exit')
    .describe('If it fails: continue the journey (without products), or exit'),
});
export type RecommendConfig = z.infer<typeof RecommendConfig>;

/** One recommended product. */
export const RecommendedProductOutput = z.object({
  title: z.string(),
  sku: z.string(),
  url: z.string().nullable(),
  imageUrl: z.string().nullable(),
  price: z.number().nullable(),
});

/** What later steps read as `steps.<name>.*`. */
export const RecommendOutput = z.object({
  products: z
    .array(RecommendedProductOutput)
    .describe('Products: title, sku, url, imageUrl, price ({% for p in steps.recommendations.products %})'),
  count: z.number().int().describe('How many products were found'),
});
export type RecommendOutput = z.infer<typeof RecommendOutput>;

/**
 * Picks products from the workspace's own order history: what customers who bought this order's
 * products (else the customer's last order's) also bought, leaving out what the customer already
 * has, filled up with best sellers.
 */
export const recommendProducts = defineNode({
  kind: 'recommend_products',
  version: 1,
  label: 'Recommend products',
  description: 'Products customers who bought the same also bought; later steps list them.',
  category: 'action',
  config: RecommendConfig,
  actions: ['products.recommend'],
  ports: [{ id: 'out', label: 'Next' }],
  output: { schema: RecommendOutput, name: 'recommendations', guaranteed: (c) => c.onFailure === 'exit' },
  compile(c, ctx) {
    const input: RecommendActionInput = { limit: c.limit };
    return {
      steps: [
        {
          type: 'act',
          action: 'products.recommend',
          input,
          retry: DEFAULT_RETRY,
          onFailure: c.onFailure,
          next: ctx.port('out'),
        },
      ],
    };
  },
});
