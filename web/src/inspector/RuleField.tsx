import type { Condition, Performed, Rule } from '@hourglass/journey';
import { RuleOp } from '@hourglass/journey';
import { Plus, X } from 'lucide-react';
import { useState } from 'react';
import { errorAt, fieldId, useForm } from './SchemaForm';
import { humanize } from './schema';
import { SegmentPicker } from './widgets';

const FIELDS = [
  'customer.stats.ordersCount',
  'customer.stats.totalSpent',
  'customer.stats.aov',
  'customer.email',
  'customer.tags',
  'customer.attributes.',
  'order.total',
  'order.currency',
  'order.items[0].sku',
  'trigger.properties.',
  'event.properties.rating',
];
const NO_VALUE = new Set(['exists', 'is_true', 'is_false']);
type When = { kind: 'segment'; segmentId: string } | { kind: 'conditions'; rule: Rule };

/** A row of the flat editor: a field condition, or "performed event X at least N times within D days". */
type Leaf = Condition | { performed: Performed };
const isLeaf = (r: Rule): r is Leaf => 'field' in r || 'performed' in r;
const toCount = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const showCount = (n: number | null) => (n === null || Number.isNaN(n) ? '' : String(n));
const parseValue = (s: string, op: string): unknown => {
  if (op === 'in') return s.split(',').map((x) => parseValue(x.trim(), 'eq'));
  if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
  return s === 'true' ? true : s === 'false' ? false : s;
};
const showValue = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v == null ? '' : String(v));

/** Edits a rule (flat list of conditions, or JSON for nested ones) or a branch's "segment or conditions". */
export function RuleField({ path, value, label }: { path: string[]; value: unknown; label: string }) {
  const ctx = useForm();
  const id = fieldId(ctx.nodeId, path);
  const error = errorAt(ctx.errors, path);
  if (value && typeof value === 'object' && 'kind' in value) {
    const when = value as When;
    return (
      <fieldset className="field-group">
        <legend>{label}</legend>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Match by</label>
          <select
            id={`${id}-kind`}
            value={when.kind}
            onChange={(e) =>
              ctx.set(
                path,
                e.target.value === 'segment'
                  ? { kind: 'segment', segmentId: '' }
                  : { kind: 'conditions', rule: { all: [] } },
              )
            }
          >
            <option value="segment">Segment</option>
            <option value="conditions">Conditions</option>
          </select>
        </div>
        {when.kind === 'segment' ? (
          <SegmentPicker
            id={fieldId(ctx.nodeId, [...path, 'segmentId'])}
            label="Segment"
            value={when.segmentId}
            error={errorAt(ctx.errors, [...path, 'segmentId']) ?? error}
            onChange={(v) => ctx.set([...path, 'segmentId'], v ?? '')}
          />
        ) : (
          // Branches decide in an activity that counts events, so they may use "performed" conditions.
          <RuleEditor
            id={`${id}-rule`}
            rule={when.rule}
            allowPerformed
            onChange={(r) => ctx.set([...path, 'rule'], r)}
          />
        )}
        {error && <p className="field-error">{error}</p>}
      </fieldset>
    );
  }
  return (
    <fieldset className={`field-group${error ? ' invalid' : ''}`}>
      <legend>{label}</legend>
      <RuleEditor id={id} rule={(value as Rule | null) ?? null} nullable onChange={(r) => ctx.set(path, r)} />
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

function RuleEditor({
  id,
  rule,
  nullable,
  allowPerformed,
  onChange,
}: {
  id: string;
  rule: Rule | null;
  nullable?: boolean;
  allowPerformed?: boolean;
  onChange: (r: Rule | null) => void;
}) {
  const [json, setJson] = useState<string | null>(null);
  const group = rule === null ? { all: [] as Rule[] } : 'all' in rule ? rule : 'any' in rule ? rule : null;
  const list = group ? ('all' in group ? group.all : group.any) : null;
  if (!group || !list?.every(isLeaf) || json !== null) {
    const text = json ?? JSON.stringify(rule, null, 2);
    return (
      <div className="field">
        <label htmlFor={id}>Rule (JSON)</label>
        <textarea
          id={id}
          className="mono"
          rows={6}
          value={text}
          onChange={(e) => {
            setJson(e.target.value);
            try {
              onChange(JSON.parse(e.target.value) as Rule);
            } catch {
              // keep typing; the text stays local until it parses
            }
          }}
        />
      </div>
    );
  }
  const mode = 'any' in group ? 'any' : 'all';
  const conds = list as Leaf[];
  const emit = (next: Leaf[], m = mode) =>
    onChange(nullable && next.length === 0 ? null : m === 'any' ? { any: next } : { all: next });
  const put = (i: number, leaf: Leaf) => emit(conds.map((c, j) => (j === i ? leaf : c)));
  const edit = (i: number, c: Condition, patch: Partial<Condition>) => put(i, { ...c, ...patch });
  const editPerformed = (i: number, p: Performed, patch: Partial<Performed>) =>
    put(i, { performed: { ...p, ...patch } });
  return (
    <div className="rule">
      {conds.length > 1 && (
        <label className="inline">
          Match{' '}
          <select value={mode} onChange={(e) => emit(conds, e.target.value as 'all' | 'any')}>
            <option value="all">all conditions</option>
            <option value="any">any condition</option>
          </select>
        </label>
      )}
      {conds.length === 0 && (
        <p className="muted">{nullable ? 'Everyone (no conditions).' : 'No conditions.'}</p>
      )}
      {conds.map((c, i) =>
        'performed' in c ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positional
          <div className="rule-row" key={i}>
            <input
              aria-label={`Condition ${i + 1} performed event`}
              value={c.performed.eventType}
              onChange={(e) => editPerformed(i, c.performed, { eventType: e.target.value.trim() })}
            />
            <input
              aria-label={`Condition ${i + 1} at least (times)`}
              type="number"
              min={1}
              value={showCount(c.performed.atLeast)}
              onChange={(e) => editPerformed(i, c.performed, { atLeast: toCount(e.target.value) })}
            />
            <input
              aria-label={`Condition ${i + 1} within days (empty = ever)`}
              type="number"
              min={1}
              max={3650}
              placeholder="ever"
              value={showCount(c.performed.withinDays)}
              onChange={(e) =>
                editPerformed(i, c.performed, {
                  withinDays: e.target.value.trim() === '' ? null : toCount(e.target.value),
                })
              }
            />
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove condition ${i + 1}`}
              onClick={() => emit(conds.filter((_, j) => j !== i))}
            >
              <X size={14} />
            </button>
          </div>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions are positional
          <div className="rule-row" key={i}>
            <input
              aria-label={`Condition ${i + 1} field`}
              list={`${id}-fields`}
              value={c.field}
              onChange={(e) => edit(i, c, { field: e.target.value })}
            />
            <select
              aria-label={`Condition ${i + 1} operator`}
              value={c.op}
              onChange={(e) => edit(i, c, { op: e.target.value as Condition['op'] })}
            >
              {RuleOp.options.map((o) => (
                <option key={o} value={o}>
                  {humanize(o)}
                </option>
              ))}
            </select>
            {!NO_VALUE.has(c.op) && (
              <input
                aria-label={`Condition ${i + 1} value`}
                value={showValue(c.value)}
                onChange={(e) =>
                  edit(i, c, { value: parseValue(e.target.value, c.op) as Condition['value'] })
                }
              />
            )}
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove condition ${i + 1}`}
              onClick={() => emit(conds.filter((_, j) => j !== i))}
            >
              <X size={14} />
            </button>
          </div>
        ),
      )}
      <datalist id={`${id}-fields`}>
        {FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <div className="row">
        <button
          type="button"
          className="btn small"
          onClick={() => emit([...conds, { field: 'customer.stats.ordersCount', op: 'gt', value: 0 }])}
        >
          <Plus size={14} /> Condition
        </button>
        {allowPerformed && (
          <button
            type="button"
            className="btn small"
            onClick={() =>
              emit([...conds, { performed: { eventType: 'order.placed', atLeast: 2, withinDays: 365 } }])
            }
          >
            <Plus size={14} /> Performed event
          </button>
        )}
        <button
          type="button"
          className="btn small ghost"
          onClick={() => setJson(JSON.stringify(rule, null, 2))}
        >
          Edit as JSON
        </button>
      </div>
    </div>
  );
}
