import type { JourneyDecision } from '@hourglass/contract';
import { navigate } from '../router';
import '../styles/why-not.css';

// "Journeys and why": for each journey whose trigger event the customer had, whether they entered and
// why not, and the events a waiting run ignored. The sentences come from the API, times in the
// customer's zone (named in each one), as on the run timeline.

// The badge names the kind of answer; the sentence beside it gives the whole of it.
const BADGE: Record<string, { text: string; className: string }> = {
  entered: { text: 'Entered', className: 'consent-subscribed' },
  not_live: { text: 'Not live', className: 'consent-unsubscribed' },
  filter: { text: 'Filter', className: 'consent-unsubscribed' },
  no_order: { text: 'No order', className: 'consent-unsubscribed' },
  entry_rule: { text: 'Entry conditions', className: 'consent-unsubscribed' },
  entry_segment: { text: 'Segment', className: 'consent-unsubscribed' },
  entry_period: { text: 'Entry rule', className: 'consent-unsubscribed' },
  already_entered: { text: 'Entry rule', className: 'consent-unsubscribed' },
  already_running: { text: 'Already in it', className: 'consent-unsubscribed' },
  ignored: { text: 'Ignored event', className: 'run-waiting' },
};
const OTHER = { text: 'Not entered', className: 'consent-unsubscribed' };

const opText: Record<string, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  contains: 'contains',
  in: 'is one of',
  exists: 'exists',
};
const show = (v: unknown) => (v === null || v === undefined ? '(missing)' : JSON.stringify(v));

/** The customer's routing decisions, newest first. */
export function JourneyDecisions({ decisions }: { decisions: JourneyDecision[] }) {
  return (
    <section aria-labelledby="why-not" className="why-not">
      <h2 id="why-not">Journeys and why</h2>
      <p className="small muted">
        Every journey whose trigger event this customer had, live or not at the time: entered, or why not.
      </p>
      <ul className="why-not-list" data-testid="why-not">
        {decisions.map((d) => {
          const badge = BADGE[d.outcome] ?? OTHER;
          const failed = d.conditions.filter((c) => !c.passed);
          return (
            <li key={d.id} data-outcome={d.outcome}>
              <span className={`pill ${badge.className}`}>{badge.text}</span> <span>{d.text}</span>
              {failed.length > 0 && (
                <ul className="tl-details">
                  {failed.map((c) => (
                    <li key={`${c.field}-${c.op}`}>
                      <code>{c.field}</code> {opText[c.op] ?? c.op} {show(c.expected)} — was {show(c.actual)}
                    </li>
                  ))}
                </ul>
              )}
              {d.runId && (
                <a
                  className="small"
                  href={`/runs/${d.runId}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/runs/${d.runId}`);
                  }}
                >
                  {' '}
                  Open run<span className="sr-only"> of {d.journeyName}</span>
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
