import type { Diagnostic, Graph, OutputScope } from '@hourglass/journey';
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { createContext, useContext } from 'react';
import { createStore, type StoreApi, useStore } from 'zustand';
import {
  defaultConfig,
  fromGraph,
  groupByNode,
  type JourneyNode,
  needsLayout,
  newNodeId,
  nodeAriaLabel,
} from './graph';
import { layoutGraph } from './layout';
import { withUniqueStepNames } from './step-names';

type Snapshot = { nodes: JourneyNode[]; edges: Edge[] };

/** Editor state of one journey canvas; one store per mounted editor. */
export interface EditorState {
  nodes: JourneyNode[];
  edges: Edge[];
  past: Snapshot[];
  future: Snapshot[];
  /** Bumped on every graph edit (autosave watches it). */
  revision: number;
  /** Bumped on edits that can change diagnostics (not on moves). */
  logicRevision: number;
  diagnostics: Diagnostic[];
  byNode: Record<string, Diagnostic[]>;
  /** Step outputs that reach each node (`steps.<name>.<field>`), worked out with the diagnostics. */
  outputScopes: ReadonlyMap<string, OutputScope>;
  /** Field the inspector should scroll to and focus (from a clicked diagnostic). */
  focusField: string | null;
  onNodesChange(changes: NodeChange<JourneyNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  onConnect(connection: Connection): void;
  beginDrag(): void;
  /** Adds a node of `kind` (with `config` over its defaults, for palette shortcuts); returns its id. */
  addNode(kind: string, position: XYPosition, config?: Record<string, unknown>): string;
  updateConfig(id: string, config: Record<string, unknown>, coalesceKey?: string): void;
  /** Renames a node's step (`steps.<name>`); typing is one undo step. */
  rename(id: string, name: string): void;
  select(id: string | null, field?: string | null): void;
  deleteSelected(): void;
  duplicateSelected(): void;
  copy(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  /** Tidies the layout with ELK (loaded on first use); resolves once the nodes have moved. */
  autoLayout(): Promise<void>;
  reset(graph: Graph): void;
  setDiagnostics(diagnostics: Diagnostic[], outputScopes?: ReadonlyMap<string, OutputScope>): void;
}

const HISTORY_LIMIT = 100;
let clipboard: Snapshot | null = null; // shared across editors on purpose: copy in one journey, paste in another

const structural = (c: { type: string }) =>
  c.type !== 'select' && c.type !== 'dimensions' && c.type !== 'position';

/** Creates the store of one editor, loaded with a graph. */
export function createEditorStore(graph: Graph): StoreApi<EditorState> {
  let lastCoalesce: { key: string; at: number } | null = null;
  return createStore<EditorState>()((set, get) => {
    /** Records the current graph for undo before an edit. */
    const record = () => {
      const { nodes, edges, past } = get();
      set({ past: [...past.slice(-HISTORY_LIMIT + 1), { nodes, edges }], future: [] });
      lastCoalesce = null;
    };
    const edited = (logic: boolean) => {
      const s = get();
      set({ revision: s.revision + 1, logicRevision: logic ? s.logicRevision + 1 : s.logicRevision });
    };
    const selectedIds = () =>
      new Set(
        get()
          .nodes.filter((n) => n.selected)
          .map((n) => n.id),
      );
    /** Records for undo unless the same field was typed in moments ago. */
    const recordTyping = (key: string) => {
      const now = Date.now();
      if (!lastCoalesce || lastCoalesce.key !== key || now - lastCoalesce.at > 1500) record();
      lastCoalesce = { key, at: now };
    };
    const insert = (snap: Snapshot, offset: number) => {
      const taken = new Set(get().nodes.map((n) => n.id));
      const ids = new Map<string, string>();
      for (const n of snap.nodes) {
        const id = newNodeId(n.type ?? 'node', taken);
        taken.add(id);
        ids.set(n.id, id);
      }
      const copies = snap.nodes.map((n) => ({
        ...n,
        id: ids.get(n.id)!,
        selected: true,
        position: { x: n.position.x + offset, y: n.position.y + offset },
        data: structuredClone(n.data),
      }));
      // A copy of a step with an output reads as its own step, not as the original.
      const nodes = withUniqueStepNames(copies, get().nodes);
      const edges = snap.edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e) => ({
          ...e,
          id: `${ids.get(e.source)}.${e.sourceHandle ?? 'out'}->${ids.get(e.target)}`,
          source: ids.get(e.source)!,
          target: ids.get(e.target)!,
          selected: false,
        }));
      record();
      set({
        nodes: [...get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes],
        edges: [...get().edges, ...edges],
      });
      edited(true);
    };

    const initial = fromGraph(graph);
    // Journeys seeded before templates read top to bottom are laid out left to right. Not an edit: no autosave.
    if (needsLayout(graph)) {
      void layoutGraph(initial.nodes, initial.edges).then((laid) => {
        const at = new Map(laid.map((n) => [n.id, n.position]));
        if (get().revision === 0)
          set({ nodes: get().nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) });
      });
    }
    return {
      ...initial,
      past: [],
      future: [],
      revision: 0,
      logicRevision: 0,
      diagnostics: [],
      byNode: {},
      outputScopes: new Map(),
      focusField: null,
      onNodesChange(changes) {
        if (changes.some(structural)) record();
        set({ nodes: applyNodeChanges(changes, get().nodes) });
        if (changes.some((c) => c.type === 'remove')) edited(true);
        else if (changes.some((c) => c.type === 'position' && !c.dragging)) edited(false);
      },
      onEdgesChange(changes) {
        if (changes.some(structural)) record();
        set({ edges: applyEdgeChanges(changes, get().edges) });
        if (changes.some((c) => c.type === 'remove')) edited(true);
      },
      onConnect(c) {
        record();
        // One edge per output port: a new connection from a port replaces the old one.
        const edges = get().edges.filter(
          (e) => !(e.source === c.source && (e.sourceHandle ?? null) === (c.sourceHandle ?? null)),
        );
        const id = `${c.source}.${c.sourceHandle ?? 'out'}->${c.target}`;
        set({ edges: addEdge({ ...c, id }, edges) });
        edited(true);
      },
      beginDrag: record,
      addNode(kind, position, config) {
        record();
        const id = newNodeId(kind, new Set(get().nodes.map((n) => n.id)));
        const fresh: JourneyNode = {
          id,
          type: kind,
          position,
          selected: true,
          ariaLabel: nodeAriaLabel(kind),
          data: { config: { ...defaultConfig(kind), ...config }, version: 1 },
        };
        // `discount`, then `discount_2`…: a node with an output is named apart from every other step.
        const [node = fresh] = withUniqueStepNames([fresh], get().nodes);
        set({ nodes: [...get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
        edited(true);
        return id;
      },
      updateConfig(id, config, coalesceKey) {
        // Typing in one field is one undo step, not one per keystroke.
        recordTyping(`${id}:${coalesceKey ?? ''}`);
        set({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)) });
        edited(true);
      },
      rename(id, name) {
        recordTyping(`${id}#name`);
        set({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, name } } : n)) });
        edited(true);
      },
      select(id, field = null) {
        set({
          nodes: get().nodes.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id })),
          edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
          focusField: field,
        });
      },
      deleteSelected() {
        const ids = selectedIds();
        const edgeSel = get().edges.some((e) => e.selected);
        if (ids.size === 0 && !edgeSel) return;
        record();
        set({
          nodes: get().nodes.filter((n) => !ids.has(n.id)),
          edges: get().edges.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target)),
        });
        edited(true);
      },
      duplicateSelected() {
        const ids = selectedIds();
        if (ids.size) insert({ nodes: get().nodes.filter((n) => ids.has(n.id)), edges: get().edges }, 40);
      },
      copy() {
        const ids = selectedIds();
        if (!ids.size) return;
        clipboard = structuredClone({
          nodes: get().nodes.filter((n) => ids.has(n.id)),
          edges: get().edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
        });
      },
      paste() {
        if (clipboard) insert(clipboard, 60);
      },
      undo() {
        const { past, future, nodes, edges } = get();
        const prev = past.at(-1);
        if (!prev) return;
        set({ ...prev, past: past.slice(0, -1), future: [{ nodes, edges }, ...future] });
        lastCoalesce = null;
        edited(true);
      },
      redo() {
        const { past, future, nodes, edges } = get();
        const next = future[0];
        if (!next) return;
        set({ ...next, past: [...past, { nodes, edges }], future: future.slice(1) });
        edited(true);
      },
      async autoLayout() {
        const laid = await layoutGraph(get().nodes, get().edges);
        const at = new Map(laid.map((n) => [n.id, n.position]));
        record();
        // Positions only: a node selected or edited while ELK worked keeps that.
        set({ nodes: get().nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) });
        edited(false);
      },
      reset(g) {
        record();
        set({ ...fromGraph(g) });
        edited(true);
      },
      setDiagnostics(diagnostics, outputScopes) {
        set({ diagnostics, byNode: groupByNode(diagnostics), ...(outputScopes ? { outputScopes } : {}) });
      },
    };
  });
}

/** The store of the editor being rendered. */
export const EditorContext = createContext<StoreApi<EditorState> | null>(null);

/** Reads the current editor store with a selector (define selectors at module scope). */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditor outside an editor');
  return useStore(store, selector);
}

/** The current editor store itself, for imperative calls in handlers. */
export function useEditorApi(): StoreApi<EditorState> {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorApi outside an editor');
  return store;
}
