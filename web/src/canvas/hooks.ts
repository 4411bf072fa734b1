import { graphOutputScopes } from '@hourglass/journey';
import { builtinRegistry, compileJourney } from '@hourglass/nodes';
import { useQueryClient } from '@tanstack/react-query';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand';
import { ApiError } from '../api/client';
import { keys, saveDraft, useSegments } from '../api/queries';
import { FIT_VIEW, toGraph } from './graph';
import type { EditorState } from './store';

/**
 * Compiles the draft in the browser whenever its logic changes: diagnostics appear as you type, and
 * the step outputs each node can read (for autocomplete) follow the graph.
 */
export function useLiveDiagnostics(store: StoreApi<EditorState>) {
  const segments = useSegments();
  const known = segments.data ? segments.data.map((s) => s.id) : null;
  const knownKey = known?.join(',') ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: knownKey stands for `known`
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const { nodes, edges } = store.getState();
      const graph = toGraph(nodes, edges);
      const result = compileJourney(graph, { knownSegments: known });
      store.getState().setDiagnostics(result.diagnostics, graphOutputScopes(graph, builtinRegistry));
    };
    run();
    const unsub = store.subscribe((s, prev) => {
      if (s.logicRevision === prev.logicRevision) return;
      clearTimeout(timer);
      timer = setTimeout(run, s.nodes.length > 200 ? 250 : 60);
    });
    return () => {
      clearTimeout(timer);
      unsub();
    };
  }, [store, knownKey]);
}

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'error';

/**
 * Debounced autosave of the draft graph; `flush` saves now (before publishing). A role that cannot
 * change journeys (`enabled` false) never saves: its edits stay in the browser.
 */
export function useAutosave(store: StoreApi<EditorState>, journeyId: string, name: string, enabled = true) {
  const [state, setState] = useState<SaveState>('saved');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef(false);
  const nameRef = useRef(name);
  // Why the name was not saved (another journey has it); the graph is saved regardless.
  const [nameError, setNameError] = useState<string | null>(null);
  const qc = useQueryClient();
  // The saved journey (with whether its draft now differs from the live version) replaces the cached
  // one: the header reads it, and an editor reopened from the cache starts from what was saved.
  const saved = useCallback(
    (journey: Awaited<ReturnType<typeof saveDraft>>) => qc.setQueryData(keys.journey(journeyId), journey),
    [qc, journeyId],
  );

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    if (!pending.current) return;
    pending.current = false;
    setState('saving');
    const { nodes, edges } = store.getState();
    const graph = toGraph(nodes, edges);
    try {
      saved(await saveDraft(journeyId, { name: nameRef.current, graph }));
      setNameError(null);
      setState(pending.current ? 'unsaved' : 'saved');
    } catch (e) {
      // A taken name must not cost the canvas edits made with it: save the graph alone.
      if (e instanceof ApiError && e.body.code === 'journey.name_taken') {
        setNameError(e.body.message);
        try {
          saved(await saveDraft(journeyId, { graph }));
          setState(pending.current ? 'unsaved' : 'saved');
          return;
        } catch {}
      }
      pending.current = true;
      setState('error');
    }
  }, [store, journeyId, saved]);

  const schedule = useCallback(() => {
    if (!enabled) return;
    pending.current = true;
    setState('unsaved');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), 700);
  }, [flush, enabled]);

  useEffect(() => {
    if (nameRef.current === name) return;
    nameRef.current = name;
    schedule();
  }, [name, schedule]);

  useEffect(() => {
    const unsub = store.subscribe((s, prev) => {
      if (s.revision !== prev.revision) schedule();
    });
    const onUnload = (e: BeforeUnloadEvent) => {
      if (pending.current) {
        void flush();
        e.preventDefault();
      }
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      unsub();
      window.removeEventListener('beforeunload', onUnload);
      void flush();
    };
  }, [store, schedule, flush]);

  return { state, flush, nameError };
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

/** Canvas keyboard shortcuts (ignored while typing in a field); read-only keeps fit and Escape. */
export function useShortcuts(store: StoreApi<EditorState>, editable = true) {
  const { fitView } = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.defaultPrevented) return;
      const mod = e.metaKey || e.ctrlKey;
      if (!editable && (mod || e.key.toLowerCase() !== 'f') && e.key !== 'Escape') return;
      const s = store.getState();
      const key = e.key.toLowerCase();
      const act = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (mod && key === 'z') act(e.shiftKey ? s.redo : s.undo);
      else if (mod && key === 'y') act(s.redo);
      else if (mod && key === 'c') act(s.copy);
      else if (mod && key === 'v') act(s.paste);
      else if (mod && key === 'd') act(s.duplicateSelected);
      else if (mod && key === 'a')
        act(() => store.setState({ nodes: s.nodes.map((n) => ({ ...n, selected: true })) }));
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) act(s.deleteSelected);
      else if (!mod && key === 'l')
        act(
          () =>
            void s
              .autoLayout()
              .then(() => requestAnimationFrame(() => void fitView({ ...FIT_VIEW, duration: 200 }))),
        );
      else if (!mod && key === 'f') act(() => void fitView({ ...FIT_VIEW, duration: 200 }));
      else if (e.key === 'Escape') s.select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, fitView, editable]);
}
