import type { Rule } from '@hourglass/journey';
import { FolderPlus, Plus, X } from 'lucide-react';
import { type Leaf, LeafEditor, nameOf } from './ConditionRow';
import { fromGroup, type Group, type Mode, newCondition, toGroup } from './fields';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'all', label: 'all of' },
  { mode: 'any', label: 'any of' },
  { mode: 'none', label: 'none of' },
  { mode: 'notall', label: 'not all of' },
];

const isGroup = (r: Rule) => 'all' in r || 'any' in r || 'not' in r;

/** Visual editor of a segment rule: nested all / any / none groups of conditions. */
export function RuleBuilder(props: {
  rule: Rule;
  onChange: (rule: Rule) => void;
  /** The segment being edited: it cannot contain itself. */
  selfId?: string | undefined;
}) {
  return (
    <GroupEditor
      group={toGroup(props.rule)}
      path={[]}
      selfId={props.selfId}
      onChange={(g) => props.onChange(fromGroup(g))}
    />
  );
}

function GroupEditor(props: {
  group: Group;
  path: number[];
  selfId?: string | undefined;
  onChange: (g: Group) => void;
  onRemove?: () => void;
}) {
  const { group, path } = props;
  const label = path.length ? `Group ${nameOf(path)}` : 'Customers';
  const setChild = (i: number, r: Rule) =>
    props.onChange({ ...group, children: group.children.map((c, j) => (j === i ? r : c)) });
  const removeChild = (i: number) =>
    props.onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  const add = (r: Rule) => props.onChange({ ...group, children: [...group.children, r] });
  return (
    <fieldset className={`rule-group${path.length ? ' nested' : ''}`} data-testid="rule-group">
      <legend className="rule-group-head">
        <span>{path.length ? 'Match' : 'Customers who match'}</span>
        <select
          aria-label={`${label}: match`}
          value={group.mode}
          onChange={(e) => props.onChange({ ...group, mode: e.target.value as Mode })}
        >
          {MODES.map((m) => (
            <option key={m.mode} value={m.mode}>
              {m.label}
            </option>
          ))}
        </select>
        <span>{group.mode === 'none' ? 'these conditions' : 'the following'}</span>
        {props.onRemove && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`Remove group ${nameOf(path)}`}
            onClick={props.onRemove}
          >
            <X size={14} />
          </button>
        )}
      </legend>
      {group.children.length === 0 && (
        <p className="muted small">
          {group.mode === 'any'
            ? 'No conditions: matches no one.'
            : group.mode === 'all'
              ? 'No conditions: matches every customer.'
              : 'No conditions yet.'}
        </p>
      )}
      <ol className="rule-items">
        {group.children.map((child, i) => {
          const at = [...path, i];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positional
            <li key={i}>
              {isGroup(child) ? (
                <GroupEditor
                  group={toGroup(child)}
                  path={at}
                  selfId={props.selfId}
                  onChange={(g) => setChild(i, fromGroup(g))}
                  onRemove={() => removeChild(i)}
                />
              ) : (
                <LeafEditor
                  rule={child as Leaf}
                  path={at}
                  selfId={props.selfId}
                  onChange={(r) => setChild(i, r)}
                  onRemove={() => removeChild(i)}
                />
              )}
            </li>
          );
        })}
      </ol>
      <div className="row">
        <button
          type="button"
          className="btn small"
          aria-label={path.length ? `Add condition to group ${nameOf(path)}` : 'Add condition'}
          onClick={() => add(newCondition('stats'))}
        >
          <Plus size={14} /> Condition
        </button>
        {path.length < 3 && (
          <button
            type="button"
            className="btn small ghost"
            aria-label={path.length ? `Add group to group ${nameOf(path)}` : 'Add group'}
            onClick={() => add({ any: [newCondition('stats')] })}
          >
            <FolderPlus size={14} /> Group
          </button>
        )}
      </div>
    </fieldset>
  );
}
