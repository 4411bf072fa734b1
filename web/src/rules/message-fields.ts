import { KIND_OP_LIST, MESSAGE_FIELDS, MESSAGES_ROOT, messageRefProblem } from '@hourglass/journey';
import type { FieldGroup, PickerField, RuleScope } from './picker-types';

// Branch conditions on this run's message of a step (`messages.<step id>.<field>`) in the rule editor:
// one "Message of a step" group whose conditions pick the step by its name, then what happened to
// the message. Until a step is chosen the field reads `messages..<field>` (the step left blank).

/** The picker group id of message conditions. */
export const MESSAGES_GROUP = MESSAGES_ROOT;

/** The step id and message field of a `messages.*` field, as written ('' = not chosen); null for others. */
export function splitMessageField(field: string): { step: string; key: string } | null {
  const [root, step = '', key = '', ...rest] = field.split('.');
  if (root !== MESSAGES_ROOT || rest.length > 0) return null;
  return { step, key };
}

/** `messages.<step>.<key>`. */
export const messageField = (step: string, key: string) => `${MESSAGES_ROOT}.${step}.${key}`;

/** The picker's view of a message field: typed by what a message has; undefined for anything else. */
export function messageSpec(field: string): PickerField | undefined {
  const parts = splitMessageField(field);
  const known = parts ? MESSAGE_FIELDS.get(parts.key) : undefined;
  if (!known) return undefined;
  return {
    path: field,
    root: MESSAGES_ROOT,
    kind: known.kind,
    label: known.label,
    description: `This run's message of the chosen step ${known.label}`,
    ops: KIND_OP_LIST[known.kind],
  };
}

/** The "Message of a step" group where the scope allows it; fields are those of the first step. */
export function messageGroups(scope: RuleScope | undefined): FieldGroup[] {
  if (!scope?.messages) return [];
  const step = scope.messageSteps?.[0]?.id ?? '';
  const fields = [...MESSAGE_FIELDS.keys()].flatMap((k) => messageSpec(messageField(step, k)) ?? []);
  return [{ id: MESSAGES_GROUP, label: 'Message of a step', root: MESSAGES_ROOT, fields }];
}

/** What is wrong with the step or field of a message condition, in the compiler's words; null = fine. */
export function messageProblem(field: string, scope: RuleScope): string | null {
  const parts = splitMessageField(field);
  const steps = (scope.messageSteps ?? []).map((s) => s.id);
  if (parts && !parts.step)
    return steps.length
      ? 'Choose a message step'
      : 'This journey has no step that sends an email or SMS yet: add one to ask about its message';
  return messageRefProblem(field, steps)?.message ?? null;
}
