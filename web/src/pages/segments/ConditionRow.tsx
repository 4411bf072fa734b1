import type { Condition, Performed, Rule } from '@hourglass/journey';
import { X } from 'lucide-react';
import { useSegments } from '../../api/queries';
import {
  ATTRIBUTE_PREFIX,
  CATEGORIES,
  conditionFor,
  conditionProblem,
  FIELDS,
  type FieldCategory,
  fieldDef,
  NO_VALUE,
  newCondition,
  newPerformed,
  OPS,
  parseValue,
  performedProblem,
  showValue,
} from './fields';

/** "2.1" for the first item of the second group: how controls are named for screen readers. */
export const nameOf = (path: number[]) => path.map((i) => i + 1).join('.');

/** A rule that is not a group. */
export type Leaf = Condition | { segment: string } | { performed: Performed };

type LeafKind = FieldCategory | 'segment' | 'performed';

const kindOf = (rule: Leaf): LeafKind =>
  'segment' in rule ? 'segment' : 'performed' in rule ? 'performed' : fieldDef(rule.field).category;

const problemOf = (rule: Leaf): string | null =>
  'segment' in rule
    ? rule.segment
      ? null
      : 'Pick a segment'
    : 'performed' in rule
      ? performedProblem(rule.performed)
      : conditionProblem(rule);

/** One condition ("in segment", "performed event") row: what, how, value, remove, and its problem. */
export function LeafEditor(props: {
  rule: Leaf;
  path: number[];
  selfId?: string | undefined;
  onChange: (r: Rule) => void;
  onRemove: () => void;
}) {
  const { rule, path } = props;
  const n = nameOf(path);
  const category = kindOf(rule);
  const problem = problemOf(rule);
  const errorId = `rule-error-${n}`;
  const invalid = { 'aria-invalid': !!problem, 'aria-describedby': problem ? errorId : undefined };
  return (
    <div className={`rule-leaf${problem ? ' invalid' : ''}`} data-testid="rule-condition">
      <select
        aria-label={`Condition ${n} type`}
        value={category}
        onChange={(e) => {
          const c = e.target.value as LeafKind;
          props.onChange(
            c === 'segment' ? { segment: '' } : c === 'performed' ? newPerformed() : newCondition(c),
          );
        }}
      >
        {CATEGORIES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
        <option value="segment">In segment</option>
        <option value="performed">Performed event</option>
      </select>
      {'performed' in rule ? (
        <PerformedInputs
          label={`Condition ${n}`}
          p={rule.performed}
          invalid={invalid}
          onChange={(performed) => props.onChange({ performed })}
        />
      ) : 'segment' in rule ? (
        <SegmentChoice
          label={`Condition ${n} segment`}
          value={rule.segment}
          selfId={props.selfId}
          invalid={invalid}
          onChange={(segment) => props.onChange({ segment })}
        />
      ) : (
        <ConditionInputs label={`Condition ${n}`} c={rule} invalid={invalid} onChange={props.onChange} />
      )}
      <button
        type="button"
        className="icon-btn"
        aria-label={`Remove condition ${n}`}
        onClick={props.onRemove}
      >
        <X size={14} />
      </button>
      {problem && (
        <p className="field-error" id={errorId}>
          {problem}
        </p>
      )}
    </div>
  );
}

type Invalid = { 'aria-invalid': boolean; 'aria-describedby': string | undefined };

function ConditionInputs({
  label,
  c,
  invalid,
  onChange,
}: {
  label: string;
  c: Condition;
  invalid: Invalid;
  onChange: (c: Condition) => void;
}) {
  const def = fieldDef(c.field);
  const ops = OPS[def.kind];
  const isAttribute = c.field.startsWith(ATTRIBUTE_PREFIX);
  // A rule written through the API may name a field the catalogue does not know: edit its raw path.
  const isRaw = def.category === 'attribute' && !isAttribute;
  return (
    <>
      {isRaw && (
        <input
          aria-label={`${label} field path`}
          value={c.field}
          onChange={(e) => onChange({ ...c, field: e.target.value.trim() })}
        />
      )}
      {isRaw ? null : isAttribute ? (
        <input
          aria-label={`${label} attribute name`}
          placeholder="attribute, e.g. points"
          value={c.field.slice(ATTRIBUTE_PREFIX.length)}
          onChange={(e) => onChange({ ...c, field: ATTRIBUTE_PREFIX + e.target.value.trim() })}
        />
      ) : (
        def.category !== 'tag' && (
          <select
            aria-label={`${label} field`}
            value={c.field}
            onChange={(e) => onChange(conditionFor(e.target.value, c))}
          >
            {FIELDS.filter((f) => f.category === def.category).map((f) => (
              <option key={f.field} value={f.field}>
                {f.label}
              </option>
            ))}
          </select>
        )
      )}
      <select
        aria-label={`${label} operator`}
        value={c.op}
        onChange={(e) => onChange(conditionFor(c.field, { ...c, op: e.target.value as Condition['op'] }))}
      >
        {ops.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {!NO_VALUE.has(c.op) && (
        <input
          {...invalid}
          aria-label={`${label} value`}
          type={def.kind === 'number' && c.op !== 'in' ? 'number' : def.kind === 'date' ? 'date' : 'text'}
          step="any"
          placeholder={c.op === 'in' ? 'comma separated' : def.kind === 'tags' ? 'tag' : ''}
          value={def.kind === 'date' ? showValue(c.value).slice(0, 10) : showValue(c.value)}
          onChange={(e) => onChange({ ...c, value: parseValue(e.target.value, def.kind, c.op) })}
        />
      )}
    </>
  );
}

// An emptied number box is NaN in the rule until retyped: the row shows its problem, nothing is sent.
const toCount = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const NARROW = { width: '4.5em' };
const EVENT_WIDTH = { width: '10em' };
const showCount = (n: number | null) => (n === null || Number.isNaN(n) ? '' : String(n));

/** "order.placed at least [2] times [in the last] [30] days" (or "ever"). */
function PerformedInputs({
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

function SegmentChoice(props: {
  label: string;
  value: string;
  selfId?: string | undefined;
  invalid: Invalid;
  onChange: (id: string) => void;
}) {
  const segments = useSegments();
  return (
    <select
      {...props.invalid}
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">Choose a segment…</option>
      {(segments.data ?? [])
        .filter((s) => s.id !== props.selfId)
        .map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
    </select>
  );
}
