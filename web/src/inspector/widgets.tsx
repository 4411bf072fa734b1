import { DATE_FIELDS, type FieldUi, KNOWN_EVENT_TYPES } from '@hourglass/nodes';
import { errorAt, fieldId, useForm } from './form-context';
import { LiquidField } from './LiquidField';
import { MessageStepPicker } from './MessageStepPicker';
import { SegmentPicker } from './SegmentPicker';
import { humanize, type JsonSchema } from './schema';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Label + control + error, with the error tied to the input for screen readers. */
function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      {label && <label htmlFor={id}>{label}</label>}
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Inputs for strings, numbers, booleans, enums and arrays of scalars. */
export function PrimitiveField({
  schema,
  path,
  value,
  label,
  ui,
}: {
  schema: JsonSchema;
  path: string[];
  value: unknown;
  label: string;
  ui: FieldUi;
}) {
  const ctx = useForm();
  const id = fieldId(ctx.nodeId, path);
  const error = errorAt(ctx.errors, path);
  const a11y = { id, 'aria-invalid': !!error, 'aria-describedby': error ? `${id}-error` : undefined };
  const set = (v: unknown) => ctx.set(path, v);

  if (schema.type === 'boolean') {
    return (
      <div className="field">
        <label className="check">
          <input {...a11y} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} />
          {label}
        </label>
      </div>
    );
  }
  if (schema.enum) {
    return (
      <Field id={id} label={label} error={error}>
        <select {...a11y} value={String(value ?? schema.default ?? '')} onChange={(e) => set(e.target.value)}>
          {schema.enum.map((v) => (
            <option key={String(v)} value={String(v)}>
              {humanize(String(v))}
            </option>
          ))}
        </select>
      </Field>
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <Field id={id} label={label} error={error}>
        <input
          {...a11y}
          type="number"
          value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
          step={schema.type === 'integer' ? 1 : 'any'}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      </Field>
    );
  }
  if (schema.type === 'array') {
    const items = Array.isArray(value) ? (value as unknown[]) : [];
    if (ui.widget === 'weekdays') {
      return (
        <fieldset className="field weekdays">
          <legend>{label}</legend>
          {WEEKDAYS.map((d, i) => (
            <label key={d} className="chip-check">
              <input
                type="checkbox"
                checked={items.includes(i)}
                onChange={(e) => set(e.target.checked ? [...items, i].sort() : items.filter((x) => x !== i))}
              />
              {d}
            </label>
          ))}
        </fieldset>
      );
    }
    return (
      <Field id={id} label={`${label} (comma separated)`} error={error}>
        <input
          {...a11y}
          value={items.join(', ')}
          onChange={(e) =>
            set(
              e.target.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
                .map((s) => (schema.items?.type === 'string' ? s : Number(s))),
            )
          }
        />
      </Field>
    );
  }
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  if (ui.widget === 'liquid' || ui.widget === 'textarea') {
    return (
      <Field id={id} label={label} error={error}>
        <LiquidField
          {...a11y}
          value={text}
          onChange={set}
          outputs={ctx.outputs.outputs}
          multiline={ui.widget === 'textarea' || /body|message/i.test(label)}
        />
      </Field>
    );
  }
  if (ui.widget === 'segment')
    return <SegmentPicker id={id} label={label} value={text} error={error} onChange={set} />;
  if (ui.widget === 'message_step') {
    const eventType = ctx.root.eventType;
    return (
      <MessageStepPicker
        id={id}
        label={label}
        value={text}
        eventType={eventType}
        error={error}
        onChange={set}
      />
    );
  }
  const list =
    ui.widget === 'event_type' ? KNOWN_EVENT_TYPES : ui.widget === 'date_field' ? DATE_FIELDS : null;
  return (
    <Field id={id} label={label} error={error}>
      <input
        {...a11y}
        value={text}
        list={list ? `${id}-list` : undefined}
        onChange={(e) => set(e.target.value)}
      />
      {list && (
        <datalist id={`${id}-list`}>
          {list.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      )}
    </Field>
  );
}
