import type { OutputScope } from '@hourglass/journey';
import { builtinRegistry, type NodeUi, nodeUis } from '@hourglass/nodes';
import { Copy, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useMemo } from 'react';
import type { JourneyNodeData } from '../canvas/graph';
import { uiOf } from '../canvas/JourneyNode';
import { type EditorState, useEditor, useEditorApi } from '../canvas/store';
import { EmailContent } from '../composer/EmailContent';
import { iconFor } from '../ui/icons';
import { Connections } from './Connections';
import { Preview } from './Preview';
import { type FormContext, FormCtx, fieldId, SchemaField } from './SchemaForm';
import { StepName } from './StepName';
import { issuesOf, jsonSchemaOf, setAt, withDefaults } from './schema';

// Selected id only (not the node): dragging changes positions every frame and must not re-render the form.
const selectSelectedId = (s: EditorState): string | null => {
  let found: string | null = null;
  for (const n of s.nodes) {
    if (!n.selected) continue;
    if (found) return null; // several selected: nothing to inspect
    found = n.id;
  }
  return found;
};
const selectByNode = (s: EditorState) => s.byNode;
const selectFocus = (s: EditorState) => s.focusField;
const selectScopes = (s: EditorState) => s.outputScopes;
const NO_OUTPUTS: OutputScope = { outputs: [], journeyOutputs: [], messageSteps: [] };

/** Right-hand panel: the generated form of the selected node, its problems and a preview. */
export function Inspector() {
  const id = useEditor(selectSelectedId);
  if (!id) {
    return (
      <aside className="inspector empty" aria-label="Inspector">
        <p className="muted">
          Select a step to edit it. Drag steps from the left; connect a step's dots to the next step.
        </p>
        <p className="muted small">
          Shortcuts: ⌘/Ctrl Z undo, ⇧⌘Z redo, ⌘C / ⌘V copy & paste, ⌘D duplicate, Delete remove, L tidy up, F
          fit.
        </p>
      </aside>
    );
  }
  return <NodeInspector key={id} id={id} />;
}

function NodeInspector({ id }: { id: string }) {
  // Type and data only: both keep their identity while the node is dragged, so the form does not re-render.
  const selectType = useCallback((s: EditorState) => s.nodes.find((n) => n.id === id)?.type, [id]);
  const selectData = useCallback((s: EditorState) => s.nodes.find((n) => n.id === id)?.data, [id]);
  const type = useEditor(selectType);
  const data = useEditor(selectData);
  if (!data) return null;
  return <NodeForm id={id} kind={type ?? ''} data={data} />;
}

function NodeForm({ id, kind, data }: { id: string; kind: string; data: JourneyNodeData }) {
  const node = { id, data };
  const store = useEditorApi();
  const byNode = useEditor(selectByNode);
  const focus = useEditor(selectFocus);
  const outputs = useEditor(selectScopes).get(id) ?? NO_OUTPUTS;
  const def = builtinRegistry.get(kind);
  const ui = uiOf(kind);
  const Icon = iconFor(ui.icon);
  const diagnostics = byNode[node.id] ?? [];
  const stored = node.data.config;
  // What the step runs with (defaults included) is what the form shows and saves.
  const config = useMemo(
    () => (def ? (withDefaults(jsonSchemaOf(def.config), stored) as Record<string, unknown>) : stored),
    [def, stored],
  );

  const ctx = useMemo<FormContext | null>(() => {
    if (!def) return null;
    const schema = jsonSchemaOf(def.config);
    const errors = issuesOf(def.config, config);
    for (const d of diagnostics) if (d.field && d.severity === 'error') errors[d.field] ??= d.message;
    return {
      nodeId: node.id,
      root: config,
      defs: schema.$defs ?? {},
      fields: (nodeUis as Record<string, NodeUi<unknown>>)[kind]?.fields,
      errors,
      outputs,
      trigger: def.category === 'trigger',
      set: (path, value) =>
        store
          .getState()
          .updateConfig(node.id, setAt(config, path, value) as Record<string, unknown>, path.join('.')),
    };
  }, [def, config, diagnostics, node.id, kind, store, outputs]);

  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(fieldId(node.id, focus.split('.')));
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  }, [focus, node.id]);

  if (!def || !ctx) return <aside className="inspector">Unknown step type “{kind}”.</aside>;
  const schema = jsonSchemaOf(def.config);
  const general = diagnostics.filter((d) => !d.field);
  return (
    <aside className="inspector" aria-label="Inspector">
      <header className="inspector-head">
        <span className="jn-icon" style={{ background: ui.color }} aria-hidden>
          <Icon size={16} color="#fff" />
        </span>
        <div>
          <h2>{node.data.label || def.label}</h2>
          <p className="muted small">{def.description}</p>
        </div>
      </header>
      {general.length > 0 && (
        <ul className="inspector-problems">
          {general.map((d) => (
            <li key={`${d.code}${d.message}`} className={d.severity}>
              {d.message}
            </li>
          ))}
        </ul>
      )}
      {kind === 'send_email' && (
        <EmailContent
          nodeId={node.id}
          stepLabel={node.data.label || def.label}
          config={config}
          diagnostics={diagnostics}
          outputs={outputs}
        />
      )}
      <form
        className="inspector-form"
        aria-label={`${def.label} settings`}
        onSubmit={(e) => e.preventDefault()}
      >
        <StepName
          nodeId={node.id}
          def={def}
          config={config}
          name={node.data.name}
          error={ctx.errors.name}
          onChange={(name) => store.getState().rename(node.id, name)}
        />
        <FormCtx.Provider value={ctx}>
          <SchemaField schema={schema} path={[]} value={config} label="" />
        </FormCtx.Provider>
      </form>
      <Connections id={node.id} kind={kind} config={config} />
      {(kind === 'send_email' || kind === 'send_sms') && (
        <Preview kind={kind} config={config} outputs={outputs.outputs} />
      )}
      <footer className="inspector-actions">
        <button type="button" className="btn small" onClick={() => store.getState().duplicateSelected()}>
          <Copy size={14} /> Duplicate
        </button>
        <button type="button" className="btn small danger" onClick={() => store.getState().deleteSelected()}>
          <Trash2 size={14} /> Delete
        </button>
      </footer>
    </aside>
  );
}
