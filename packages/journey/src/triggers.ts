import { evaluateRule, type RuleContext, type RuleReason } from './evaluate';
import type { EntryPolicy, Plan, PlanTrigger } from './plan';
import type { Rule } from './rule';

// Who enters which journey, decided once: routing (every event) and the date sweep (recurring dates)
// both come through here. The date sweep's SQL picks whose day it is; the event it enqueues for them is
// built here and matched back to its journey here, and every entry check (trigger filter, order scope,
// entry rule and segment, re-entry period) runs for both kinds of trigger in `decideEntry`. Pure: what
// needs storage is asked through an `EntryProbe`.

/** A date trigger as a plan states it. */
export type DateTrigger = Extract<PlanTrigger, { kind: 'date' }>;

/** An entry rule as a plan states it. */
export type EntryRule = EntryPolicy['rule'];

/** Synthetic events that start one date-triggered journey: `date.<source>`, naming the journey. */
export const DATE_EVENT_PREFIX = 'date.';

/** Whether the date sweep enqueued this event (it starts its journey; other runs are not told). */
export const isDateEvent = (type: string): boolean => type.startsWith(DATE_EVENT_PREFIX);

const dateEventType = (trigger: DateTrigger) => `${DATE_EVENT_PREFIX}${trigger.source}`;

/** The plan's date trigger, or null when an event starts it: the journeys the date sweep visits. */
export function dateTriggerOf(plan: Pick<Plan, 'trigger'>): DateTrigger | null {
  return plan.trigger?.kind === 'date' ? plan.trigger : null;
}

/**
 * The event the date sweep enqueues for a customer whose day it is. Its id is deterministic per journey,
 * customer and local date, so a second sweep on the same local day enqueues nothing.
 */
export function dateTriggerEvent(
  journeyId: string,
  trigger: DateTrigger,
  due: { customerId: string; localDate: string },
): { id: string; type: string; customerId: string; properties: Record<string, string> } {
  return {
    id: `date:${journeyId}:${due.customerId}:${due.localDate}`,
    type: dateEventType(trigger),
    customerId: due.customerId,
    properties: {
      journeyId,
      localDate: due.localDate,
      ...(trigger.attribute ? { attribute: trigger.attribute } : {}),
    },
  };
}

/** An event as entry decisions read it. */
export interface TriggerEvent {
  id: string;
  type: string;
  orderId: string | null;
  occurredAt: Date;
  properties: Readonly<Record<string, unknown>>;
}

/** Whether an event is this journey's trigger: its event type, or the date sweep's event naming it. */
export function triggerMatches(
  journeyId: string,
  plan: Pick<Plan, 'trigger'>,
  event: Pick<TriggerEvent, 'type' | 'properties'>,
): boolean {
  const t = plan.trigger;
  if (t.kind === 'event') return t.eventType === event.type;
  return event.type === dateEventType(t) && event.properties.journeyId === journeyId;
}

/** Why a customer whose event matched a journey's trigger does not enter it. */
export type EntrySkip = 'filter' | 'no_order' | 'entry_rule' | 'entry_segment' | 'entry_period';

/** The customer's last entry into a journey, as the runs table records it. */
export interface LastEntry {
  triggerEventId: string | null;
  startedAt: Date;
}

/**
 * What entry checks ask of storage, for one customer and journey: entry rules and segments are evaluated
 * in SQL (they may count event history and reference segments), and `at_most_every` needs the last entry.
 */
export interface EntryProbe {
  customerMatches(rule: Rule): Promise<boolean>;
  lastEntry(): Promise<LastEntry | undefined>;
}

/**
 * Whether the customer enters, and the run's order (null for customer-scoped journeys); a failed
 * trigger filter says which conditions it compared (`reasons`), so support can see the values.
 */
export type EntryDecision =
  | { enter: true; orderId: string | null }
  | { enter: false; reason: EntrySkip; reasons?: RuleReason[] };

const DAY_MS = 86_400_000;

/**
 * Decides whether an event that matched the journey's trigger (see {@link triggerMatches}) lets the
 * customer in, checks in this order: the trigger's filter against `context` ({customer, order, trigger,
 * event}), an order for order-scoped journeys, the entry rule, the entry segment, and `at_most_every`'s
 * period since the last entry. Whether this entry already happened is Temporal's to say (the run's
 * deterministic id), not this function's.
 */
export async function decideEntry(
  plan: Pick<Plan, 'trigger' | 'scope' | 'entry'>,
  event: TriggerEvent,
  context: RuleContext,
  probe: EntryProbe,
): Promise<EntryDecision> {
  const skip = (reason: EntrySkip): EntryDecision => ({ enter: false, reason });
  const { trigger, entry } = plan;
  if (trigger.kind === 'event' && trigger.filter) {
    const checked = evaluateRule(trigger.filter, context);
    if (!checked.result) return { enter: false, reason: 'filter', reasons: checked.reasons };
  }
  if (plan.scope === 'order' && !event.orderId) return skip('no_order');
  if (entry.segmentRule && !(await probe.customerMatches(entry.segmentRule))) return skip('entry_rule');
  if (entry.segmentId && !(await probe.customerMatches({ segment: entry.segmentId })))
    return skip('entry_segment');
  if (entry.rule === 'at_most_every') {
    const last = await probe.lastEntry();
    const periodMs = (entry.periodDays ?? 1) * DAY_MS;
    // The run started by an earlier attempt at this same event does not count against it.
    if (
      last &&
      last.triggerEventId !== event.id &&
      event.occurredAt.getTime() - last.startedAt.getTime() < periodMs
    )
      return skip('entry_period');
  }
  return { enter: true, orderId: plan.scope === 'order' ? event.orderId : null };
}
