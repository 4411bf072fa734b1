import type { ReactNode } from 'react';
import { useEffect, useId, useState } from 'react';
import type { z } from 'zod';
import { ApiError } from '../../api/client';

/** Errors by field path ("email.from"); `''` holds an error about the whole form. */
export type FieldErrors = Record<string, string>;

/** Field errors from a failed zod parse of the form's values. */
export function zodErrors(error: z.ZodError, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    out[path] ??= issue.message;
  }
  return out;
}

/** Field errors from an API answer: the server names the field as `body.<path>`. */
export function apiErrors(e: unknown): FieldErrors {
  if (e instanceof ApiError) {
    const field = e.body.field?.replace(/^body\./, '');
    return field ? { [field]: e.body.message.replace(/^[\w.]+: /, '') } : { '': e.body.message };
  }
  return { '': e instanceof Error ? e.message : 'Could not save' };
}

/** A labelled text input with its error and hint, linked for screen readers. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  type?: 'text' | 'password' | 'email' | 'tel' | 'url' | 'time' | 'number';
  placeholder?: string;
  disabled?: boolean;
  autoComplete?: string;
  min?: number;
  max?: number;
  step?: number;
}) {
  const id = useId();
  const described = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={props.error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete={props.autoComplete ?? 'off'}
        min={props.min}
        max={props.max}
        step={props.step}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <p id={`${id}-hint`} className="small muted settings-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A write-only secret: blank keeps the stored value; a checkbox removes it. */
export function SecretField(props: {
  label: string;
  /** What the remove checkbox names: "API key", "auth token". */
  noun: string;
  value: string;
  onChange: (value: string) => void;
  clear: boolean;
  onClear: (clear: boolean) => void;
  stored: { set: boolean; hint: string | null };
  error?: string;
  disabled?: boolean;
}) {
  const { stored } = props;
  return (
    <div className="settings-secret">
      <TextField
        label={props.label}
        type="password"
        autoComplete="new-password"
        value={props.value}
        onChange={props.onChange}
        error={props.error}
        disabled={props.disabled || props.clear}
        placeholder={stored.set ? 'Stored — leave blank to keep' : 'Not set'}
        hint={
          stored.set
            ? `Stored${stored.hint ? `, ends in ${stored.hint.replace(/^•+/, '')}` : ''}.`
            : 'Not set.'
        }
      />
      {stored.set && (
        <label className="check">
          <input
            type="checkbox"
            checked={props.clear}
            disabled={props.disabled}
            onChange={(e) => props.onClear(e.target.checked)}
          />
          Remove the stored {props.noun}
        </label>
      )}
    </div>
  );
}

/** What a secret field sends: a new value, null to clear, or nothing to keep the stored one. */
export const secretValue = (value: string, clear: boolean): string | null | undefined =>
  clear ? null : value.trim() ? value.trim() : undefined;

/** An emptied optional setting is sent as null, which clears it. */
export const orNull = (v: string) => (v.trim() ? v.trim() : null);

/** A settings card: title, description, the form, and a save button with its outcome. */
export function SettingsCard(props: {
  title: string;
  description?: ReactNode;
  onSubmit: () => void;
  pending: boolean;
  saved: boolean;
  errors: FieldErrors;
  readOnly: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="settings-card settings-form" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.description && <p className="small muted">{props.description}</p>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <fieldset disabled={props.readOnly} className="settings-fields">
          {props.children}
        </fieldset>
        {props.errors[''] && (
          <p className="field-error" role="alert">
            {props.errors['']}
          </p>
        )}
        <div className="settings-actions">
          {!props.readOnly && (
            <button type="submit" className="btn primary" disabled={props.pending}>
              {props.pending ? 'Saving…' : 'Save'}
            </button>
          )}
          {props.readOnly && <p className="small muted">Only workspace owners can change these.</p>}
          <span className="settings-saved" role="status">
            {props.saved ? 'Saved' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/** Tracks a form's save: errors, and a "Saved" note that clears when the form is edited again. */
export function useSaveState() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(0);
  useEffect(() => {
    if (dirty) setSaved(false);
  }, [dirty]);
  const touched = () => setDirty((n) => n + 1);
  return {
    errors,
    saved,
    setErrors,
    touched,
    /** An onChange that sets the field and marks the form edited. */
    edit:
      <T,>(set: (v: T) => void) =>
      (v: T) => {
        set(v);
        touched();
      },
    succeeded: () => {
      setErrors({});
      setSaved(true);
    },
    failed: (e: unknown) => {
      setSaved(false);
      setErrors(apiErrors(e));
    },
  };
}

/** The SettingsCard props that follow from a save mutation, its form state and the user's role. */
export const cardState = (
  save: { isPending: boolean },
  state: ReturnType<typeof useSaveState>,
  readOnly: boolean,
) => ({ pending: save.isPending, saved: state.saved, errors: state.errors, readOnly });

/** A write-only secret input: what SecretField edits, what to submit, and a reset after saving. */
export function useSecretInput(state: ReturnType<typeof useSaveState>) {
  const [value, setValue] = useState('');
  const [clear, setClear] = useState(false);
  return {
    field: { value, clear, onChange: state.edit(setValue), onClear: state.edit(setClear) },
    submitted: () => secretValue(value, clear),
    reset: () => {
      setValue('');
      setClear(false);
    },
  };
}
