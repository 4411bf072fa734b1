import { Plus, Trash2 } from 'lucide-react';
import { errorAt, fieldId, useForm } from './form-context';
import { RuleField } from './RuleField';
import { defaultOf, fieldUi, humanize, isShown, type JsonSchema, nullableInner } from './schema';
import { PrimitiveField } from './widgets';

export { errorAt, type FormContext, FormCtx, fieldId, useForm } from './form-context';

const isRef = (s: JsonSchema) => !!s.$ref || !!(s.anyOf ?? s.oneOf)?.some((a) => a.$ref);

/** One field generated from its JSON schema (labels from `.describe()`, defaults from `.default()`). */
export function SchemaField({
  schema,
  path,
  value,
  label,
}: {
  schema: JsonSchema;
  path: string[];
  value: unknown;
  label?: string;
}) {
  const ctx = useForm();
  const dotted = path.join('.');
  const ui = fieldUi(ctx.fields, dotted);
  if (ui.widget === 'hidden' || !isShown(ui, ctx.root)) return null;
  const title = label ?? schema.description ?? humanize(path.at(-1) ?? '');

  if (ui.widget === 'rule' || isRef(schema)) {
    return <RuleField path={path} value={value} label={title} scope={ui.rule} />;
  }
  const inner = nullableInner(schema);
  if (inner) {
    const on = value !== null && value !== undefined;
    return (
      <div className="field-group">
        <label className="check">
          <input
            type="checkbox"
            checked={on}
            onChange={(e) =>
              ctx.set(path, e.target.checked ? defaultOf({ ...inner, default: undefined }) : null)
            }
          />
          {title}
        </label>
        {on && <SchemaField schema={inner} path={path} value={value} label="" />}
      </div>
    );
  }
  if (schema.oneOf) return <UnionField schema={schema} path={path} value={value} label={title} />;
  if (schema.type === 'object' && schema.properties) {
    const obj = (value ?? {}) as Record<string, unknown>;
    const body = Object.entries(schema.properties).map(([k, p]) => (
      <SchemaField key={k} schema={p} path={[...path, k]} value={obj[k]} />
    ));
    if (!title) return <>{body}</>;
    return (
      <fieldset className="field-group">
        <legend>{title}</legend>
        {body}
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items?.type === 'object') {
    return <ArrayField schema={schema} path={path} value={value} label={title} />;
  }
  return <PrimitiveField schema={schema} path={path} value={value} label={title} ui={ui} />;
}

function UnionField({
  schema,
  path,
  value,
  label,
}: {
  schema: JsonSchema;
  path: string[];
  value: unknown;
  label: string;
}) {
  const ctx = useForm();
  const obj = (value ?? {}) as Record<string, unknown>;
  const alts = schema.oneOf ?? [];
  const tagKey = Object.keys(alts[0]?.properties ?? {}).find(
    (k) => alts[0]?.properties?.[k]?.const !== undefined,
  );
  if (!tagKey) return null;
  const current = alts.find((a) => a.properties?.[tagKey]?.const === obj[tagKey]) ?? alts[0]!;
  const id = fieldId(ctx.nodeId, [...path, tagKey]);
  return (
    <fieldset className="field-group">
      <legend>{label}</legend>
      <div className="field">
        <label htmlFor={id}>Type</label>
        <select
          id={id}
          value={String(obj[tagKey] ?? '')}
          onChange={(e) => {
            const alt = alts.find((a) => String(a.properties?.[tagKey]?.const) === e.target.value);
            if (alt) ctx.set(path, defaultOf({ ...alt, default: undefined }));
          }}
        >
          {alts.map((a) => {
            const v = String(a.properties?.[tagKey]?.const);
            return (
              <option key={v} value={v}>
                {humanize(v)}
              </option>
            );
          })}
        </select>
      </div>
      {Object.entries(current.properties ?? {})
        .filter(([k]) => k !== tagKey)
        .map(([k, p]) => (
          <SchemaField key={k} schema={p} path={[...path, k]} value={obj[k]} />
        ))}
    </fieldset>
  );
}

function ArrayField({
  schema,
  path,
  value,
  label,
}: {
  schema: JsonSchema;
  path: string[];
  value: unknown;
  label: string;
}) {
  const ctx = useForm();
  const items = Array.isArray(value) ? value : [];
  const item = schema.items!;
  const canAdd = schema.maxItems === undefined || items.length < schema.maxItems;
  const canRemove = items.length > (schema.minItems ?? 0);
  const error = errorAt(ctx.errors, path);
  return (
    <fieldset className="field-group">
      <legend>{label}</legend>
      {items.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items have no stable identity beyond position
        <div className="array-item" key={i}>
          <div className="array-item-head">
            <span>#{i + 1}</span>
            <button
              type="button"
              className="icon-btn"
              disabled={!canRemove}
              aria-label={`Remove ${label} #${i + 1}`}
              onClick={() =>
                ctx.set(
                  path,
                  items.filter((_, j) => j !== i),
                )
              }
            >
              <Trash2 size={14} />
            </button>
          </div>
          <SchemaField schema={item} path={[...path, String(i)]} value={v} label="" />
        </div>
      ))}
      {error && <p className="field-error">{error}</p>}
      <button
        type="button"
        className="btn small"
        disabled={!canAdd}
        onClick={() => ctx.set(path, [...items, nextItem(item, items)])}
      >
        <Plus size={14} /> Add
      </button>
    </fieldset>
  );
}

/**
 * A new array item: for items with an id (branch cases), a copy of the last one (a new case "like this
 * one") with a fresh id and label, but no segment chosen (two cases on one segment would send nobody
 * down the second); otherwise an empty one (a copied response mapping would only repeat the same
 * output field).
 */
function nextItem(item: JsonSchema, items: unknown[]): unknown {
  const last = items.at(-1);
  const fresh = defaultOf({ ...item, default: undefined }, items.length);
  if (!last || typeof last !== 'object' || !('id' in last) || !fresh || typeof fresh !== 'object')
    return fresh;
  const copy: Record<string, unknown> = structuredClone(last as Record<string, unknown>);
  const ids = new Set(items.map((i) => (i as { id?: unknown }).id));
  if ('id' in copy) {
    let n = items.length + 1;
    while (ids.has(`path_${n}`)) n++;
    copy.id = `path_${n}`;
    if ('label' in copy) copy.label = `Path ${n}`;
  }
  const when = copy.when as { kind?: unknown; segmentId?: unknown } | undefined;
  if (when?.kind === 'segment') copy.when = { ...when, segmentId: '' };
  return copy;
}
