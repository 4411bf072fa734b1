import type { AudienceEstimate as Estimate } from '@hourglass/contract';
import type { Graph } from '@hourglass/journey';
import { useAudienceEstimate } from '../api/journey-draft';
import '../styles/draft.css';

const count = (n: number) => n.toLocaleString('en-US');
const customers = (n: number) => `${count(n)} ${n === 1 ? 'customer' : 'customers'}`;

/** Who the entry keeps, in words: "are in First-time buyers", "match the entry conditions", or both. */
function entryWords(e: Estimate): string | null {
  const one = e.matching === 1;
  const segment = e.entrySegment ? `${one ? 'is' : 'are'} in ${e.entrySegment.name}` : null;
  const conditions = `${one ? 'matches' : 'match'} the entry conditions`;
  if (segment && e.entryConditions) return `${segment} and ${conditions}`;
  return segment ?? (e.entryConditions ? conditions : null);
}

/** The estimate as one sentence: the total, then how each rule narrows it. */
export function estimateSentence(e: Estimate): string {
  const entry = entryWords(e);
  if (e.trigger === 'date') {
    return entry
      ? `About ${customers(e.matching)} ${entry} today; each enters on their own date.`
      : `About ${customers(e.matching)} today; each enters on their own date.`;
  }
  const steps = [`${count(e.hadEvent ?? 0)} had ${e.eventType} in the last ${e.windowDays} days`];
  if (e.passedFilter !== null) steps.push(`${count(e.passedFilter)} of them pass the trigger's filter`);
  if (entry) steps.push(`${count(e.matching)} of them ${entry}`);
  return `About ${customers(e.matching)} ${e.matching === 1 ? 'matches' : 'match'} today: ${steps.join(', ')}.`;
}

/** What "match today" counts, and what it leaves out, so nobody reads the number as a forecast. */
function definition(e: Estimate): string {
  if (e.trigger === 'date')
    return 'Counted now over all customers (those in the entry segment when one is set). Entry limits are not counted.';
  const who =
    e.passedFilter !== null
      ? `customers whose latest ${e.eventType} in the last ${e.windowDays} days passes the trigger's filter`
      : `customers who had ${e.eventType} in the last ${e.windowDays} days`;
  const sampled =
    e.sampled !== null
      ? ` The filter was checked on ${count(e.sampled)} customers picked at random; the counts after it are scaled up.`
      : '';
  return `“Match today” counts ${who} and who are in the entry segment now (everyone, when none is set). Entry limits such as once per order, and events still to come, are not counted.${sampled}`;
}

/** The publish dialog's audience estimate for the canvas as it is now. */
export function AudienceEstimate(props: { journeyId: string; graph: Graph | null; asked: number }) {
  const estimate = useAudienceEstimate(props.journeyId, props.graph, props.asked);
  return (
    <section
      className="audience-estimate"
      aria-label="Audience estimate"
      aria-live="polite"
      data-testid="audience-estimate"
    >
      {estimate.isLoading || !props.graph ? (
        <p className="audience-definition">Counting who this journey would reach…</p>
      ) : estimate.error ? (
        <p className="field-error">Could not estimate the audience: {estimate.error.message}</p>
      ) : estimate.data ? (
        <>
          <p className="audience-headline">{estimateSentence(estimate.data)}</p>
          <p className="audience-definition">{definition(estimate.data)}</p>
        </>
      ) : null}
    </section>
  );
}
