import { Plus } from 'lucide-react';
import { useSegments } from '../api/queries';
import { navigate } from '../router';
import { useForm } from './form-context';

/**
 * Where "Create a segment" goes: the new-segment page, which comes back to this journey with this step
 * selected once the segment is saved (the draft autosaves as the editor closes).
 */
export function newSegmentHref(nodeId: string): string {
  const back = `${window.location.pathname}?node=${encodeURIComponent(nodeId)}`;
  return `/segments/new?returnTo=${encodeURIComponent(back)}`;
}

/**
 * Picks a segment of the workspace. `required` (a branch case) asks "Choose a segment"; otherwise the
 * empty choice means "no segment" (the trigger's entry segment: any customer). A workspace without
 * segments gets a plain-words empty state and a way to create one instead of an empty list.
 */
export function SegmentPicker(props: {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  required?: boolean;
  onChange: (v: string | null) => void;
}) {
  const { nodeId } = useForm();
  const segments = useSegments();
  const none = !segments.isLoading && !segments.error && (segments.data ?? []).length === 0;
  const hintId = `${props.id}-none`;
  return (
    <div className={`field${props.error && !none ? ' invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        aria-describedby={none ? hintId : props.error ? `${props.id}-error` : undefined}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value || null)}
      >
        <option value="">
          {segments.isLoading
            ? 'Loading segments…'
            : props.required
              ? none
                ? 'No segments yet'
                : 'Choose a segment'
              : 'Any customer'}
        </option>
        {(segments.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
        {props.value && !segments.data?.some((s) => s.id === props.value) && (
          <option value={props.value}>{props.value}</option>
        )}
      </select>
      {none ? (
        <div className="segment-empty" id={hintId} data-testid="segment-empty">
          <p>
            No segments yet. A segment is a group of customers, such as first-time buyers or customers who
            spent over $300.
          </p>
          <a
            className="btn small"
            href={newSegmentHref(nodeId)}
            onClick={(e) => {
              e.preventDefault();
              navigate(newSegmentHref(nodeId));
            }}
          >
            <Plus size={14} /> Create a segment
          </a>
        </div>
      ) : (
        props.error && (
          <p className="field-error" id={`${props.id}-error`}>
            {props.error}
          </p>
        )
      )}
    </div>
  );
}
