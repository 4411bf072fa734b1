import { useId, useState } from 'react';

/** Asks why before a support action; the reason goes to the audit log. */
export function ReasonForm(props: {
  title: string;
  confirm: string;
  busy: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const id = useId();
  return (
    <form
      className="reason-form"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) props.onConfirm(reason.trim());
      }}
    >
      <strong>{props.title}</strong>
      <label htmlFor={id}>Reason (kept in the audit log)</label>
      <textarea
        id={id}
        value={reason}
        // biome-ignore lint/a11y/noAutofocus: the form opens on request; typing the reason is the next step
        autoFocus
        required
        rows={2}
        onChange={(e) => setReason(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
      />
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn primary" disabled={props.busy || !reason.trim()}>
          {props.confirm}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
