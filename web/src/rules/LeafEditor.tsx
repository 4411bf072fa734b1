import type { Rule } from '@hourglass/journey';
import { X } from 'lucide-react';
import { useSegments } from '../api/queries';
import { groupOf, groupsFor, newCondition, type RuleScope } from './fields';
import { ConditionInputs, PerformedInputs } from './LeafInputs';
import { type Leaf, leafProblem, newPerformed } from './model';
import type { Invalid } from './picker-types';

/** "2.1" for the first item of the second group: how controls are named for screen readers. */
export const nameOf = (path: readonly number[]) => path.map((i) => i + 1).join('.');

const OTHER = 'other';

/** What a leaf is, as the type picker says it: a field group of the catalog, a segment, a performed event. */
const typeOf = (rule: Leaf, scope: RuleScope): string =>
  'segment' in rule
    ? 'segment'
    : 'performed' in rule
      ? 'performed'
      : (groupOf(rule.field, scope)?.id ?? OTHER);

/** The type picker's choices where the rule is edited, plus the leaf's own type if the scope lacks it. */
function typeChoices(scope: RuleScope, current: string, rule: Leaf): { id: string; label: string }[] {
  const out = groupsFor(scope).map((g) => ({ id: g.id, label: g.label }));
  if (scope.segments || current === 'segment') out.push({ id: 'segment', label: 'In segment' });
  if (scope.performed || current === 'performed') out.push({ id: 'performed', label: 'Performed event' });
  if (!out.some((o) => o.id === current)) {
    const group = 'field' in rule ? groupOf(rule.field, scope) : undefined;
    out.push({ id: current, label: group?.label ?? 'Other field' });
  }
  return out;
}

/** One condition row: its type, its inputs, a remove button and its problem. */
export function LeafEditor(props: {
  rule: Leaf;
  path: number[];
  idPrefix: string;
  scope: RuleScope;
  selfId?: string | undefined;
  onChange: (r: Rule) => void;
  onRemove: () => void;
}) {
  const { rule, path, scope } = props;
  const n = nameOf(path);
  const type = typeOf(rule, scope);
  const problem = leafProblem(rule, scope);
  const errorId = `${props.idPrefix}-error-${n}`;
  const invalid: Invalid = { 'aria-invalid': !!problem, 'aria-describedby': problem ? errorId : undefined };
  return (
    <div className={`rule-leaf${problem ? ' invalid' : ''}`} data-testid="rule-condition">
      <select
        aria-label={`Condition ${n} type`}
        value={type}
        onChange={(e) => {
          const t = e.target.value;
          if (t === OTHER) return;
          props.onChange(
            t === 'segment' ? { segment: '' } : t === 'performed' ? newPerformed() : newCondition(t, scope),
          );
        }}
      >
        {typeChoices(scope, type, rule).map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
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
        <ConditionInputs
          label={`Condition ${n}`}
          c={rule}
          scope={scope}
          invalid={invalid}
          onChange={props.onChange}
        />
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

function SegmentChoice(props: {
  label: string;
  value: string;
  selfId?: string | undefined;
  invalid: Invalid;
  onChange: (id: string) => void;
}) {
  const segments = useSegments();
  const known = segments.data ?? [];
  return (
    <select
      {...props.invalid}
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">{segments.isLoading ? 'Loading segments…' : 'Choose a segment…'}</option>
      {known
        .filter((s) => s.id !== props.selfId)
        .map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      {/* A reference to a segment that is gone (or not loaded yet) stays visible instead of reading as empty. */}
      {props.value && !known.some((s) => s.id === props.value) && (
        <option value={props.value}>{props.value}</option>
      )}
    </select>
  );
}
