import type { AvailableOutput, FieldRoot, FieldSpec } from '@hourglass/journey';
import type { RuleScope as NodeRuleScope } from '@hourglass/nodes';

// The shapes the rule editor's field picker works with (see ./fields and ./output-fields).

/** What a rule may look at where it is edited (a segment, a branch, a trigger filter…). */
export interface RuleScope extends NodeRuleScope {
  /** Outputs of earlier steps the rule may read; none when absent. */
  outputs?: readonly AvailableOutput[] | undefined;
  /** A missing output only makes its condition false (exits and goals), so none needs guarding. */
  outputsOptional?: boolean | undefined;
}

/** A field the picker offers: a catalog field, or a field of a step output (root `steps`). */
export type PickerField = Omit<FieldSpec, 'root'> & { root: FieldRoot | 'steps' };

/** A choice of the "what" picker: typed catalog fields that belong together, or one free-form prefix. */
export interface FieldGroup {
  id: string;
  label: string;
  root: FieldRoot | 'steps';
  fields: readonly PickerField[];
  /** Set for a free-form prefix (`customer.attributes`): the condition names its own key below it. */
  freeForm?: FieldSpec;
}
