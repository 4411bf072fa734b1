import type { Journey } from '@hourglass/contract';
import { Journey as JourneySchema } from '@hourglass/contract';
import { useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import type { StoreApi } from 'zustand';
import { useAccess } from '../access';
import { api } from '../api/client';
import { useDiscardDraft } from '../api/journey-draft';
import { keys, useJourney, usePublish, useStatusChange } from '../api/queries';
import { Inspector } from '../inspector/Inspector';
import { ExportJourneyButton } from '../pages/JourneyImport';
import { useToast } from '../ui/toast';
import { AnalyticsBar } from './AnalyticsBar';
import { focusStep } from './a11y';
import { Canvas } from './Canvas';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { DraftState } from './DraftState';
import { NODE_WIDTH } from './graph';
import { useAutosave, useLiveDiagnostics, useShortcuts } from './hooks';
import { Palette } from './Palette';
import { PublishDialog } from './PublishDialog';
import { resolveAdd } from './presets';
import { createEditorStore, EditorContext, type EditorState } from './store';
import { Toolbar } from './Toolbar';
import { VersionsPanel } from './VersionsPanel';

/** The journey editor page: loads the journey, then mounts one editor store for it. */
export function JourneyEditor({ id }: { id: string }) {
  const journey = useJourney(id);
  if (journey.isLoading) return <div className="page-loading">Loading journey…</div>;
  if (journey.error || !journey.data)
    return <div className="page-error">Could not load this journey: {journey.error?.message}</div>;
  return (
    <ReactFlowProvider>
      <EditorRoot journey={journey.data} />
    </ReactFlowProvider>
  );
}

function EditorRoot({ journey }: { journey: Journey }) {
  const [store] = useState(() => {
    const created = createEditorStore(journey.draftGraph);
    // Back from a page the inspector sent the marketer to (a new segment): that step is selected again.
    const node = new URLSearchParams(window.location.search).get('node');
    if (node) created.getState().select(node);
    return created;
  });
  return (
    <EditorContext.Provider value={store}>
      <Editor journey={journey} store={store} />
    </EditorContext.Provider>
  );
}

function Editor({ journey, store }: { journey: Journey; store: StoreApi<EditorState> }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(journey.name);
  const [panel, setPanel] = useState<'problems' | 'versions' | null>(null);
  const [publishing, setPublishing] = useState(false);
  // Support and viewer roles open journeys to read them: nothing is saved and Publish says why not.
  const readOnly = useAccess().reason('write');
  const { state: save, flush, nameError } = useAutosave(store, journey.id, name, !readOnly);
  const publish = usePublish(journey.id);
  const status = useStatusChange(journey.id);
  const discard = useDiscardDraft(journey.id);
  const { screenToFlowPosition } = useReactFlow();
  useLiveDiagnostics(store);
  useShortcuts(store, !readOnly);

  const addAtCentre = (ref: string) => {
    const { kind, config } = resolveAdd(ref);
    const rect = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const p = screenToFlowPosition({
      x: (rect?.left ?? 0) + (rect?.width ?? 800) / 2,
      y: (rect?.top ?? 0) + (rect?.height ?? 600) / 2,
    });
    const added = store
      .getState()
      .addNode(kind, { x: p.x - NODE_WIDTH / 2 + Math.random() * 40, y: p.y }, config);
    // Added from the keyboard: carry on from the new step (Tab reaches its outputs, Enter its settings).
    focusStep(added);
  };
  const reload = async () => {
    const fresh = await api('GET', `/v1/journeys/${journey.id}`, JourneySchema);
    qc.setQueryData(keys.journey(journey.id), fresh);
    store.getState().reset(fresh.draftGraph);
    toast('Rolled back: the draft now matches that version and it is live.');
  };

  return (
    <div className="editor">
      {/* The page's heading; the visible name is the editable field in the toolbar. */}
      <h1 className="sr-only">Journey: {name}</h1>
      <Toolbar
        name={name}
        nameError={nameError}
        onRename={setName}
        status={journey.status}
        liveVersion={journey.liveVersion}
        save={save}
        onProblems={() => setPanel(panel === 'problems' ? null : 'problems')}
        onVersions={() => setPanel(panel === 'versions' ? null : 'versions')}
        onPublish={() => setPublishing(true)}
        readOnly={readOnly}
        actions={<ExportJourneyButton journeyId={journey.id} name={name} before={flush} />}
        onStatus={(a) =>
          status.mutate(a, { onSuccess: () => toast(a === 'pause' ? 'Journey paused' : 'Journey resumed') })
        }
      />
      <div className={`editor-body${readOnly ? ' read-only' : ''}`}>
        {!readOnly && <Palette onAdd={addAtCentre} />}
        <div className="editor-center">
          {readOnly && (
            <p className="notice read-only-note" role="note">
              View only. {readOnly}
            </p>
          )}
          {(journey.status === 'live' || journey.status === 'paused') && journey.liveVersion !== null && (
            <DraftState
              status={journey.status === 'live' ? 'Live' : 'Paused'}
              liveVersion={journey.liveVersion}
              differs={journey.draftDiffers}
              canDiscard={!readOnly}
              busy={discard.isPending}
              error={discard.error?.message ?? null}
              onDiscard={async () => {
                // Edits still waiting for autosave are part of the draft being discarded.
                await flush();
                discard.mutate(undefined, {
                  onSuccess: (fresh) => {
                    store.getState().reset(fresh.draftGraph);
                    toast('Draft changes discarded: the draft is the live version again.');
                  },
                });
              }}
            />
          )}
          <AnalyticsBar journeyId={journey.id} />
          <Canvas readOnly={!!readOnly} />
          {panel === 'problems' && <DiagnosticsPanel onClose={() => setPanel(null)} />}
        </div>
        {panel === 'versions' ? (
          <VersionsPanel
            journeyId={journey.id}
            liveVersion={journey.liveVersion}
            onClose={() => setPanel(null)}
            onRolledBack={() => void reload()}
          />
        ) : readOnly ? (
          <fieldset disabled className="read-only-fields">
            <Inspector />
          </fieldset>
        ) : (
          <Inspector />
        )}
      </div>
      <PublishDialog
        journeyId={journey.id}
        open={publishing}
        busy={publish.isPending}
        error={publish.error?.message ?? null}
        onCancel={() => setPublishing(false)}
        onPublish={async (note) => {
          await flush();
          publish.mutate(note, {
            onSuccess: (r) => {
              setPublishing(false);
              toast(`Published v${r.version.version}`);
              void qc.invalidateQueries({ queryKey: keys.versions(journey.id) });
            },
          });
        }}
      />
    </div>
  );
}
