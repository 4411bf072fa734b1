import {
  type Condition,
  FIELD_CATALOG,
  type FieldKind,
  type FieldRoot,
  type FieldSpec,
  fieldKind,
  fieldPath,
  fieldSpec,
  outputRefProblem,
  RULE_ROOTS,
  RuleOp,
  ruleIssues,
} from '@hourglass/journey';
import {
  MESSAGES_GROUP,
  messageField,
  messageGroups,
  messageProblem,
  messageSpec,
  splitMessageField,
} from './message-fields';
import { outputGroups } from './output-fields';
import type { FieldGroup, PickerField, RuleScope } from './picker-types';

export type { FieldGroup, PickerField, RuleScope } from './picker-types';

// The rule editor's view of the field catalog (@hourglass/journey): which fields the "what" picker offers
// where a rule is edited, in which groups, with which operators and value inputs. Fields, their labels,
// types, operators and allowed values all come from the catalog; only the wording of groups and
// operators lives here. Outputs of earlier steps (`steps.<name>.<field>`) are offered next to the
// catalog where the scope carries them, typed by their output schema.

/** Segments are answered by SQL over the customer table: customer fields, event counts, other segments. */
export const SEGMENT_SCOPE: RuleScope = { roots: ['customer'], performed: true, segments: true };

/** A rule field that declares no scope gets what journey compile accepts by default. */
export const DEFAULT_SCOPE: RuleScope = { roots: ['customer', 'order', 'trigger'] };

const GROUP_WORDS: Record<string, string> = {
  customer: 'Profile',
  'customer.stats': 'Order stats',
  'customer.tags': 'Tag',
  order: 'Order',
  trigger: 'Trigger event',
  event: 'Event',
};

/** What the key below a free-form prefix is called ("attribute name", "Name the attribute"). */
const KEY_WORDS: Record<string, { word: string; hint: string }> = {
  'customer.attributes': { word: 'attribute', hint: 'attribute, e.g. points' },
  'customer.consent': { word: 'channel', hint: 'email or sms' },
  'order.items': { word: 'item field', hint: 'e.g. [0].sku' },
  'trigger.properties': { word: 'property', hint: 'property, e.g. rating' },
  'event.properties': { word: 'property', hint: 'property, e.g. rating' },
};

const lastWord = (path: string) => {
  const w = path.slice(path.lastIndexOf('.') + 1).replace(/([a-z])([A-Z])/g, '$1 $2');
  return w.charAt(0).toUpperCase() + w.slice(1);
};

// A free-form prefix and a list of tags are picked on their own; other fields group by their parent.
const groupIdOf = (s: FieldSpec) =>
  s.freeForm || s.kind === 'tags' ? s.path : s.path.slice(0, s.path.lastIndexOf('.'));

type CatalogGroup = FieldGroup & { root: FieldRoot; fields: FieldSpec[] };

function buildGroups(): { groups: readonly FieldGroup[]; bySpec: ReadonlyMap<PickerField, FieldGroup> } {
  const byId = new Map<string, CatalogGroup>();
  for (const s of FIELD_CATALOG) {
    const id = groupIdOf(s);
    let g = byId.get(id);
    if (!g) {
      const label = GROUP_WORDS[id] ?? (s.freeForm || s.kind === 'tags' ? s.label : lastWord(id));
      g = { id, label, root: s.root, fields: [], ...(s.freeForm ? { freeForm: s } : {}) };
      byId.set(id, g);
    }
    g.fields.push(s);
  }
  // By root (customer first), typed groups before free-form ones, otherwise in catalog order.
  const rank = (g: CatalogGroup) => RULE_ROOTS.indexOf(g.root) * 2 + (g.freeForm ? 1 : 0);
  const groups = [...byId.values()].sort((a, b) => rank(a) - rank(b));
  const bySpec = new Map<PickerField, FieldGroup>(
    groups.flatMap((g) => g.fields.map((f) => [f, g] as const)),
  );
  return { groups, bySpec };
}

const { groups: ALL_GROUPS, bySpec: GROUP_OF_SPEC } = buildGroups();

/** Every group of the catalog. */
export const FIELD_GROUPS: readonly FieldGroup[] = ALL_GROUPS;

/** The groups a scope offers: the catalog's for its roots, the step outputs that reach it, messages. */
export const groupsFor = (scope: RuleScope): FieldGroup[] => [
  ...FIELD_GROUPS.filter((g) => (scope.roots as readonly string[]).includes(g.root)),
  ...outputGroups(scope),
  ...messageGroups(scope),
];

/** A field as the picker knows it: from the catalog, or from a step output of the scope. */
export function specOf(field: string, scope?: RuleScope): PickerField | undefined {
  return (
    fieldSpec(field) ??
    messageSpec(field) ??
    outputGroups(scope)
      .flatMap((g) => g.fields)
      .find((f) => f.path === field)
  );
}

/** The group a field belongs to; undefined for a field neither the catalog nor the scope knows. */
export function groupOf(field: string, scope?: RuleScope): FieldGroup | undefined {
  const spec = fieldSpec(field);
  if (spec) return GROUP_OF_SPEC.get(spec);
  // Whatever step it names (none yet, or one since deleted): the group's step picker shows it.
  if (splitMessageField(field)) return messageGroups(scope)[0];
  return outputGroups(scope).find((g) => g.fields.some((f) => f.path === field));
}

/** The key below a free-form prefix: `points` of `customer.attributes.points`, `[0].sku` of `order.items[0].sku`. */
export const keyOf = (field: string, prefix: string) => field.slice(prefix.length).replace(/^\./, '');

/** The field for a key below a free-form prefix (an empty key keeps the trailing dot: "not named yet"). */
export const withKey = (prefix: string, key: string) =>
  key.startsWith('[') ? prefix + key : `${prefix}.${key}`;

/** How the key of a free-form prefix is called, and a hint for its input. */
export const keyWords = (spec: PickerField) =>
  KEY_WORDS[spec.path] ?? { word: spec.label.toLowerCase(), hint: spec.label.toLowerCase() };

/** The value type of a field; `any` for fields neither the catalog nor the scope knows. */
export const kindOf = (field: string, scope?: RuleScope): FieldKind => specOf(field, scope)?.kind ?? 'any';

// Wording of the operators, per kind; the order here is the order they are offered in.
const OP_WORDS: Record<FieldKind, Partial<Record<RuleOp, string>>> = {
  text: { eq: 'is', neq: 'is not', contains: 'contains', in: 'is one of', exists: 'is set' },
  number: {
    gt: 'is more than',
    gte: 'is at least',
    lt: 'is less than',
    lte: 'is at most',
    eq: 'equals',
    neq: 'does not equal',
    in: 'is one of',
    exists: 'is set',
  },
  date: {
    gte: 'is on or after',
    lt: 'is before',
    gt: 'is after',
    lte: 'is on or before',
    eq: 'is on',
    neq: 'is not on',
    in: 'is one of',
    exists: 'is set',
  },
  tags: {
    contains: 'has tag',
    in: 'has any of the tags',
    eq: 'are exactly',
    neq: 'are not exactly',
    exists: 'is set',
  },
  any: {
    eq: 'is',
    neq: 'is not',
    gt: 'is more than',
    gte: 'is at least',
    lt: 'is less than',
    lte: 'is at most',
    contains: 'contains',
    in: 'is one of',
    exists: 'is set',
    is_true: 'is true',
    is_false: 'is false',
  },
};
const FALLBACK_WORDS: Partial<Record<RuleOp, string>> = {
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  ...OP_WORDS.any,
};

/** An operator a field takes, with its wording. */
export interface OpChoice {
  op: RuleOp;
  label: string;
}

/** The operators of a field (from the catalog or its output's type; every operator for an unknown one). */
export function opsFor(field: string, scope?: RuleScope): OpChoice[] {
  const spec = specOf(field, scope);
  const kind = spec?.kind ?? 'any';
  const allowed: readonly RuleOp[] = spec?.ops ?? RuleOp.options;
  const words = OP_WORDS[kind];
  const ordered = [
    ...(Object.keys(words) as RuleOp[]).filter((o) => allowed.includes(o)),
    ...allowed.filter((o) => !(o in words)),
  ];
  return ordered.map((op) => ({ op, label: words[op] ?? FALLBACK_WORDS[op] ?? op.replaceAll('_', ' ') }));
}

/** The wording of an operator on a field ("is at least"). */
export const opLabel = (field: string, op: RuleOp, scope?: RuleScope) =>
  opsFor(field, scope).find((o) => o.op === op)?.label ?? FALLBACK_WORDS[op] ?? op.replaceAll('_', ' ');

/** Operators that take no value. */
export const NO_VALUE: ReadonlySet<RuleOp> = new Set(['exists', 'is_true', 'is_false']);

/** Whether an operator on a field of this kind takes a list (`in`; tags compared whole). */
export const takesList = (kind: FieldKind, op: RuleOp) =>
  op === 'in' || (kind === 'tags' && (op === 'eq' || op === 'neq'));

/** A fresh condition for a picker group: its first field, first operator and an empty value. */
export function newCondition(groupId: string, scope?: RuleScope): Condition {
  // The step is the marketer's to choose ("Choose a message step"); "was clicked" is the usual question.
  if (groupId === MESSAGES_GROUP) return { field: messageField('', 'clicked'), op: 'is_true' };
  const group =
    FIELD_GROUPS.find((g) => g.id === groupId) ??
    outputGroups(scope).find((g) => g.id === groupId) ??
    FIELD_GROUPS[0]!;
  if (group.freeForm) return { field: withKey(group.freeForm.path, ''), op: 'eq', value: '' };
  return conditionFor(group.fields[0]!.path, undefined, scope);
}

/** A condition on `field` keeping what still fits of the previous one (operator and value of the same kind). */
export function conditionFor(field: string, prev?: Condition, scope?: RuleScope): Condition {
  const kind = kindOf(field, scope);
  const ops = opsFor(field, scope);
  const sameKind = prev !== undefined && kindOf(prev.field, scope) === kind;
  const op = sameKind && ops.some((o) => o.op === prev.op) ? prev.op : ops[0]!.op;
  if (NO_VALUE.has(op)) return { field, op };
  if (!sameKind || prev.value === undefined) {
    return { field, op, value: takesList(kind, op) ? [] : kind === 'number' ? 0 : '' };
  }
  // A list operator takes the value as its first item; a single-value operator the list's first item.
  const v = prev.value;
  const list = takesList(kind, op);
  if (list && !Array.isArray(v)) return { field, op, value: v === '' || v === null ? [] : [v] };
  if (!list && Array.isArray(v)) return { field, op, value: v[0] ?? '' };
  return { field, op, value: v };
}

/** Parses what was typed into the value box, by the field's kind. */
export function parseValue(text: string, kind: FieldKind, op: RuleOp): Condition['value'] {
  if (takesList(kind, op)) {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseScalar(s, kind));
  }
  return parseScalar(text, kind);
}

function parseScalar(text: string, kind: FieldKind): string | number | boolean {
  if (kind === 'number') return text.trim() === '' ? '' : Number(text);
  if (kind === 'any') {
    const t = text.trim();
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
  }
  return text;
}

/** The value as shown in its input. */
export const showValue = (v: unknown) =>
  Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : String(v);

/**
 * What is wrong with a condition, in the editor's words first (a missing key or value, a number or
 * date that does not read as one), then as the server's rule check would say it (a field outside the
 * scope or the catalog, an operator the field does not take, a value of the wrong type). Null = fine.
 */
export function conditionProblem(c: Condition, scope: RuleScope = DEFAULT_SCOPE): string | null {
  const spec = specOf(c.field, scope);
  if (spec?.freeForm && keyOf(c.field, spec.path) === '' && !fieldKind(c.field))
    return `Name the ${keyWords(spec).word}`;
  if (!NO_VALUE.has(c.op)) {
    const kind = spec?.kind ?? 'any';
    const v = c.value;
    if (takesList(kind, c.op)) {
      if (!Array.isArray(v) || v.length === 0) return 'List at least one value';
    } else if (v === undefined || v === '') return 'Enter a value';
    else if (kind === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) return 'Enter a number';
    else if (kind === 'date' && !(typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)))
      return 'Pick a date';
  }
  const path = fieldPath(c.field);
  if (path[0] === MESSAGES_GROUP && scope.messages) {
    const problem = messageProblem(c.field, scope);
    if (problem) return problem;
    return ruleIssues(c, [...scope.roots, MESSAGES_GROUP], (f) => messageSpec(f)?.kind)[0]?.message ?? null;
  }
  if (path[0] === 'steps' && scope.outputs) {
    // Same words as journey compile: a step that does not come first, a field it lacks, a maybe.
    const optional = c.op === 'exists' || !!scope.outputsOptional;
    const problem = outputRefProblem(scope.outputs, path, optional);
    if (problem) return problem.message;
    return ruleIssues(c, [...scope.roots, 'steps'], (f) => specOf(f, scope)?.kind)[0]?.message ?? null;
  }
  return ruleIssues(c, scope.roots)[0]?.message ?? null;
}
