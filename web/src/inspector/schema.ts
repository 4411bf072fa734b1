import { getField } from '@hourglass/journey';
import type { FieldUi } from '@hourglass/nodes';
import { z } from 'zod';

/** The JSON Schema subset zod emits for node configs. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

const cache = new WeakMap<z.ZodType, JsonSchema>();

/** JSON Schema of a node config (input side, so defaults are optional), cached per schema. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let out = cache.get(schema);
  if (!out) {
    out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cache.set(schema, out);
  }
  return out;
}

/** A schema that is `X | null`: returns X. */
export function nullableInner(s: JsonSchema): JsonSchema | null {
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length !== 2) return null;
  const nonNull = alts.filter((a) => a.type !== 'null');
  return nonNull.length === 1 && nonNull[0] ? { ...nonNull[0], description: s.description } : null;
}

/** The field UI override for a dotted path; array indices match `*` (`cases.*.when`). */
export function fieldUi(fields: Record<string, FieldUi> | undefined, path: string): FieldUi {
  if (!fields) return {};
  return fields[path] ?? fields[path.replace(/\.\d+(?=\.|$)/g, '.*')] ?? {};
}

/** Whether a field's `showWhen` matches the current config. */
export function isShown(ui: FieldUi, root: unknown): boolean {
  if (!ui.showWhen) return true;
  return Object.entries(ui.showWhen).every(([path, values]) =>
    (values as readonly unknown[]).includes(getField(root, path) as never),
  );
}

/** Default value of a schema: its `default`, else an object of its properties' defaults. */
export function defaultOf(s: JsonSchema, index = 0): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.const !== undefined) return s.const;
  if (s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(s.properties)) {
      if (k === 'id' && p.type === 'string') out[k] = `path_${index + 1}`;
      else {
        const v = defaultOf(p, index);
        if (v !== undefined) out[k] = v;
      }
    }
    return out;
  }
  if (s.type === 'array') return [];
  if (s.type === 'string') return '';
  if (s.type === 'boolean') return false;
  if (s.type === 'number' || s.type === 'integer') return s.minimum && s.minimum > 0 ? s.minimum : 0;
  if (s.oneOf?.[0]) return defaultOf(s.oneOf[0], index);
  return undefined;
}

/**
 * A config with each missing field that has a default filled in, as the node's parser reads it: the
 * canvas summarises parsed configs, so a template that leaves `hour` out shows "at 10:00" and the form
 * must show 10 too, not an empty field.
 */
export function withDefaults(s: JsonSchema, value: unknown): unknown {
  if (value === undefined) return s.default === undefined ? undefined : structuredClone(s.default);
  if (Array.isArray(value)) return s.items ? value.map((v) => withDefaults(s.items!, v)) : value;
  if (!s.properties || !value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [k, p] of Object.entries(s.properties)) {
    const v = withDefaults(p, out[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Immutable set of a dotted path. */
export function setAt(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(head)] = setAt(copy[Number(head)], rest, value);
    return copy;
  }
  const obj = root && typeof root === 'object' ? (root as Record<string, unknown>) : {};
  const next = { ...obj };
  if (value === undefined && rest.length === 0) delete next[head];
  else next[head] = setAt(obj[head], rest, value);
  return next;
}

/** "once_per_order" → "Once per order", "fromEmail" → "From email". */
export function humanize(key: string): string {
  const s = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]/g, ' ')
    .toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Zod issues of a config as `path → message`. */
export function issuesOf(schema: z.ZodType, config: unknown): Record<string, string> {
  const r = schema.safeParse(config);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const i of r.error.issues) out[i.path.join('.')] ??= i.message;
  return out;
}
