import type { Condition, Performed } from '@hourglass/journey';
import {
  conditionFor,
  groupOf,
  keyOf,
  keyWords,
  NO_VALUE,
  opsFor,
  parseValue,
  type RuleScope,
  showValue,
  specOf,
  takesList,
  withKey,
} from './fields';
import { MessageWhat } from './MessageWhat';
import { MESSAGES_GROUP } from './message-fields';
import type { Invalid } from './picker-types';

/** What, how and the value of a field condition; the "what" picker and operators come from the catalog. */
export function ConditionInputs({
  label,
  c,
  scope,
  invalid,
  onChange,
}: {
  label: string;
  c: Condition;
  scope: RuleScope;
  invalid: Invalid;
  onChange: (c: Condition) => void;
}) {
  const spec = specOf(c.field, scope);
  const group = groupOf(c.field, scope);
  const free = group?.freeForm;
  return (
    <>
      {group?.id === MESSAGES_GROUP ? (
        <MessageWhat label={label} c={c} scope={scope} invalid={invalid} onChange={onChange} />
      ) : !group ? (
        // A rule written through the API may name a field the catalog does not know: edit its raw path.
        <input
          {...invalid}
          aria-label={`${label} field path`}
          value={c.field}
          onChange={(e) => onChange({ ...c, field: e.target.value.trim() })}
        />
      ) : free ? (
        <input
          {...invalid}
          aria-label={`${label} ${keyWords(free).word} name`}
          placeholder={keyWords(free).hint}
          title={free.description}
          value={keyOf(c.field, free.path)}
          onChange={(e) => onChange({ ...c, field: withKey(free.path, e.target.value.trim()) })}
        />
      ) : (
        group.fields.length > 1 && (
          <select
            aria-label={`${label} field`}
            title={spec?.description}
            value={c.field}
            onChange={(e) => onChange(conditionFor(e.target.value, c, scope))}
          >
            {group.fields.map((f) => (
              <option key={f.path} value={f.path} title={f.description}>
                {f.label}
              </option>
            ))}
          </select>
        )
      )}
      <select
        aria-label={`${label} operator`}
        value={c.op}
        onChange={(e) =>
          onChange(conditionFor(c.field, { ...c, op: e.target.value as Condition['op'] }, scope))
        }
      >
        {opsFor(c.field, scope).map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {!NO_VALUE.has(c.op) && (
        <ValueInput label={label} c={c} scope={scope} invalid={invalid} onChange={onChange} />
      )}
    </>
  );
}

function ValueInput({
  label,
  c,
  scope,
  invalid,
  onChange,
}: {
  label: string;
  c: Condition;
  scope: RuleScope;
  invalid: Invalid;
  onChange: (c: Condition) => void;
}) {
  const spec = specOf(c.field, scope);
  const kind = spec?.kind ?? 'any';
  const list = takesList(kind, c.op);
  const values = spec?.values;
  const aria = { ...invalid, 'aria-label': `${label} value` };
  if (values && !list) {
    // An enumeration (consent states): one of its values, or what the rule already holds.
    const current = showValue(c.value);
    return (
      <select {...aria} value={current} onChange={(e) => onChange({ ...c, value: e.target.value })}>
        <option value="">Choose…</option>
        {[...values, ...(current && !values.includes(current) ? [current] : [])].map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  }
  const type = list ? 'text' : kind === 'number' ? 'number' : kind === 'date' ? 'date' : 'text';
  return (
    <input
      {...aria}
      type={type}
      step="any"
      placeholder={list ? 'comma separated' : kind === 'tags' ? 'tag' : ''}
      value={type === 'date' ? showValue(c.value).slice(0, 10) : showValue(c.value)}
      onChange={(e) => onChange({ ...c, value: parseValue(e.target.value, kind, c.op) })}
    />
  );
}

// An emptied number box is NaN in the rule until retyped: the row shows its problem.
const toCount = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const showCount = (n: number | null) => (n === null || Number.isNaN(n) ? '' : String(n));
const NARROW = { width: '4.5em' };
const EVENT_WIDTH = { width: '10em' };

/** "order.placed at least [2] times [in the last] [30] days" (or "ever"). */
export function PerformedInputs({
  label,
  p,
  invalid,
  onChange,
}: {
  label: string;
  p: Performed;
  invalid: Invalid;
  onChange: (p: Performed) => void;
}) {
  return (
    <>
      <input
        {...invalid}
        aria-label={`${label} event type`}
        placeholder="e.g. order.placed"
        style={EVENT_WIDTH}
        value={p.eventType}
        onChange={(e) => onChange({ ...p, eventType: e.target.value.trim() })}
      />
      <span className="muted small">at least</span>
      <input
        {...invalid}
        aria-label={`${label} at least (times)`}
        type="number"
        min={1}
        step={1}
        style={NARROW}
        value={showCount(p.atLeast)}
        onChange={(e) => onChange({ ...p, atLeast: toCount(e.target.value) })}
      />
      <span className="muted small">{p.atLeast === 1 ? 'time' : 'times'}</span>
      <select
        aria-label={`${label} window`}
        value={p.withinDays === null ? 'ever' : 'within'}
        onChange={(e) => onChange({ ...p, withinDays: e.target.value === 'ever' ? null : 30 })}
      >
        <option value="within">in the last</option>
        <option value="ever">ever</option>
      </select>
      {p.withinDays !== null && (
        <>
          <input
            {...invalid}
            aria-label={`${label} within (days)`}
            type="number"
            min={1}
            max={3650}
            step={1}
            style={NARROW}
            value={showCount(p.withinDays)}
            onChange={(e) => onChange({ ...p, withinDays: toCount(e.target.value) })}
          />
          <span className="muted small">days</span>
        </>
      )}
    </>
  );
}
