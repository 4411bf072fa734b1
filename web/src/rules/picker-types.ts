import type { AvailableOutput, FieldRoot, FieldSpec } from '@hourglass/journey';
import type { RuleScope as NodeRuleScope } from '@hourglass/nodes';

// The shapes the rule editor's field picker works with (see ./fields and ./output-fields).

/** The aria attributes that tie a condition's inputs to its row's problem. */
export type Invalid = { 'aria-invalid': boolean; 'aria-describedby': string | undefined };

/** What a rule may look at where it is edited (a segment, a branch, a trigger filter…). */
export interface RuleScope extends NodeRuleScope {
  /** Outputs of earlier steps the rule may read; none when absent. */
  outputs?: readonly AvailableOutput[] | undefined;
  /** A missing output only makes its condition false (exits and goals), so none needs guarding. */
  outputsOptional?: boolean | undefined;
  /** The journey's message-sending steps, for `messages.<step>.*` conditions (where `messages` is set). */
  messageSteps?: readonly MessageStepChoice[] | undefined;
}

/** A send-email or send-SMS step as pickers offer it: its id (what configs keep) and its name. */
export interface MessageStepChoice {
  id: string;
  label: string;
}

/** Roots of the picker's fields: the catalog's, step outputs, and this run's messages. */
type PickerRoot = FieldRoot | 'steps' | 'messages';

/** A field the picker offers: a catalog field, a field of a step output (root `steps`) or of a message. */
export type PickerField = Omit<FieldSpec, 'root'> & { root: PickerRoot };

/** A choice of the "what" picker: typed catalog fields that belong together, or one free-form prefix. */
export interface FieldGroup {
  id: string;
  label: string;
  root: PickerRoot;
  fields: readonly PickerField[];
  /** Set for a free-form prefix (`customer.attributes`): the condition names its own key below it. */
  freeForm?: FieldSpec;
}
