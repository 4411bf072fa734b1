import type { JsonObject } from '@hourglass/contract';
import type { AvailableOutput, FieldKind } from '@hourglass/journey';
import { DiscountConfig, type NodeKind, RecommendConfig } from '@hourglass/nodes';

// A message preview has no run, so the outputs of earlier steps (`steps.<name>.<field>`) would render
// empty. These samples stand in for them: shaped like the real output of the step with its current
// config, and plainly samples so nobody mistakes them for a real code or product.

/** The producer of an output, as the editor holds it: its node kind and config. */
export interface SampleProducer {
  kind: string;
  config: Record<string, unknown>;
}

type Json = JsonObject[string];
type Field = AvailableOutput['fields'][number];

/** The code a preview shows for a discount step (after the step's prefix, as real codes are). */
export const SAMPLE_CODE = 'SAMPLE-CODE';
const DAY_MS = 86_400_000;
const SAMPLE_PRODUCTS = 3;
// A grey square that needs no network (the app's CSP allows data: images).
const SAMPLE_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" fill="#e5e7eb"/></svg>',
)}`;

/** A sample value of a field from its kind alone (outputs of node types with no sample below). */
export function sampleByKind(field: Pick<Field, 'key' | 'kind'>, now: Date): Json {
  const byKind: Record<FieldKind, Json> = {
    text: `<${field.key}>`,
    number: 0,
    date: now.toISOString(),
    tags: [],
    any: null,
  };
  return byKind[field.kind];
}

type Sampler = (config: Record<string, unknown>, fields: readonly Field[], now: Date) => JsonObject;

// Per node kind, a sample that matches what its runtime returns for the config.
const SAMPLERS: Partial<Record<NodeKind, Sampler>> = {
  create_discount(raw, _fields, now) {
    const c = DiscountConfig.safeParse(raw).data ?? DiscountConfig.parse({});
    const percent = c.kind === 'percent';
    return {
      code: `${c.prefix.toUpperCase()}${SAMPLE_CODE}`,
      percentOff: percent ? c.value : null,
      amountOff: percent ? null : c.value,
      currency: percent ? null : (c.currency ?? 'USD'),
      expiresAt:
        c.expiresInDays === null ? null : new Date(now.getTime() + c.expiresInDays * DAY_MS).toISOString(),
    };
  },
  recommend_products(raw) {
    const c = RecommendConfig.safeParse(raw).data ?? RecommendConfig.parse({});
    const products = Array.from({ length: Math.min(c.limit, SAMPLE_PRODUCTS) }, (_, i) => ({
      title: `Sample product ${i + 1}`,
      sku: `SAMPLE-${i + 1}`,
      url: `https://example.com/products/sample-${i + 1}`,
      imageUrl: SAMPLE_IMAGE,
      price: 20 + 5 * i,
    }));
    return { products, count: products.length };
  },
  // Mapped response fields may be anything JSON; a visible `<field>` reads better than an empty value.
  webhook(_raw, fields) {
    return Object.fromEntries(fields.map((f) => [f.key, f.key === 'httpStatus' ? 200 : `<${f.key}>`]));
  },
};

/**
 * Sample outputs of every step output that reaches a message (`steps` of `POST /v1/preview`), by
 * step name; the first producer of a name wins (names are unique per journey once it compiles).
 */
export function sampleStepOutputs(
  outputs: readonly AvailableOutput[],
  producerOf: (nodeId: string) => SampleProducer | undefined,
  now: Date,
): Record<string, JsonObject> {
  const steps: Record<string, JsonObject> = {};
  for (const o of outputs) {
    if (Object.hasOwn(steps, o.name)) continue;
    const producer = producerOf(o.nodeId);
    const sampler = producer ? SAMPLERS[producer.kind as NodeKind] : undefined;
    const known = sampler ? sampler(producer?.config ?? {}, o.fields, now) : {};
    const sample: JsonObject = { ...known };
    for (const f of o.fields) if (!Object.hasOwn(sample, f.key)) sample[f.key] = sampleByKind(f, now);
    steps[o.name] = sample;
  }
  return steps;
}

const shown = (v: Json): string | null =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/**
 * The one-line note under a preview that used samples: the first plain value of each step
 * (`steps.discount.code = SAMPLE-CODE`), null when no step output was sampled.
 */
export function sampleNote(steps: Record<string, JsonObject>, max = 3): string | null {
  const names = Object.keys(steps);
  if (names.length === 0) return null;
  const parts = names.slice(0, max).map((name) => {
    const entry = Object.entries(steps[name] ?? {}).find(([, v]) => shown(v) !== null);
    return entry ? `steps.${name}.${entry[0]} = ${shown(entry[1])}` : `steps.${name}`;
  });
  const more = names.length > max ? `, and ${names.length - max} more` : '';
  return `Step outputs are samples: ${parts.join(', ')}${more}`;
}
