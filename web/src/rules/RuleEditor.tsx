import { Rule } from '@hourglass/journey';
import { Braces, FolderPlus, Plus, X } from 'lucide-react';
import { useState } from 'react';
import { groupsFor, newCondition, type RuleScope } from './fields';
import { LeafEditor, nameOf } from './LeafEditor';
import { fromGroup, type Group, isGroup, type Leaf, type Mode, newPerformed, toGroup } from './model';

// The one rule editor: segments, branch conditions, trigger / wait / exit filters and entry rules all edit
// the same `Rule` through it. What each place may look at is its `scope` (see ./fields).

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'all', label: 'all of' },
  { mode: 'any', label: 'any of' },
  { mode: 'none', label: 'none of' },
  { mode: 'notall', label: 'not all of' },
];

/** Groups nest at most this deep from the editor (deeper rules still show and edit). */
const MAX_DEPTH = 3;

interface Shared {
  idPrefix: string;
  scope: RuleScope;
  selfId?: string | undefined;
}

/** Edits a rule as nested all / any / none groups of conditions, or as JSON. */
export function RuleEditor(props: {
  /** DOM id of the editor's first control (diagnostics focus it); also prefixes the ids inside. */
  id: string;
  rule: Rule | null;
  scope: RuleScope;
  onChange: (rule: Rule | null) => void;
  /** No conditions stores `null` ("everyone"), for optional filters. */
  nullable?: boolean;
  /** Whom the rule selects, for the heading: "Customers" reads "Customers who match all of…". */
  who?: string;
  /** The segment being edited: it cannot contain itself. */
  selfId?: string | undefined;
}) {
  const [json, setJson] = useState<string | null>(null);
  const shared: Shared = { idPrefix: props.id, scope: props.scope, selfId: props.selfId };
  if (json !== null) {
    return (
      <JsonEditor
        id={props.id}
        text={json}
        nullable={props.nullable}
        onText={setJson}
        onRule={props.onChange}
        onDone={() => setJson(null)}
      />
    );
  }
  return (
    <GroupEditor
      {...shared}
      group={toGroup(props.rule)}
      path={[]}
      who={props.who}
      rootId={props.id}
      onJson={() => setJson(JSON.stringify(props.rule, null, 2))}
      onChange={(g) => props.onChange(props.nullable && g.children.length === 0 ? null : fromGroup(g))}
    />
  );
}

/** A new condition: the customer's number of orders where the scope has it, else the first field offered. */
function freshCondition(scope: RuleScope) {
  const groups = groupsFor(scope);
  return newCondition((groups.find((g) => g.id === 'customer.stats') ?? groups[0])?.id ?? '', scope);
}

function GroupEditor(
  props: Shared & {
    group: Group;
    path: number[];
    onChange: (g: Group) => void;
    onRemove?: () => void;
    who?: string | undefined;
    rootId?: string;
    onJson?: () => void;
  },
) {
  const { group, path, scope } = props;
  const root = path.length === 0;
  const name = root ? (props.who ?? 'Conditions') : `Group ${nameOf(path)}`;
  const to = root ? '' : ` to group ${nameOf(path)}`;
  const setChild = (i: number, r: Rule) =>
    props.onChange({ ...group, children: group.children.map((c, j) => (j === i ? r : c)) });
  const removeChild = (i: number) =>
    props.onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  const add = (r: Rule) => props.onChange({ ...group, children: [...group.children, r] });
  return (
    <fieldset className={`rule-group${root ? '' : ' nested'}`} data-testid="rule-group">
      <legend className="rule-group-head">
        <span>{root && props.who ? `${props.who} who match` : 'Match'}</span>
        <select
          id={props.rootId}
          aria-label={`${name}: match`}
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
          {group.mode === 'all'
            ? 'No conditions: matches everyone.'
            : group.mode === 'any'
              ? 'No conditions: matches no one.'
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
                  idPrefix={props.idPrefix}
                  scope={scope}
                  selfId={props.selfId}
                  group={toGroup(child)}
                  path={at}
                  onChange={(g) => setChild(i, fromGroup(g))}
                  onRemove={() => removeChild(i)}
                />
              ) : (
                <LeafEditor
                  rule={child as Leaf}
                  path={at}
                  idPrefix={props.idPrefix}
                  scope={scope}
                  selfId={props.selfId}
                  onChange={(r) => setChild(i, r)}
                  onRemove={() => removeChild(i)}
                />
              )}
            </li>
          );
        })}
      </ol>
      <div className="row rule-actions">
        <button
          type="button"
          className="btn small"
          aria-label={`Add condition${to}`}
          onClick={() => add(freshCondition(scope))}
        >
          <Plus size={14} /> Condition
        </button>
        {scope.performed && (
          <button
            type="button"
            className="btn small"
            aria-label={`Add performed event${to}`}
            onClick={() => add(newPerformed())}
          >
            <Plus size={14} /> Performed event
          </button>
        )}
        {path.length < MAX_DEPTH && (
          <button
            type="button"
            className="btn small ghost"
            aria-label={`Add group${to}`}
            onClick={() => add({ any: [freshCondition(scope)] })}
          >
            <FolderPlus size={14} /> Group
          </button>
        )}
        {props.onJson && (
          <button type="button" className="btn small ghost" onClick={props.onJson}>
            <Braces size={14} /> Edit as JSON
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** What the JSON text stands for: a rule (or null where allowed), or why not yet. */
function readRule(text: string, nullable: boolean | undefined): { rule: Rule | null } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'Not valid JSON yet' };
  }
  if (value === null && nullable) return { rule: null };
  const parsed = Rule.safeParse(value);
  if (parsed.success) return { rule: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
  // A union says only "invalid input": name the shapes a part of a rule may take instead.
  const why =
    !issue || issue.code === 'invalid_union'
      ? 'each part is all / any / not, a condition (field, op, value), a segment or a performed event'
      : issue.message;
  return { error: `Not a rule: ${why}${at}` };
}

/** The rule as JSON; only text that reads as a rule is stored, the rest waits with its problem shown. */
function JsonEditor(props: {
  id: string;
  text: string;
  nullable: boolean | undefined;
  onText: (text: string) => void;
  onRule: (rule: Rule | null) => void;
  onDone: () => void;
}) {
  const read = readRule(props.text, props.nullable);
  const errorId = `${props.id}-json-error`;
  return (
    <div className={`field${'error' in read ? ' invalid' : ''}`}>
      <label htmlFor={props.id}>Rule (JSON)</label>
      <textarea
        id={props.id}
        className="mono"
        rows={8}
        value={props.text}
        aria-invalid={'error' in read}
        aria-describedby={'error' in read ? errorId : undefined}
        onChange={(e) => {
          props.onText(e.target.value);
          const next = readRule(e.target.value, props.nullable);
          if ('rule' in next) props.onRule(next.rule);
        }}
      />
      {'error' in read && (
        <p className="field-error" id={errorId}>
          {read.error}
        </p>
      )}
      <div className="row">
        <button type="button" className="btn small ghost" onClick={props.onDone}>
          Back to the builder
        </button>
      </div>
    </div>
  );
}
