import { KIND_OP_LIST } from '@hourglass/journey';
import type { FieldGroup, PickerField, RuleScope } from './picker-types';

// Step outputs in the rule editor's "what" picker: each output that reaches the rule is a group
// (`steps.<name>`) whose fields carry the kind of their output schema, so operators and value inputs
// fit the same way they do for catalog fields.

/** One group per step output of the scope: `steps.<name>`, its fields typed by the output schema. */
export function outputGroups(scope: RuleScope | undefined): FieldGroup[] {
  const byName = new Map<string, FieldGroup & { fields: PickerField[] }>();
  for (const o of scope?.outputs ?? []) {
    if (byName.has(o.name)) continue;
    // Not produced on every path here: only "is set" works without a guard (journey compile agrees).
    const maybe = !o.guaranteed && !scope?.outputsOptional ? ' · may be missing' : '';
    byName.set(o.name, {
      id: `steps.${o.name}`,
      label: `Step ${o.name}${o.label && o.label !== o.name ? ` (${o.label})` : ''}${maybe}`,
      root: 'steps',
      fields: o.fields.map((f) => ({
        path: `steps.${o.name}.${f.key}`,
        root: 'steps',
        kind: f.kind,
        label: f.key,
        description: f.description,
        ops: KIND_OP_LIST[f.kind],
      })),
    });
  }
  return [...byName.values()].filter((g) => g.fields.length > 0);
}
