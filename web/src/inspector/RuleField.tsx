import type { Rule } from '@hourglass/journey';
import { DEFAULT_SCOPE, type RuleScope } from '../rules/fields';
import { RuleEditor } from '../rules/RuleEditor';
import { errorAt, type FormContext, fieldId, useForm } from './form-context';
import { useMessageSteps } from './message-steps';
import { SegmentPicker } from './SegmentPicker';

type When = { kind: 'segment'; segmentId: string } | { kind: 'conditions'; rule: Rule };

/**
 * The rule's scope with the step outputs it may read, as journey compile checks them: on the trigger,
 * exit and goal rules (the ones that look at later events) see every output of the journey, a missing
 * one making the condition false; its start and entry rules run before any step. Elsewhere, the
 * outputs that reach the node.
 */
function withOutputs(ctx: FormContext, scope: RuleScope): RuleScope {
  if (!ctx.trigger) return { ...scope, outputs: ctx.outputs.outputs };
  if (!scope.roots.includes('event')) return scope;
  return { ...scope, outputs: ctx.outputs.journeyOutputs, outputsOptional: true };
}

/** Edits a rule field of a node (a filter, an entry rule) or a branch's "segment or conditions". */
export function RuleField({
  path,
  value,
  label,
  scope: base = DEFAULT_SCOPE,
}: {
  path: string[];
  value: unknown;
  label: string;
  scope?: RuleScope | undefined;
}) {
  const ctx = useForm();
  const id = fieldId(ctx.nodeId, path);
  const error = errorAt(ctx.errors, path);
  const messageSteps = useMessageSteps();
  const outputs = withOutputs(ctx, base);
  const scope = base.messages ? { ...outputs, messageSteps } : outputs;
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
            required
            value={when.segmentId}
            error={errorAt(ctx.errors, [...path, 'segmentId']) ?? error}
            onChange={(v) => ctx.set([...path, 'segmentId'], v ?? '')}
          />
        ) : (
          <RuleEditor
            id={id}
            rule={when.rule}
            scope={scope}
            onChange={(r) => ctx.set([...path, 'rule'], r ?? { all: [] })}
          />
        )}
        {error && <p className="field-error">{error}</p>}
      </fieldset>
    );
  }
  return (
    <fieldset className={`field-group${error ? ' invalid' : ''}`}>
      <legend>{label}</legend>
      <RuleEditor
        id={id}
        rule={(value as Rule | null) ?? null}
        scope={scope}
        nullable
        onChange={(r) => ctx.set(path, r)}
      />
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
