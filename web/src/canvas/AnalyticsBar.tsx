import type { NodeAnalytics } from '@hourglass/contract';
import { builtinRegistry } from '@hourglass/nodes';
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { useJourneyAnalytics } from '../api/support';
import { JourneyReport } from './JourneyReport';

/** Per-node counts shown as badges on the canvas (null when the overlay is off). */
export const useNodeAnalytics = create<{ byNode: Record<string, NodeAnalytics> | null }>(() => ({
  byNode: null,
}));

const day = (d: Date) => d.toISOString().slice(0, 10);
const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

/** Journey analytics header: date range, entries, completions, conversions, revenue; toggles node badges. */
export function AnalyticsBar({ journeyId }: { journeyId: string }) {
  const [on, setOn] = useState(false);
  const [report, setReport] = useState(false);
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
    <>
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
            {a.data && (
              <button
                type="button"
                className="btn small"
                aria-expanded={report}
                aria-controls="journey-report"
                onClick={() => setReport(!report)}
              >
                {report ? 'Hide report' : 'Report'}
              </button>
            )}
          </>
        )}
      </section>
      {on && report && a.data && <JourneyReport id="journey-report" data={a.data} />}
    </>
  );
}

/** How conversions are credited to steps (the tooltip on every step's figures says it). */
export const ATTRIBUTION_RULE =
  'A conversion and its revenue are credited to the last message the customer clicked before converting, else the last one they opened, else the last one they received.';

/** Whether a node kind sends messages (its figures lead with sent / conversions / revenue). */
const sendsMessages = (kind: string) =>
  (builtinRegistry.get(kind)?.actions ?? []).some((a: string) => a.endsWith('.send'));

/**
 * The figures under a node: for a message step sent / conversions / revenue in large type, then
 * delivered, opened, clicked, failed and skips; for other steps entered, waiting and ports taken.
 */
export function NodeBadges({ nodeId, kind }: { nodeId: string; kind: string }) {
  const n = useNodeAnalytics((s) => s.byNode?.[nodeId] ?? null);
  const on = useNodeAnalytics((s) => s.byNode !== null);
  if (!on) return null;
  const sends = sendsMessages(kind);
  const skipped = n ? Object.entries(n.skipped) : [];
  const headline: [string, string][] = sends
    ? [
        ['Sent', String(n?.sent ?? 0)],
        ['Conversions', String(n?.conversions ?? 0)],
        ['Revenue', money(n?.revenue ?? 0)],
      ]
    : [
        ['Entered', String(n?.entered ?? 0)],
        ...(n?.waiting ? [['Waiting', String(n.waiting)] as [string, string]] : []),
      ];
  const details: [string, number][] = n
    ? [
        ...(sends
          ? ([
              ['entered', n.entered],
              // Zeros left out: the step stays short enough not to run into the next one.
              ...(
                [
                  ['waiting', n.waiting],
                  ['delivered', n.delivered],
                  ['opened', n.opened],
                  ['clicked', n.clicked],
                  ['replied', n.replied],
                  ['unsubscribed', n.unsubscribed],
                  ['failed', n.failed],
                ] as [string, number][]
              ).filter(([, v]) => v > 0),
            ] as [string, number][])
          : []),
        ...skipped.map(([r, c]) => [`skipped ${r.replaceAll('_', ' ')}`, c] as [string, number]),
        ...Object.entries(n.ports).map(([p, c]) => [`→ ${p}`, c] as [string, number]),
      ]
    : [];
  return (
    <div className="jn-analytics" data-testid={`analytics-${nodeId}`}>
      <dl className="jn-metrics" title={sends ? ATTRIBUTION_RULE : undefined}>
        {headline.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {details.length > 0 && (
        <ul className="jn-metric-details" aria-label="More figures">
          {details.map(([k, v]) => (
            <li key={k}>
              <span>{k}</span> <strong>{v}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
