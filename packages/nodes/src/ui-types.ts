import type { FieldRoot } from '@hourglass/journey';

/** How one config field is edited, beyond what the zod schema says. */
export interface FieldUi {
  widget?:
    | 'text'
    | 'textarea'
    | 'liquid'
    | 'rule'
    | 'event_type'
    | 'segment'
    | 'weekdays'
    | 'date_field'
    | 'message_step'
    | 'hidden';
  /** Show only when sibling fields have one of these values (e.g. `{ mode: ['duration'] }`). */
  showWhen?: Record<string, readonly (string | boolean | number)[]>;
  /** For `widget: 'rule'`: what the rule may look at, so the editor offers only what will be evaluated. */
  rule?: RuleScope;
}

/**
 * What a rule field may look at: catalog roots, "performed event" conditions (need the customer's event
 * history) and segment references. Matches the node's `checkRule` options and where the rule is evaluated.
 */
export interface RuleScope {
  roots: readonly FieldRoot[];
  performed?: boolean;
  segments?: boolean;
  /** Conditions on this run's message of a step (`messages.<step>.*`): branches decide with them. */
  messages?: boolean;
}

/** Canvas presentation of a node type: pure data, no React. */
export interface NodeUi<C> {
  /** Icon name from the web app's icon set (lucide names). */
  icon: string;
  color: string;
  /** Other words a marketer may search the step palette by (label and description always match). */
  keywords?: readonly string[];
  /** One line under the node title, e.g. "Wait 7 days". Receives the parsed config. */
  summary(config: C): string;
  /** Per-field overrides of the generated form, keyed by dotted config path. */
  fields?: Record<string, FieldUi>;
}
