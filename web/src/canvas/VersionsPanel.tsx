import type { JourneyDiff } from '@hourglass/contract';
import { useQuery } from '@tanstack/react-query';
import { History, RotateCcw, X } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../access';
import { fetchDiff, fetchVersion, useRollback, useVersions } from '../api/queries';
import { VersionDiffView } from './VersionDiffView';

const CHANGE_LABEL = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

/** Published versions, the node-by-node diff of one against the one before, and rollback. */
export function VersionsPanel({
  journeyId,
  liveVersion,
  onClose,
  onRolledBack,
}: {
  journeyId: string;
  liveVersion: number | null;
  onClose: () => void;
  onRolledBack: () => void;
}) {
  const versions = useVersions(journeyId);
  const rollback = useRollback(journeyId);
  const canRollBack = useAccess().can('write');
  const [picked, setPicked] = useState<number | null>(null);
  const list = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  const current = picked ?? list[0]?.version ?? null;
  const diff = useQuery({
    queryKey: ['diff', journeyId, current],
    enabled: current !== null && current > 1,
    queryFn: () => fetchDiff(journeyId, current! - 1, current!),
  });
  const graph = useQuery({
    queryKey: ['version', journeyId, current],
    enabled: current !== null,
    queryFn: () => fetchVersion(journeyId, current!),
  });
  return (
    <aside className="versions" aria-label="Version history">
      <header>
        <h2>
          <History size={16} /> Versions
        </h2>
        <button type="button" className="icon-btn" aria-label="Close versions" onClick={onClose}>
          <X size={16} />
        </button>
      </header>
      {versions.isLoading && <p className="muted">Loading…</p>}
      {list.length === 0 && !versions.isLoading && <p className="muted">Not published yet.</p>}
      <ol className="version-list">
        {list.map((v) => (
          <li key={v.version}>
            <button
              type="button"
              className={`version${v.version === current ? ' active' : ''}`}
              aria-pressed={v.version === current}
              onClick={() => setPicked(v.version)}
            >
              <span className="version-num">v{v.version}</span>
              {v.version === liveVersion && <span className="pill live">Live</span>}
              <span className="version-note">{v.note || 'No note'}</span>
              <span className="muted small">
                {v.author ? `${v.author} · ` : ''}
                {v.publishedAt.toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {current !== null && (
        <section className="diff" aria-label={`Changes in v${current}`}>
          <h3>Changes in v{current}</h3>
          {current === 1 ? <p className="muted small">First version.</p> : <DiffList diff={diff.data} />}
          {graph.data && (
            <VersionDiffView graph={graph.data.graph} diff={current > 1 ? diff.data : undefined} />
          )}
          {current !== liveVersion && canRollBack && (
            <button
              type="button"
              className="btn"
              disabled={rollback.isPending}
              onClick={() => rollback.mutate(current, { onSuccess: onRolledBack })}
            >
              <RotateCcw size={14} /> Roll back to v{current}
            </button>
          )}
          {rollback.error && <p className="field-error">{rollback.error.message}</p>}
        </section>
      )}
    </aside>
  );
}

function DiffList({ diff }: { diff: JourneyDiff | undefined }) {
  if (!diff) return <p className="muted small">Loading changes…</p>;
  if (diff.nodes.length === 0 && diff.edges.added.length === 0 && diff.edges.removed.length === 0)
    return <p className="muted small">No changes to steps.</p>;
  return (
    <ul className="diff-list">
      {diff.nodes.map((n) => (
        <li key={n.nodeId} className={`diff-${n.change}`}>
          <span className="pill">{CHANGE_LABEL[n.change]}</span> {n.nodeId}
          {n.fields.length > 0 && <span className="muted small"> · {n.fields.join(', ')}</span>}
        </li>
      ))}
      {(diff.edges.added.length > 0 || diff.edges.removed.length > 0) && (
        <li className="muted small">
          Connections: +{diff.edges.added.length} / −{diff.edges.removed.length}
        </li>
      )}
    </ul>
  );
}
