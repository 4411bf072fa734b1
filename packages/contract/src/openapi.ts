import {
  Condition,
  FIELD_CATALOG,
  Graph,
  GraphEdge,
  GraphNode,
  isRuleField,
  JourneyFile,
  Json,
  MAX_EXPANDED_CONDITIONS,
  Rule,
} from '@hourglass/journey';
import { z } from 'zod';
import { $ZodRegistry, type $ZodType, type GlobalMeta, globalRegistry } from 'zod/v4/core';
import { JourneyImportBody } from './journeys';
import { DocumentedJourneyFile, JOURNEY_NODE_KINDS, JourneyGraph, JourneyNode } from './nodes';

// What the OpenAPI document (/docs/json) says beyond the route schemas themselves: names for shared
// schemas (so the rule language and the node kinds are described once, under components), the rule
// syntax, the field catalog, and the node format by kind. Kept in a registry of its own rather than
// zod's global one: the journey model's schemas are also turned into JSON Schema elsewhere (the web
// app's config forms), and those must not change because the API documents them.

/** A metadata registry that reads zod's global one (`.describe()` texts) under its own entries. */
class DocsRegistry extends $ZodRegistry<GlobalMeta> {
  override get<S extends $ZodType>(schema: S): GlobalMeta | undefined {
    const own = super.get(schema);
    const shared = globalRegistry.get(schema);
    return own || shared ? { ...shared, ...own } : undefined;
  }
}

/** Metadata of the API's schemas for the OpenAPI document: component ids and descriptions. */
export const apiDocs = new DocsRegistry();

const code = (s: string) => `\`${s}\``;
const freeForm = FIELD_CATALOG.filter((f) => f.freeForm);
const escapeRegex = (s: string) => s.replace(/[.[\]]/g, (c) => `\\${c}`);

const catalogTable = [
  '| field | type | operators | meaning |',
  '| --- | --- | --- | --- |',
  ...FIELD_CATALOG.map(
    (f) =>
      `| ${code(f.freeForm ? `${f.path}.*` : f.path)} | ${f.kind} | ${f.ops.join(', ')} | ${f.label}: ${f.description}${f.values ? ` Values: ${f.values.join(', ')}.` : ''} |`,
  ),
].join('\n');

const RULE_DOC = `A condition tree, written as JSON. A rule is one of:

- ${code('{"all": [rule, …]}')}: every rule matches (${code('{"all": []}')} is true)
- ${code('{"any": [rule, …]}')}: at least one matches (${code('{"any": []}')} is false)
- ${code('{"not": rule}')}: the rule does not match
- ${code('{"segment": "<segment id>"}')}: the customer is in the segment
- ${code('{"performed": {"eventType": "order.placed", "atLeast": 2, "withinDays": 90}}')}: the customer's event history (segments, branches and trigger entry rules only; ${code('"withinDays": null')} = ever)
- a condition ${code('{"field": "<path>", "op": "<operator>", "value": …}')} (see RuleField and RuleOperator)

Paths start with ${code('customer.')}, ${code('order.')} (the run's order), ${code('trigger.')} (the event that started the run) or, in wait-for-event filters, exits and goals, ${code('event.')} (the event being matched). Up to 200 rules per all/any, and ${MAX_EXPANDED_CONDITIONS.toLocaleString('en')} conditions once segment references are expanded. Example: ${code('{"all": [{"field": "customer.stats.ordersCount", "op": "eq", "value": 1}, {"field": "order.total", "op": "gt", "value": 100}]}')}.`;

const OPS_DOC = `${code('eq')} / ${code('neq')}: equal / not equal (null = empty). ${code('gt')}, ${code('gte')}, ${code('lt')}, ${code('lte')}: numbers, ISO dates (${code('2024-05-01')}, ${code('2024-05-01T10:00:00Z')}) or text. ${code('contains')}: text contains, or a list (tags, items) holds the value. ${code('in')}: the value is a list and the field equals one of its items. ${code('exists')}, ${code('is_true')}, ${code('is_false')}: take no value. Which operators a field takes is listed per field in RuleField.`;

apiDocs.add(Graph, { id: 'JourneyGraph' });
apiDocs.add(GraphNode, { id: 'JourneyNode' });
apiDocs.add(GraphEdge, {
  id: 'JourneyEdge',
  description:
    "An arrow from node `source` to node `target`, leaving `source` through one of its output ports (`sourceHandle`; see each node kind's ports).",
});
apiDocs.add(GraphEdge.shape.sourceHandle, {
  description: "The source node's output port id; null or left out = the node's only port",
});
apiDocs.add(Rule, { id: 'Rule', description: RULE_DOC });
apiDocs.add(Json, { id: 'JsonValue', description: 'Any JSON value.' });
apiDocs.add(Condition.shape.op, { id: 'RuleOperator', description: OPS_DOC });
apiDocs.add(Condition.shape.field, {
  id: 'RuleField',
  description: `A field of the catalog below, or a key under one of its free-form objects (${freeForm.map((f) => code(f.path)).join(', ')}: ${code('customer.attributes.tier')}, list items by index: ${code('order.items[0].sku')}). Unknown fields are refused.\n\n${catalogTable}`,
  anyOf: [
    { enum: FIELD_CATALOG.filter((f) => isRuleField(f.path)).map((f) => f.path) },
    { pattern: `^(${freeForm.map((f) => escapeRegex(f.path)).join('|')})[.[]` },
  ],
  'x-field-catalog': FIELD_CATALOG.map(({ path, root, kind, label, description, ops, freeForm, values }) => ({
    path,
    root,
    kind,
    label,
    description,
    ops,
    ...(freeForm ? { freeForm } : {}),
    ...(values ? { values } : {}),
  })),
});
apiDocs.add(JourneyImportBody, { id: 'JourneyFile' });
apiDocs.add(JourneyFile, { id: 'JourneyFile', description: 'A journey as a portable JSON file.' });
apiDocs.add(JourneyGraph, {
  description:
    'A journey as drawn: exactly one trigger node, every other node reachable from it, loops only through a delay or a wait.',
});
apiDocs.add(JourneyNode, {
  description:
    'A node of the journey graph; `type` names its kind. Drafts are saved as drawn: a node that does not fit its kind yet is accepted, and validate / publish report it as diagnostics.',
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(
      JOURNEY_NODE_KINDS.map((k) => [k.kind, `#/components/schemas/${k.names.node}`]),
    ),
  },
});
for (const k of JOURNEY_NODE_KINDS) {
  apiDocs.add(k.config, { description: `Settings of a ${code(k.kind)} node (data.config).` });
}

/**
 * Schemas the document describes under `components`, by name. Where the API accepts more than the
 * documented format (drafts: `JourneyNode`; imports, checked by the importer: `JourneyFile`), the
 * component shows the format and the route's runtime schema only points to it.
 */
function documentedSchemas(): Map<string, $ZodType> {
  const out = new Map<string, $ZodType>([
    ['JourneyGraph', JourneyGraph],
    ['JourneyNode', JourneyNode],
    ['JourneyEdge', GraphEdge],
    ['JourneyFile', DocumentedJourneyFile],
    ['Rule', Rule],
    ['RuleField', Condition.shape.field],
    ['RuleOperator', Condition.shape.op],
    ['JsonValue', Json],
  ]);
  for (const k of JOURNEY_NODE_KINDS) {
    out.set(k.names.node, k.node);
    out.set(k.names.config, k.config);
  }
  return out;
}

/** JSON Schemas of the document's components (input side: what the API accepts, defaults optional). */
export function apiComponentSchemas(): Record<string, Record<string, unknown>> {
  const named = z.registry<{ id: string }>();
  for (const [id, schema] of documentedSchemas()) named.add(schema, { id });
  const { schemas } = z.toJSONSchema(named, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: apiDocs,
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Record<string, unknown>> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // `$id` would make each component a document of its own; they are parts of this one.
    const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
    out[id] = rest;
  }
  return out;
}
