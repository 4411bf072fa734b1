import { emptyNodeAnalytics, type JourneyAnalytics, type NodeAnalytics } from '@hourglass/contract';
import { builtinRegistry } from '@hourglass/nodes';
import { useMemo } from 'react';
import { type EditorState, useEditor } from './store';
import '../styles/report.css';

// The journey's report: one row per message step with what happened to its messages, from the same
// analytics answer as the canvas figures, so the two always agree.

type Step = { id: string; label: string; channel: string };

/** The channel a node kind sends on ("sms.send" → SMS), or null for steps that send nothing. */
function channelOf(kind: string): string | null {
  const send = (builtinRegistry.get(kind)?.actions ?? []).find((a: string) => a.endsWith('.send'));
  if (!send) return null;
  const ch = send.slice(0, -'.send'.length);
  return ch === 'sms' ? 'SMS' : ch.charAt(0).toUpperCase() + ch.slice(1);
}

// A string, so dragging a step re-renders no report.
const selectSteps = (s: EditorState) =>
  JSON.stringify(
    s.nodes.flatMap((n): Step[] => {
      const channel = channelOf(n.type ?? '');
      const label = n.data.label || builtinRegistry.get(n.type ?? '')?.label || n.id;
      return channel ? [{ id: n.id, label, channel }] : [];
    }),
  );

const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
const pct = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 100)}%` : null);

type Col = {
  key: keyof NodeAnalytics;
  label: string;
  /** What the rate is a share of; none: no rate. */
  of?: keyof NodeAnalytics;
  /** Channels that report it (others show a dash). */
  only?: string;
};
const COLS: Col[] = [
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered', of: 'sent' },
  { key: 'opened', label: 'Opened', of: 'delivered', only: 'Email' },
  { key: 'clicked', label: 'Clicked', of: 'delivered' },
  { key: 'replied', label: 'Replied', of: 'delivered', only: 'SMS' },
  { key: 'conversions', label: 'Converted', of: 'sent' },
  { key: 'revenue', label: 'Revenue' },
  { key: 'unsubscribed', label: 'Unsubscribed', of: 'sent' },
];

function Cell({ n, col, channel }: { n: NodeAnalytics; col: Col; channel: string | null }) {
  if (col.only && channel && col.only !== channel)
    return (
      <td className="num muted" title={`${channel} does not report this`}>
        —
      </td>
    );
  const v = n[col.key] as number;
  const rate = col.of ? pct(v, n[col.of] as number) : null;
  return (
    <td className="num" data-col={col.key}>
      {col.key === 'revenue' ? money(v) : v}
      {rate && <span className="report-rate"> {rate}</span>}
    </td>
  );
}

/** Per message step: sent, delivered, opened, clicked, replied, converted, revenue, unsubscribed, with rates. */
export function JourneyReport({ id, data }: { id: string; data: JourneyAnalytics }) {
  const key = useEditor(selectSteps);
  const rows = useMemo(() => {
    const steps = JSON.parse(key) as Step[];
    const byNode = new Map(data.nodes.map((n) => [n.nodeId, n]));
    const onCanvas = new Set(steps.map((s) => s.id));
    // Steps since removed from the draft still sent messages in this range: they stay in the report.
    const gone = data.nodes
      .filter((n) => !onCanvas.has(n.nodeId) && n.sent > 0)
      .map((n) => ({ id: n.nodeId, label: `${n.nodeId} (not in the draft)`, channel: null }));
    return [...steps, ...gone].map((s) => ({ ...s, n: byNode.get(s.id) ?? emptyNodeAnalytics(s.id) }));
  }, [key, data.nodes]);
  const total: NodeAnalytics = emptyNodeAnalytics('total');
  const sums = total as unknown as Record<string, number>;
  // Only what each channel reports: a text's "opened" (implied by its click) is not an email open.
  for (const r of rows)
    for (const c of COLS)
      if (!c.only || !r.channel || c.only === r.channel)
        sums[c.key] = (sums[c.key] ?? 0) + (r.n[c.key] as number);
  return (
    <section
      id={id}
      className="journey-report"
      aria-label="Journey report"
      data-testid="journey-report"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the table may scroll sideways; keyboard users reach the scrolling region with Tab
      tabIndex={0}
    >
      {rows.length === 0 ? (
        <p className="muted small">This journey has no step that sends an email or SMS.</p>
      ) : (
        <table className="table report-table" aria-describedby={`${id}-note`}>
          <caption className="sr-only">Messages by step</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Channel</th>
              {COLS.map((c) => (
                <th key={c.key} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-step={r.id}>
                <th scope="row">{r.label}</th>
                <td>{r.channel ?? '—'}</td>
                {COLS.map((c) => (
                  <Cell key={c.key} n={r.n} col={c} channel={r.channel} />
                ))}
              </tr>
            ))}
          </tbody>
          {rows.length > 1 && (
            <tfoot>
              <tr data-step="total">
                <th scope="row">All messages</th>
                <td />
                {COLS.map((c) => (
                  <Cell key={c.key} n={total} col={c} channel={null} />
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      )}
      {rows.length > 0 && (
        <p className="small muted" id={`${id}-note`}>
          Rates: delivered of sent; opened, clicked and replied of delivered; converted and unsubscribed of
          sent. A conversion counts for the last message the customer clicked, else opened, else received.
        </p>
      )}
    </section>
  );
}
