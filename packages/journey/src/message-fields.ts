import type { FieldKind } from './field-catalog';
import { eachLeaf, fieldPath, type Rule } from './rule';

// Branch conditions on engagement with this run's own messages: `messages.<step id>.<field>` (the id of
// a send-email or send-SMS step), filled from the run's messages and the `message.*` / `sms.replied`
// events about them when the branch is decided.

/** Root of the message-engagement fields. */
export const MESSAGES_ROOT = 'messages';

/** The fields of one message step, with their kinds (yes/no fields take `is_true` / `is_false`). */
export const MESSAGE_FIELDS: ReadonlyMap<string, { kind: FieldKind; label: string }> = new Map([
  ['sent', { kind: 'any', label: 'was sent' }],
  ['delivered', { kind: 'any', label: 'was delivered' }],
  ['opened', { kind: 'any', label: 'was opened' }],
  ['clicked', { kind: 'any', label: 'was clicked' }],
  ['replied', { kind: 'any', label: 'was replied to' }],
  ['replyNumber', { kind: 'number', label: 'reply number' }],
]);

/** The step ids a rule's `messages.*` conditions ask about. */
export function ruleMessageSteps(rule: Rule): string[] {
  const ids = new Set<string>();
  eachLeaf(rule, (r) => {
    if (!('field' in r)) return;
    const [root, step] = fieldPath(r.field);
    if (root === MESSAGES_ROOT && step) ids.add(step);
  });
  return [...ids];
}

/** The kind of `messages.<step>.<field>` when the step sends a message in this journey, else undefined. */
export function messageFieldKind(field: string, messageSteps: readonly string[]): FieldKind | undefined {
  const path = fieldPath(field);
  const [root, step, key] = path;
  if (root !== MESSAGES_ROOT || path.length !== 3 || !step || !key) return undefined;
  if (!messageSteps.includes(step)) return undefined;
  return MESSAGE_FIELDS.has(key) ? MESSAGE_FIELDS.get(key)!.kind : undefined;
}

/**
 * What is wrong with a `messages.<step>.<field>` reference, in words a marketer can act on: no step,
 * a step that sends no message in this journey (or no longer exists), a field a message does not
 * have. Null = fine. The editor shows the same words.
 */
export function messageRefProblem(
  field: string,
  messageSteps: readonly string[],
): { code: 'rule.unknown_message_step' | 'rule.unknown_field'; message: string } | null {
  // Split as written: the editor keeps `messages..clicked` while no step is chosen yet.
  const path = field.split('.');
  const [, step, key] = path;
  if (!step)
    return {
      code: 'rule.unknown_message_step',
      message: `"${field}": choose the message step it asks about`,
    };
  if (!messageSteps.includes(step))
    return {
      code: 'rule.unknown_message_step',
      message: `"${field}": "${step}" is not a step of this journey that sends an email or SMS`,
    };
  if (path.length !== 3 || !key || !MESSAGE_FIELDS.has(key))
    return {
      code: 'rule.unknown_field',
      message: `"${field}": a message step has ${[...MESSAGE_FIELDS.keys()].join(', ')}`,
    };
  return null;
}
