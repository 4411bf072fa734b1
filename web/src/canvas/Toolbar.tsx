import type { JourneyStatus } from '@hourglass/contract';
import { useReactFlow } from '@xyflow/react';
import {
  AlertCircle,
  ArrowLeft,
  CheckCircle2,
  History,
  LayoutGrid,
  Maximize,
  Pause,
  Play,
  Redo2,
  Rocket,
  Undo2,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { navigate } from '../router';
import { FIT_VIEW } from './graph';
import type { SaveState } from './hooks';
import { type EditorState, useEditor } from './store';

const selectCanUndo = (s: EditorState) => s.past.length > 0;
const selectCanRedo = (s: EditorState) => s.future.length > 0;
const selectErrorCount = (s: EditorState) => s.diagnostics.filter((d) => d.severity === 'error').length;
const selectWarningCount = (s: EditorState) => s.diagnostics.filter((d) => d.severity === 'warning').length;
const selectUndo = (s: EditorState) => s.undo;
const selectRedo = (s: EditorState) => s.redo;
const selectLayout = (s: EditorState) => s.autoLayout;

const SAVE_TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  saving: 'Saving…',
  unsaved: 'Unsaved changes',
  error: 'Could not save — retrying',
};

/** Top bar of the editor: name, status, history, layout, problems, versions, publish. */
export function Toolbar(props: {
  name: string;
  /** Why the name could not be saved (taken by another journey); the canvas is saved anyway. */
  nameError?: string | null;
  onRename: (name: string) => void;
  status: JourneyStatus;
  liveVersion: number | null;
  save: SaveState;
  onProblems: () => void;
  onVersions: () => void;
  onPublish: () => void;
  onStatus: (action: 'pause' | 'resume') => void;
  /** Extra actions before "Versions" (export). */
  actions?: ReactNode;
  /** Why this role cannot change or publish the journey; null when it can. */
  readOnly?: string | null;
}) {
  const canUndo = useEditor(selectCanUndo);
  const canRedo = useEditor(selectCanRedo);
  const errors = useEditor(selectErrorCount);
  const warnings = useEditor(selectWarningCount);
  const undo = useEditor(selectUndo);
  const redo = useEditor(selectRedo);
  const layout = useEditor(selectLayout);
  const { fitView } = useReactFlow();
  return (
    <header className="editor-bar">
      <button
        type="button"
        className="icon-btn"
        aria-label="Back to journeys"
        onClick={() => navigate('/journeys')}
      >
        <ArrowLeft size={18} />
      </button>
      <input
        className="journey-name"
        aria-label="Journey name"
        readOnly={!!props.readOnly}
        value={props.name}
        aria-invalid={props.nameError ? true : undefined}
        aria-describedby={props.nameError ? 'journey-name-error' : undefined}
        onChange={(e) => props.onRename(e.target.value)}
      />
      {props.nameError && (
        <span id="journey-name-error" className="field-error" role="alert">
          {props.nameError}
        </span>
      )}
      <span className={`pill status-${props.status}`}>
        {props.status.charAt(0).toUpperCase() + props.status.slice(1)}
        {props.liveVersion ? ` · v${props.liveVersion}` : ''}
      </span>
      <span className={`save-state ${props.save}`} aria-live="polite" data-testid="save-state">
        {props.readOnly ? 'View only' : SAVE_TEXT[props.save]}
      </span>
      <div className="spacer" />
      <div className="btn-group" role="toolbar" aria-label="Canvas">
        <button
          type="button"
          className="icon-btn"
          aria-label="Undo"
          title="Undo (⌘Z)"
          disabled={!canUndo}
          onClick={undo}
        >
          <Undo2 size={17} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Redo"
          title="Redo (⇧⌘Z)"
          disabled={!canRedo}
          onClick={redo}
        >
          <Redo2 size={17} />
        </button>
        {!props.readOnly && (
          <button
            type="button"
            className="icon-btn"
            aria-label="Tidy up layout"
            title="Tidy up (L)"
            onClick={() =>
              void layout().then(() =>
                requestAnimationFrame(() => void fitView({ ...FIT_VIEW, duration: 200 })),
              )
            }
          >
            <LayoutGrid size={17} />
          </button>
        )}
        <button
          type="button"
          className="icon-btn"
          aria-label="Zoom to fit"
          title="Zoom to fit (F)"
          onClick={() => void fitView({ ...FIT_VIEW, duration: 200 })}
        >
          <Maximize size={17} />
        </button>
      </div>
      <button
        type="button"
        className={`btn ${errors ? 'has-errors' : warnings ? 'has-warnings' : 'no-errors'}`}
        onClick={props.onProblems}
        data-testid="problems-button"
      >
        {errors ? <AlertCircle size={15} /> : <CheckCircle2 size={15} />}
        {errors
          ? `${errors} ${errors === 1 ? 'problem' : 'problems'}`
          : warnings
            ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`
            : 'No problems'}
      </button>
      {props.actions}
      <button type="button" className="btn" onClick={props.onVersions}>
        <History size={15} /> Versions
      </button>
      {props.status === 'live' && !props.readOnly && (
        <button type="button" className="btn" onClick={() => props.onStatus('pause')}>
          <Pause size={15} /> Pause
        </button>
      )}
      {props.status === 'paused' && !props.readOnly && (
        <button type="button" className="btn" onClick={() => props.onStatus('resume')}>
          <Play size={15} /> Resume
        </button>
      )}
      <button
        type="button"
        className="btn primary"
        disabled={errors > 0 || !!props.readOnly}
        aria-disabled={errors > 0 || !!props.readOnly}
        title={
          props.readOnly
            ? props.readOnly
            : errors
              ? 'Fix the problems before publishing'
              : 'Publish this draft'
        }
        onClick={props.onPublish}
      >
        <Rocket size={15} /> Publish
      </button>
    </header>
  );
}
