import type { TimelineEntry } from '@hourglass/contract';
import type { EntryPolicy, PlanTrigger } from '@hourglass/journey';
import { localTime } from './explain-format';

// The first line of a run's story: which event started it, when, and under which entry rule. Pure.

/** "once per order", "at most once every 30 days". */
export function entryRuleText(entry: EntryPolicy): string {
  switch (entry.rule) {
    case 'once_per_order':
      return 'once per order';
    case 'once_per_customer':
      return 'once per customer';
    case 'every_time':
      return 'every time';
    case 'at_most_every': {
      const days = entry.periodDays ?? 1;
      return days === 1 ? 'at most once a day' : `at most once every ${days} days`;
    }
  }
}

/** What the timeline knows about how a run started. */
export interface EntryFacts {
  run: { startedAt: Date; triggerEventId: string | null };
  /** The stored trigger event (null when it is gone or the run predates recording it). */
  event: { id: string; type: string; occurredAt: Date } | null;
  trigger: PlanTrigger | null;
  entry: EntryPolicy | null;
  /** The journey's trigger node, to place the entry on the canvas. */
  triggerNode: { id: string; label: string | null } | null;
  /** The name of the entry segment, when the journey has one. */
  segmentName: string | null;
  timeZone: string;
}

/** "Entered because order.placed evt_1 at Fri, Dec 18, 11:05 (Europe/Paris), entry rule once per order". */
export function entryTimelineEntry(f: EntryFacts): TimelineEntry {
  const rule = f.entry ? `, entry rule ${entryRuleText(f.entry)}` : '';
  const eventId = f.event?.id ?? f.run.triggerEventId;
  const because = f.event
    ? `because ${f.event.type} ${f.event.id} at ${localTime(f.event.occurredAt, f.timeZone)}`
    : `at ${localTime(f.run.startedAt, f.timeZone)}${eventId ? ` (trigger event ${eventId})` : ''}`;
  const details: string[] = [];
  if (f.trigger?.kind === 'event' && f.trigger.filter) details.push("Matched the trigger's filter");
  if (f.entry?.segmentId) details.push(`In the entry segment ${f.segmentName ?? f.entry.segmentId}`);
  if (f.entry?.segmentRule) details.push('Matched the entry conditions');
  return {
    stepId: 'entry',
    nodeId: f.triggerNode?.id ?? '',
    nodeLabel: f.triggerNode?.label ?? null,
    primitive: 'entry',
    seq: 0,
    at: f.run.startedAt,
    finishedAt: f.run.startedAt,
    outcome: 'entered',
    port: null,
    tone: 'ok',
    title: `Entered ${because}${rule}`,
    details,
    messages: [],
    attempts: [],
    output: null,
  };
}
