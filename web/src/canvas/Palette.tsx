import type { NodeCategory } from '@hourglass/journey';
import { builtinNodes } from '@hourglass/nodes';
import { iconFor } from '../ui/icons';
import { uiOf } from './JourneyNode';

/** Drag payload type for palette items. */
export const DND_TYPE = 'application/x-hourglass-node';

const GROUPS: { id: NodeCategory; label: string }[] = [
  { id: 'trigger', label: 'Start' },
  { id: 'timing', label: 'Timing' },
  { id: 'logic', label: 'Logic' },
  { id: 'action', label: 'Actions' },
  { id: 'flow', label: 'Flow' },
];

/** Node types from the registry, grouped; drag onto the canvas, or press Enter to add at the centre. */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  return (
    <aside className="palette" aria-label="Add a step">
      <h2 className="panel-title">Add a step</h2>
      {GROUPS.map((g) => {
        const defs = builtinNodes.filter((d) => d.category === g.id);
        if (defs.length === 0) return null;
        return (
          <section key={g.id} className="palette-group">
            <h3>{g.label}</h3>
            {defs.map((d) => {
              const ui = uiOf(d.kind);
              const Icon = iconFor(ui.icon);
              return (
                <button
                  type="button"
                  key={d.kind}
                  className="palette-item"
                  draggable
                  data-kind={d.kind}
                  aria-label={`Add step: ${d.label}`}
                  title={d.description}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DND_TYPE, d.kind);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => onAdd(d.kind)}
                >
                  <span className="palette-icon" style={{ background: ui.color }} aria-hidden>
                    <Icon size={14} color="#fff" />
                  </span>
                  <span className="palette-text">
                    <span className="palette-label">{d.label}</span>
                    <span className="palette-desc">{d.description}</span>
                  </span>
                </button>
              );
            })}
          </section>
        );
      })}
    </aside>
  );
}
