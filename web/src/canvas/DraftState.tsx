import { Undo } from 'lucide-react';
import { useState } from 'react';
import '../styles/draft.css';

/**
 * Under the header of a published journey whose saved draft does something the live version does not:
 * says so ("Live · v1 · draft has unpublished changes") and offers to throw those changes away, after a
 * confirmation (the live version and its runs are untouched).
 */
export function DraftState(props: {
  status: 'Live' | 'Paused';
  liveVersion: number;
  differs: boolean;
  canDiscard: boolean;
  busy: boolean;
  error: string | null;
  onDiscard: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!props.differs) return null;
  return (
    <div className="draft-state" role="status" data-testid="draft-state">
      <span>
        <strong>
          {props.status} · v{props.liveVersion} · draft has unpublished changes
        </strong>{' '}
        <span>Publish to make them live, or go back to the live version.</span>
      </span>
      {props.canDiscard &&
        (confirming ? (
          <span className="draft-confirm">
            <span>Discard every change since v{props.liveVersion}?</span>
            <button
              type="button"
              className="btn small danger"
              disabled={props.busy}
              onClick={() => {
                props.onDiscard();
                setConfirming(false);
              }}
            >
              {props.busy ? 'Discarding…' : 'Yes, discard'}
            </button>
            <button type="button" className="btn small" onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </span>
        ) : (
          <button type="button" className="btn small" onClick={() => setConfirming(true)}>
            <Undo size={13} /> Discard draft changes
          </button>
        ))}
      {props.error && (
        <span className="field-error" role="alert">
          Could not discard: {props.error}
        </span>
      )}
    </div>
  );
}
