import type { Graph } from '@hourglass/journey';
import { templates } from '@hourglass/nodes';
import { Plus, Sparkles } from 'lucide-react';
import { useAccess } from '../access';
import { useCreateJourney, useJourneyStats, useJourneys } from '../api/queries';
import { defaultConfig } from '../canvas/graph';
import { navigate } from '../router';
import { ExportJourneyButton, ImportJourneyButton } from './JourneyImport';

const blankGraph = (): Graph => ({
  nodes: [
    {
      id: 'trigger',
      type: 'trigger',
      position: { x: 0, y: 0 },
      data: { config: defaultConfig('trigger'), version: 1 },
    },
  ],
  edges: [],
});

const count = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString());

function StatCells({ journeyId }: { journeyId: string }) {
  const stats = useJourneyStats(journeyId).data;
  return (
    <>
      <td className="num" data-testid="entered">
        {count(stats?.entered)}
      </td>
      <td className="num">{count(stats?.active)}</td>
      <td className="num">{count(stats?.completed)}</td>
    </>
  );
}

/** Journeys with status and run counts, plus the template gallery. */
export function JourneysPage() {
  const journeys = useJourneys();
  const create = useCreateJourney();
  const open = (id: string) => navigate(`/journeys/${id}`);
  // Support and viewer roles read journeys; creating one is not offered.
  const denied = useAccess().reason('write');
  return (
    <div className="list-page">
      <header className="page-header">
        <h1>Journeys</h1>
        <div className="row">
          {!denied && <ImportJourneyButton />}
          <button
            type="button"
            className="btn primary"
            disabled={create.isPending || !!denied}
            title={denied ?? undefined}
            onClick={() =>
              create.mutate(
                { name: 'Untitled journey', graph: blankGraph(), renameIfTaken: true },
                { onSuccess: (j) => open(j.id) },
              )
            }
          >
            <Plus size={16} /> New journey
          </button>
        </div>
      </header>
      {create.error && <p className="field-error">{create.error.message}</p>}
      <section aria-labelledby="yours">
        <h2 id="yours" className="section-title">
          Your journeys
        </h2>
        {journeys.isLoading && <p className="muted">Loading…</p>}
        {journeys.error && <p className="field-error">Could not load journeys: {journeys.error.message}</p>}
        {journeys.data?.length === 0 && (
          <p className="empty-state">No journeys yet. Start from a template below, or from scratch.</p>
        )}
        {!!journeys.data?.length && (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Live version</th>
                <th className="num">Entered</th>
                <th className="num">Active</th>
                <th className="num">Completed</th>
                <th>Last edited</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {journeys.data.map((j) => (
                <tr key={j.id}>
                  <td>
                    <a
                      href={`/journeys/${j.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        open(j.id);
                      }}
                    >
                      {j.name}
                    </a>
                  </td>
                  <td>
                    <span className={`pill status-${j.status}`}>
                      {j.status.charAt(0).toUpperCase() + j.status.slice(1)}
                    </span>
                  </td>
                  <td>{j.liveVersion ? `v${j.liveVersion}` : '—'}</td>
                  <StatCells journeyId={j.id} />
                  <td className="muted">{j.updatedAt.toLocaleString()}</td>
                  <td>
                    <ExportJourneyButton journeyId={j.id} name={j.name} compact />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {!denied && (
        <section aria-labelledby="templates">
          <h2 id="templates" className="section-title">
            <Sparkles size={16} /> Start from a template
          </h2>
          <div className="template-grid">
            {templates.map((t) => (
              <article key={t.id} className="template-card">
                <h3>{t.name}</h3>
                <p>{t.description}</p>
                <div className="template-foot">
                  <span className="muted small">{t.graph.nodes.length} steps</span>
                  <button
                    type="button"
                    className="btn small"
                    aria-label={`Use template: ${t.name}`}
                    disabled={create.isPending}
                    onClick={() =>
                      create.mutate(
                        {
                          name: t.name,
                          description: t.description,
                          templateKey: t.id,
                          // Templates come laid out top to bottom, each step under its port.
                          graph: t.graph,
                          // A template used twice becomes "<name> (2)": names stay unique.
                          renameIfTaken: true,
                        },
                        { onSuccess: (j) => open(j.id) },
                      )
                    }
                  >
                    Use template
                  </button>
                </div>
              </article>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
