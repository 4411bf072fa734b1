import type { NodeCategory } from '@hourglass/journey';
import { builtinNodes } from '@hourglass/nodes';
import { useMemo, useState } from 'react';
import { iconFor } from '../ui/icons';
import { uiOf } from './JourneyNode';
import { PRESETS, presetMatches, presetRef } from './presets';

/** Drag payload type for palette items. */
export const DND_TYPE = 'application/x-hourglass-node';

const GROUPS: { id: NodeCategory; label: string }[] = [
  { id: 'trigger', label: 'Start' },
  { id: 'timing', label: 'Timing' },
  { id: 'logic', label: 'Logic' },
  { id: 'action', label: 'Actions' },
  { id: 'flow', label: 'Flow' },
];

type NodeDef = (typeof builtinNodes)[number];

/** Whether every word of the query appears in the step's label, description, kind or keywords. */
export function matchesQuery(d: NodeDef, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [d.label, d.description, d.kind.replaceAll('_', ' '), ...(uiOf(d.kind).keywords ?? [])]
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}

/**
 * Node types from the registry, grouped and searchable; drag one onto the canvas, or press Enter on it
 * (or in the search box, for the first match) to add it at the centre.
 */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      GROUPS.map((g) => ({
        ...g,
        defs: builtinNodes.filter((d) => d.category === g.id && matchesQuery(d, query)),
        presets: PRESETS.filter((p) => p.category === g.id && presetMatches(p, query)),
      })).filter((g) => g.defs.length + g.presets.length > 0),
    [query],
  );
  // What Enter adds: the first match shown, a shortcut too when only shortcuts match ("engagement").
  const firstPreset = groups[0]?.presets[0];
  const first =
    groups[0]?.defs[0] ??
    (firstPreset ? { kind: presetRef(firstPreset), label: firstPreset.label } : undefined);
  const count = groups.reduce((n, g) => n + g.defs.length + g.presets.length, 0);
  return (
    <aside className="palette" aria-label="Add a step">
      <h2 className="panel-title">Add a step</h2>
      <input
        type="search"
        className="palette-search"
        placeholder="Search steps"
        aria-label="Search steps"
        aria-describedby="palette-search-hint"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (!first) return;
          onAdd(first.kind);
          setQuery('');
        }}
      />
      <p id="palette-search-hint" className="sr-only" role="status">
        {query
          ? `${count} ${count === 1 ? 'step matches' : 'steps match'}${first ? `; Enter adds ${first.label}` : ''}`
          : ''}
      </p>
      {groups.length === 0 && (
        <p className="palette-empty muted small">
          No step matches “{query}”. Try “email”, “wait” or “branch”.
        </p>
      )}
      {groups.map((g) => (
        <section key={g.id} className="palette-group">
          <h3>{g.label}</h3>
          {g.defs.map((d) => {
            const ui = uiOf(d.kind);
            const Icon = iconFor(ui.icon);
            return (
              <button
                type="button"
                key={d.kind}
                className={`palette-item${query && d === first ? ' is-first' : ''}`}
                draggable
                data-kind={d.kind}
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
                {/* The name is the visible text, led by what the button does. */}
                <span className="palette-text">
                  <span className="palette-label">
                    <span className="sr-only">Add step: </span>
                    {d.label}
                  </span>{' '}
                  <span className="palette-desc">{d.description}</span>
                </span>
              </button>
            );
          })}
          {g.presets.map((p) => {
            const ui = uiOf(p.kind);
            const Icon = iconFor(ui.icon);
            const ref = presetRef(p);
            return (
              <button
                type="button"
                key={ref}
                className="palette-item"
                draggable
                data-kind={ref}
                title={p.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DND_TYPE, ref);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(ref)}
              >
                <span className="palette-icon" style={{ background: ui.color }} aria-hidden>
                  <Icon size={14} color="#fff" />
                </span>
                <span className="palette-text">
                  <span className="palette-label">
                    <span className="sr-only">Add step: </span>
                    {p.label}
                  </span>{' '}
                  <span className="palette-desc">{p.description}</span>
                </span>
              </button>
            );
          })}
        </section>
      ))}
    </aside>
  );
}
