import type { NodeAnalytics } from '@hourglass/contract';
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { useJourneyAnalytics } from '../api/support';

/** Per-node counts shown as badges on the canvas (null when the overlay is off). */
export const useNodeAnalytics = create<{ byNode: Record<string, NodeAnalytics> | null }>(() => ({
  byNode: null,
}));

const day = (d: Date) => d.toISOString().slice(0, 10);
const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

/** Journey analytics header: date range, entries, completions, conversions, revenue; toggles node badges. */
export function AnalyticsBar({ journeyId }: { journeyId: string }) {
  const [on, setOn] = useState(false);
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const a = useJourneyAnalytics(journeyId, from, to, on);
  useEffect(() => {
    useNodeAnalytics.setState({
      byNode: on && a.data ? Object.fromEntries(a.data.nodes.map((n) => [n.nodeId, n])) : null,
    });
  }, [on, a.data]);
  useEffect(() => () => useNodeAnalytics.setState({ byNode: null }), []);
  return (
    <section className="analytics-bar" aria-label="Journey analytics">
      <label className="inline">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Analytics
      </label>
      {on && (
        <>
          <label className="inline small">
            From <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="inline small">
            To <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
          {a.isLoading && <span className="muted small">Loading…</span>}
          {a.error && <span className="field-error small">{a.error.message}</span>}
          {a.data && (
            <dl className="stats-inline" data-testid="journey-analytics">
              <div>
                <dt>Entries</dt>
                <dd>{a.data.entries}</dd>
              </div>
              <div>
                <dt>Active</dt>
                <dd>{a.data.active}</dd>
              </div>
              <div>
                <dt>Completed</dt>
                <dd>{a.data.completions}</dd>
              </div>
              <div>
                <dt>Conversions</dt>
                <dd>
                  {a.data.conversions} ({Math.round(a.data.conversionRate * 100)}%)
                </dd>
              </div>
              <div>
                <dt>Revenue{a.data.goalWindowHours ? ` (${a.data.goalWindowHours} h window)` : ''}</dt>
                <dd>{money(a.data.revenue)}</dd>
              </div>
            </dl>
          )}
        </>
      )}
    </section>
  );
}

/** The badges under a node: entered, waiting, sent, delivered, opened, clicked, failed, skipped. */
export function NodeBadges({ nodeId }: { nodeId: string }) {
  const n = useNodeAnalytics((s) => s.byNode?.[nodeId] ?? null);
  const on = useNodeAnalytics((s) => s.byNode !== null);
  if (!on) return null;
  const skipped = n ? Object.entries(n.skipped) : [];
  const items: [string, number | string][] = n
    ? [
        ['entered', n.entered],
        ...(n.waiting ? [['waiting', n.waiting] as [string, number]] : []),
        ...(n.sent || n.failed || skipped.length
          ? ([
              ['sent', n.sent],
              ['delivered', n.delivered],
              ['opened', n.opened],
              ['clicked', n.clicked],
              ['failed', n.failed],
            ] as [string, number][])
          : []),
        ...skipped.map(([r, c]) => [`skipped ${r.replaceAll('_', ' ')}`, c] as [string, number]),
        ...Object.entries(n.ports).map(([p, c]) => [`→ ${p}`, c] as [string, number]),
      ]
    : [['entered', 0]];
  return (
    <ul className="jn-analytics" aria-label="Node analytics" data-testid={`analytics-${nodeId}`}>
      {items.map(([k, v]) => (
        <li key={k}>
          <span>{k}</span> <strong>{v}</strong>
        </li>
      ))}
    </ul>
  );
}
