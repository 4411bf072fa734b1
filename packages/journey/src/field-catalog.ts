import { fieldPath, RuleOp } from './rule';

// The one catalog of what a rule can look at: every field's path, type, words for people and the
// operators it takes. Rule checks, in-memory evaluation, segment SQL (packages/db) and the web rule
// editor all read it, so a field exists everywhere or nowhere. The subjects these paths read are
// described in ./subjects.ts; packages/db maps rows onto them.

/** How a field's values are typed and compared. `any` = free-form JSON (attributes, event properties). */
export type FieldKind = 'text' | 'number' | 'date' | 'tags' | 'any';

/** Where a path starts: the customer, the run's order, the event that started the run, the latest event. */
export type FieldRoot = 'customer' | 'order' | 'trigger' | 'event';

/** One entry of the catalog. */
export interface FieldSpec {
  path: string;
  root: FieldRoot;
  kind: FieldKind;
  label: string;
  description: string;
  ops: readonly RuleOp[];
  /** A prefix under which any key is allowed (attributes, properties, consent, items). */
  freeForm?: boolean;
  /** For enumerations, e.g. consent states. */
  values?: readonly string[];
}

/** Operators that mean something for each kind (others are always false, or disagree between engines). */
export const KIND_OP_LIST: Readonly<Record<FieldKind, readonly RuleOp[]>> = {
  text: ['eq', 'neq', 'contains', 'in', 'exists', 'gt', 'gte', 'lt', 'lte'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'],
  tags: ['contains', 'in', 'exists', 'eq', 'neq'],
  any: RuleOp.options,
};

/** Channel consent states (`customer.consent.email`, `customer.consent.sms`). */
export const CONSENT_STATES = ['subscribed', 'unsubscribed', 'unknown'] as const;

type Def = { key: string; kind: FieldKind; label: string; description: string };

const CUSTOMER = [
  { key: 'id', kind: 'text', label: 'Customer id', description: "Hourglass's id of the customer." },
  { key: 'externalId', kind: 'text', label: 'External id', description: "The shop's own customer id." },
  { key: 'email', kind: 'text', label: 'Email', description: 'Email address.' },
  { key: 'phone', kind: 'text', label: 'Phone', description: 'Phone number (E.164).' },
  { key: 'firstName', kind: 'text', label: 'First name', description: 'First name.' },
  { key: 'lastName', kind: 'text', label: 'Last name', description: 'Last name.' },
  { key: 'timezone', kind: 'text', label: 'Time zone', description: 'IANA time zone, e.g. Europe/Paris.' },
  {
    key: 'timeZone',
    kind: 'text',
    label: 'Time zone (template spelling)',
    description: 'Same value as customer.timezone; the spelling templates use.',
  },
  { key: 'locale', kind: 'text', label: 'Locale', description: 'BCP 47 language tag, e.g. fr-FR.' },
  { key: 'birthday', kind: 'date', label: 'Birthday', description: 'Date of birth (YYYY-MM-DD).' },
  { key: 'tags', kind: 'tags', label: 'Tags', description: 'Tags the shop gave the customer.' },
  {
    key: 'createdAt',
    kind: 'date',
    label: 'Customer since',
    description: 'When the customer was first seen.',
  },
  {
    key: 'stats.ordersCount',
    kind: 'number',
    label: 'Number of orders',
    description: 'Orders placed, cancelled and refunded ones excluded.',
  },
  {
    key: 'stats.totalSpent',
    kind: 'number',
    label: 'Total spent',
    description: 'Sum of order totals, cancelled and refunded ones excluded.',
  },
  {
    key: 'stats.aov',
    kind: 'number',
    label: 'Average order value',
    description: 'Total spent divided by the number of orders.',
  },
  {
    key: 'stats.firstOrderAt',
    kind: 'date',
    label: 'First order date',
    description: 'When the first order was placed.',
  },
  {
    key: 'stats.lastOrderAt',
    kind: 'date',
    label: 'Last order date',
    description: 'When the latest order was placed.',
  },
] as const satisfies readonly Def[];

const ORDER = [
  { key: 'id', kind: 'text', label: 'Order id', description: "Hourglass's id of the order." },
  { key: 'externalId', kind: 'text', label: 'External order id', description: "The shop's own order id." },
  {
    key: 'number',
    kind: 'text',
    label: 'Order number',
    description: "The shop's order number (same as its external id).",
  },
  { key: 'total', kind: 'number', label: 'Order total', description: 'Amount of the order.' },
  { key: 'currency', kind: 'text', label: 'Currency', description: 'ISO 4217 code, e.g. EUR.' },
  {
    key: 'status',
    kind: 'text',
    label: 'Order status',
    description: 'placed, fulfilled, delivered, cancelled or refunded.',
  },
  { key: 'placedAt', kind: 'date', label: 'Placed at', description: 'When the order was placed.' },
  { key: 'fulfilledAt', kind: 'date', label: 'Fulfilled at', description: 'When the order was shipped.' },
  { key: 'deliveredAt', kind: 'date', label: 'Delivered at', description: 'When the order arrived.' },
  { key: 'refundedAt', kind: 'date', label: 'Refunded at', description: 'When the order was refunded.' },
  {
    key: 'discountCodes',
    kind: 'tags',
    label: 'Discount codes',
    description: 'Codes the shopper used on the order (as the shop sent them).',
  },
] as const satisfies readonly Def[];

const EVENT = [
  { key: 'id', kind: 'text', label: 'Event id', description: "The shop's id of the event." },
  { key: 'type', kind: 'text', label: 'Event type', description: 'Dotted event name, e.g. order.placed.' },
  { key: 'occurredAt', kind: 'date', label: 'Occurred at', description: 'When it happened.' },
  { key: 'orderId', kind: 'text', label: 'Order id', description: "Hourglass's id of the order it names." },
] as const satisfies readonly Def[];

type FreeFormDef = { path: string; label: string; description: string; values?: readonly string[] };

// Free-form objects: the customer's or the shop's own keys below the prefix, typed `any`.
const FREE_FORM = [
  {
    path: 'customer.attributes',
    label: 'Attribute',
    description: 'Free-form data the shop sent about the customer: customer.attributes.<key>.',
  },
  {
    path: 'customer.consent',
    label: 'Consent',
    description: 'Marketing consent by channel: customer.consent.email, customer.consent.sms.',
    values: CONSENT_STATES,
  },
  {
    path: 'order.items',
    label: 'Items',
    description: 'Line items (sku, productId, name, quantity, price, …): order.items[0].sku.',
  },
  {
    path: 'trigger.properties',
    label: 'Trigger property',
    description: 'Free-form data of the event that started the run: trigger.properties.<key>.',
  },
  {
    path: 'event.properties',
    label: 'Event property',
    description: 'Free-form data of the event being matched: event.properties.<key>.',
  },
] as const satisfies readonly FreeFormDef[];

type Keys<T extends readonly Def[]> = T[number]['key'];

/** Every typed (not free-form) path, as a type: segment SQL keys its columns by these. */
export type TypedFieldPath =
  | `customer.${Keys<typeof CUSTOMER>}`
  | `order.${Keys<typeof ORDER>}`
  | `trigger.${Keys<typeof EVENT>}`
  | `event.${Keys<typeof EVENT>}`;

/** Typed paths on the customer (the ones segment SQL answers from the customers table). */
export type CustomerFieldPath = Extract<TypedFieldPath, `customer.${string}`>;

/** Free-form prefixes, as a type. */
export type FreeFormPath = (typeof FREE_FORM)[number]['path'];

/**
 * Free-form prefixes that are a field by themselves too: `order.items` is a list a rule can test whole
 * (`exists`, `contains`); `customer.attributes` alone is not a field.
 */
const WHOLE_FIELD_PREFIXES: ReadonlySet<string> = new Set<FreeFormPath>(['order.items']);

const typed = (root: FieldRoot, defs: readonly Def[]): FieldSpec[] =>
  defs.map((d) => ({
    path: `${root}.${d.key}`,
    root,
    kind: d.kind,
    label: d.label,
    description: d.description,
    ops: KIND_OP_LIST[d.kind],
  }));

const rootOf = (path: string) => path.slice(0, path.indexOf('.')) as FieldRoot;

/** The catalog: typed fields of every root, then the free-form prefixes. */
export const FIELD_CATALOG: readonly FieldSpec[] = Object.freeze([
  ...typed('customer', CUSTOMER),
  ...typed('order', ORDER),
  ...typed('trigger', EVENT).map((s) => ({
    ...s,
    description: `Of the event that started the run. ${s.description}`,
  })),
  ...typed('event', EVENT).map((s) => ({
    ...s,
    description: `Of the event being matched. ${s.description}`,
  })),
  ...FREE_FORM.map(
    (f): FieldSpec => ({
      path: f.path,
      root: rootOf(f.path),
      kind: 'any',
      label: f.label,
      description: f.description,
      ops: KIND_OP_LIST.any,
      freeForm: true,
      ...('values' in f ? { values: f.values } : {}),
    }),
  ),
]);

// Own-key Maps: a path is never looked up on what a plain object inherits (`constructor`).
const BY_PATH: ReadonlyMap<string, FieldSpec> = new Map(FIELD_CATALOG.map((s) => [s.path, s]));

/** Path segments that name JavaScript object machinery, never data: refused even in free-form paths. */
export const UNSAFE_PATH_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The catalog entry of a path: its own entry, or for a key under a free-form prefix
 * (`customer.attributes.tier`, `order.items[0].sku`) the prefix's entry. Undefined for unknown paths and
 * for paths naming object machinery (`__proto__`).
 */
export function fieldSpec(path: string): FieldSpec | undefined {
  const parts = fieldPath(path);
  if (parts.some((s) => UNSAFE_PATH_SEGMENTS.has(s))) return undefined;
  const own = BY_PATH.get(parts.join('.'));
  if (own) return own;
  for (let i = parts.length - 1; i >= 2; i--) {
    const prefix = BY_PATH.get(parts.slice(0, i).join('.'));
    if (prefix?.freeForm) return prefix;
  }
  return undefined;
}

/** Whether `path` is a field a rule may name: a typed path, or a key below a free-form prefix. */
export function isRuleField(path: string): boolean {
  const spec = fieldSpec(path);
  if (!spec) return false;
  return !spec.freeForm || fieldPath(path).join('.') !== spec.path || WHOLE_FIELD_PREFIXES.has(spec.path);
}
