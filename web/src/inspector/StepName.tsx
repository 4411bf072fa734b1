import { type AnyNodeDefinition, type OutputField, outputFields } from '@hourglass/journey';
import { fieldId } from './form-context';

/** The fields a node's output will have with this config (a webhook's depend on its mapping). */
export function outputFieldsOf(def: AnyNodeDefinition, config: unknown): OutputField[] {
  const spec = def.output;
  if (!spec) return [];
  if (spec.schema) return outputFields(spec.schema);
  const parsed = def.config.safeParse(config);
  return parsed.success && spec.schemaFor ? outputFields(spec.schemaFor(parsed.data)) : [];
}

/**
 * "Step name" of a node whose type has an output: what later steps write in `steps.<name>.<field>`,
 * with the fields they can read. Compile problems of the name (`node.name_invalid`,
 * `node.name_duplicate`, on field `name`) show here like any field's.
 */
export function StepName(props: {
  nodeId: string;
  def: AnyNodeDefinition;
  config: unknown;
  name: string | undefined;
  error: string | undefined;
  onChange: (name: string) => void;
}) {
  const spec = props.def.output;
  if (!spec) return null;
  const id = fieldId(props.nodeId, ['name']);
  const name = props.name ?? spec.name;
  const fields = outputFieldsOf(props.def, props.config);
  const shown = name || '<name>';
  return (
    <div className={`field step-name${props.error ? ' invalid' : ''}`}>
      <label htmlFor={id}>Step name</label>
      <input
        id={id}
        value={name}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!!props.error}
        aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
        onChange={(e) => props.onChange(e.target.value.trim())}
      />
      {props.error && (
        <p className="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <div className="muted small" id={`${id}-hint`} data-testid="step-output-hint">
        Later steps read this step's output as <code>{`{{ steps.${shown}.<field> }}`}</code>
        {fields.length > 0 && (
          <>
            :
            <ul className="step-fields">
              {fields.map((f) => (
                <li key={f.key}>
                  <code>{`steps.${shown}.${f.key}`}</code>
                  {f.description && ` — ${f.description}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
