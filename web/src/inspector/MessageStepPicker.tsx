import { useMessageSteps } from './message-steps';

/** Event types about a message: with these, a wait without a chosen step is not finished yet. */
const ENGAGEMENT = /^(message\.|sms\.replied$)/;

/**
 * Picks the step whose message (this run's) a wait is about, by the step's name. With no message step
 * in the journey it says how to get one; a chosen step that is gone stays listed, and the compiler's
 * diagnostic (`error`) is shown under it.
 */
export function MessageStepPicker(props: {
  id: string;
  label: string;
  value: string;
  eventType: unknown;
  error?: string | undefined;
  onChange: (v: string) => void;
}) {
  const steps = useMessageSteps();
  const none = steps.length === 0;
  const gone = props.value !== '' && !steps.some((s) => s.id === props.value);
  const engagement = typeof props.eventType === 'string' && ENGAGEMENT.test(props.eventType);
  const noteId = `${props.id}-none`;
  const described = [props.error ? `${props.id}-error` : '', none ? noteId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${props.error ? ' invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">
          {none ? 'No message steps yet' : engagement ? 'Choose a message step' : 'None: any such event'}
        </option>
        {steps.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
        {gone && <option value={props.value}>{props.value} (not a message step)</option>}
      </select>
      {none && (
        <p className="small muted" id={noteId} data-testid="message-step-empty">
          This journey has no step that sends an email or SMS yet. Add a Send email or Send SMS step, then
          choose it here to wait for its message to be opened, clicked or replied to.
        </p>
      )}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
