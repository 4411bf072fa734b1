import type { AudienceEstimate } from '@hourglass/contract';
import {
  countCustomersMatching,
  countTriggerCustomers,
  type Db,
  eventSubjects,
  latestTriggerEvents,
  listSegments,
  QueryTimeoutError,
  type TriggerWindow,
  withTimeout,
} from '@hourglass/db';
import {
  evaluateRule,
  type Graph,
  hasErrors,
  type Plan,
  type Rule,
  ruleConditionCount,
} from '@hourglass/journey';
import { compileJourney } from '@hourglass/nodes';
import { ApiError } from '../plugins/errors';

// "How many customers would this journey let in today", before publishing. The trigger's filter runs in
// memory exactly as routing runs it (evaluateRule on the event, customer and order), on each customer's
// latest trigger event; the entry segment and conditions run in SQL as routing's entry check does.

/** How far back a trigger event counts. */
export const AUDIENCE_WINDOW_DAYS = 30;
/** Per statement: a costly segment answers 422 instead of holding a connection. */
const STATEMENT_TIMEOUT_MS = 3_000;
/** At most this many customers' events go through the filter… */
const SAMPLE_MAX = 5_000;
/** …and fewer for a large filter: customers × conditions stays under this. */
const FILTER_WORK_BUDGET = 2_000_000;
/** Above this many conditions a filter is refused: nobody can read it, and it would make the sample tiny. */
const MAX_FILTER_CONDITIONS = 1_000;

const scale = (n: number, of: number, total: number) => (of === 0 ? 0 : Math.round((n * total) / of));

/** The entry as one rule: the entry conditions and the entry segment, both required; null when neither. */
function entryRule(plan: Plan): Rule | null {
  const parts: Rule[] = [];
  if (plan.entry.segmentRule) parts.push(plan.entry.segmentRule);
  if (plan.entry.segmentId) parts.push({ segment: plan.entry.segmentId });
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { all: parts };
}

/**
 * Estimates a journey's audience from `graph` (the draft). Answers 422 `journey_invalid` with the
 * diagnostics for a graph that does not compile, 422 `filter.too_complex` for a filter over the budget
 * and 422 `audience.too_costly` when counting takes too long. `at` is where the graph sits in the request;
 * `limits` tighten the sample and the time budget (tests).
 */
export async function estimateAudience(
  db: Db,
  workspaceId: string,
  graph: Graph,
  at: string,
  limits: { sampleMax?: number; timeoutMs?: number } = {},
): Promise<AudienceEstimate> {
  const timeoutMs = limits.timeoutMs ?? STATEMENT_TIMEOUT_MS;
  const segments = await listSegments(db, workspaceId);
  const rules = new Map(segments.map((s) => [s.id, s.rule]));
  const compiled = compileJourney(graph, { knownSegments: segments.map((s) => s.id), segmentRules: rules });
  if (!compiled.ok || hasErrors(compiled.diagnostics)) {
    throw new ApiError(
      422,
      'journey_invalid',
      'The journey has problems: fix them to see who it would reach',
      at,
      { diagnostics: compiled.diagnostics },
    );
  }
  const { plan } = compiled;
  const resolve = (id: string) => rules.get(id);
  const entry = entryRule(plan);
  const segment = plan.entry.segmentId ? segments.find((s) => s.id === plan.entry.segmentId) : undefined;
  const base = {
    windowDays: AUDIENCE_WINDOW_DAYS,
    entrySegment: segment ? { id: segment.id, name: segment.name } : null,
    entryConditions: !!plan.entry.segmentRule,
  };
  const trigger = plan.trigger;
  try {
    if (trigger.kind === 'date') {
      const matching = await withTimeout(db, timeoutMs, (tx) =>
        countCustomersMatching(tx, workspaceId, entry ?? { all: [] }, resolve, 'everyone'),
      );
      return {
        ...base,
        trigger: 'date',
        eventType: null,
        hadEvent: null,
        passedFilter: null,
        matching,
        sampled: null,
      };
    }
    const window: TriggerWindow = {
      eventType: trigger.eventType,
      windowDays: AUDIENCE_WINDOW_DAYS,
      needsOrder: plan.scope === 'order',
    };
    const filter = trigger.filter;
    const conditions = filter ? ruleConditionCount(filter) : 0;
    if (conditions > MAX_FILTER_CONDITIONS) {
      const index = graph.nodes.findIndex((n) => n.type === 'trigger');
      throw new ApiError(
        422,
        'filter.too_complex',
        `The trigger's filter has ${conditions} conditions; an estimate takes at most ${MAX_FILTER_CONDITIONS}`,
        `${at}.nodes.${index}.data.config.start.filter`,
      );
    }
    const counted = await withTimeout(db, timeoutMs, async (tx) => {
      const hadEvent = await countTriggerCustomers(tx, workspaceId, window);
      if (!filter) {
        const matching = entry
          ? await countCustomersMatching(tx, workspaceId, entry, resolve, { window })
          : hadEvent;
        return { hadEvent, passedFilter: null, matching, sampled: null };
      }
      const limit = Math.min(
        limits.sampleMax ?? SAMPLE_MAX,
        Math.floor(FILTER_WORK_BUDGET / Math.max(1, conditions)),
      );
      const rows = await latestTriggerEvents(tx, workspaceId, window, limit);
      const passing = rows
        .filter((r) => evaluateRule(filter, eventSubjects(r.customer, r.order, r.event)).result)
        .map((r) => r.customer.id);
      const inEntry = entry
        ? await countCustomersMatching(tx, workspaceId, entry, resolve, { ids: passing })
        : passing.length;
      // Every customer was checked unless the list was cut at `limit`: then the counts are scaled up.
      const total = Math.max(hadEvent, rows.length);
      const sampled = rows.length < total ? rows.length : null;
      return {
        hadEvent: total,
        passedFilter: sampled ? scale(passing.length, rows.length, total) : passing.length,
        matching: sampled ? scale(inEntry, rows.length, total) : inEntry,
        sampled,
      };
    });
    return { ...base, trigger: 'event', eventType: trigger.eventType, ...counted };
  } catch (err) {
    if (err instanceof QueryTimeoutError)
      throw new ApiError(
        422,
        'audience.too_costly',
        'Counting this audience took too long: narrow the entry segment or its conditions',
      );
    throw err;
  }
}
