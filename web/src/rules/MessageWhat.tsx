import { type Condition, MESSAGE_FIELDS } from '@hourglass/journey';
import { conditionFor, type RuleScope } from './fields';
import { messageField, splitMessageField } from './message-fields';
import type { Invalid } from './picker-types';

/**
 * "Message of step [Ask for rating] [was clicked]": the step picked by its name among the journey's
 * send-email and send-SMS steps, then what happened to this run's message of it. A step that is gone
 * stays visible (the row and the compiler say so) instead of reading as unchosen.
 */
export function MessageWhat({
  label,
  c,
  scope,
  invalid,
  onChange,
}: {
  label: string;
  c: Condition;
  scope: RuleScope;
  /** The row's aria-invalid / aria-describedby. */
  invalid: Invalid;
  onChange: (c: Condition) => void;
}) {
  const { step, key } = splitMessageField(c.field) ?? { step: '', key: '' };
  const steps = scope.messageSteps ?? [];
  const gone = step !== '' && !steps.some((s) => s.id === step);
  return (
    <>
      <select
        {...invalid}
        aria-label={`${label} message step`}
        value={step}
        onChange={(e) => onChange({ ...c, field: messageField(e.target.value, key) })}
      >
        <option value="">{steps.length ? 'Choose a message step' : 'No message steps yet'}</option>
        {steps.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
        {gone && <option value={step}>{step} (not a message step)</option>}
      </select>
      <select
        aria-label={`${label} field`}
        value={key}
        onChange={(e) => onChange(conditionFor(messageField(step, e.target.value), c, scope))}
      >
        {[...MESSAGE_FIELDS].map(([k, f]) => (
          <option key={k} value={k}>
            {f.label}
          </option>
        ))}
        {!MESSAGE_FIELDS.has(key) && <option value={key}>{key}</option>}
      </select>
    </>
  );
}
