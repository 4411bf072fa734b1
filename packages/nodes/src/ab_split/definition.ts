import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { PortKey } from '../branch/definition';

/** A/B split config: weighted variants that must add up to 100%. */
export const AbSplitConfig = z.object({
  variants: z
    .array(
      z.object({
        id: PortKey.describe('Id'),
        label: z.string().max(80).default('').describe('Label'),
        percent: z.number().min(0).max(100).describe('Percent'),
      }),
    )
    .min(2)
    .max(10)
    .default([
      { id: 'a', label: 'A', percent: 50 },
      { id: 'b', label: 'B', percent: 50 },
    ])
    .describe('Variants'),
});
export type AbSplitConfig = z.infer<typeof AbSplitConfig>;

/** Random split by percentages, deterministic per run. */
export const abSplit = defineNode({
  kind: 'ab_split',
  version: 1,
  label: 'A/B split',
  description: 'Split customers randomly by percentage (the same customer run always gets the same path).',
  category: 'logic',
  config: AbSplitConfig,
  ports: (c) => c.variants.map((v) => ({ id: v.id, label: v.label || v.id })),
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    const total = c.variants.reduce((s, v) => s + v.percent, 0);
    // Compare in hundredths so 33.33 + 33.33 + 33.34 is accepted despite float error.
    if (Math.round(total * 100) !== 10_000) {
      d.push({
        field: 'variants',
        code: 'split.weights',
        message: `Percentages add up to ${total}, not 100`,
      });
    }
    const ids = new Set<string>();
    c.variants.forEach((v, i) => {
      if (ids.has(v.id))
        d.push({ field: `variants.${i}.id`, code: 'split.weights', message: `Id "${v.id}" used twice` });
      ids.add(v.id);
    });
    const next: Record<string, string> = {};
    for (const v of c.variants) next[v.id] = ctx.port(v.id);
    return {
      diagnostics: d,
      steps: [
        {
          type: 'decide',
          mode: 'random',
          weights: c.variants.map((v) => ({ port: v.id, label: v.label || v.id, percent: v.percent })),
          next,
        },
      ],
    };
  },
});
