import {
  AnalyticsQuery,
  emptyNodeAnalytics,
  errorResponses,
  IdParams,
  JourneyAnalytics,
  type NodeAnalytics,
} from '@hourglass/contract';
import { getJourney, getVersion, journeyAnalytics } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { ApiError, notFound } from '../../plugins/errors';

const DAY = 86_400_000;

/** Per-journey and per-node analytics over runs that started in a date range. */
export async function analyticsRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/journeys/:id/analytics',
    {
      config: { access: 'read' },
      schema: {
        tags: ['journeys'],
        summary:
          'Entries, completions, conversions, revenue; per node entered / waiting / sent / … (default: last 30 days)',
        description:
          'Totals of the runs that started between `from` and `to` (default: the last 30 days), for one version or all: entries, completions, conversions within the goal window and their revenue; and per node how many runs entered it, wait there, the messages it sent, delivered, opened, clicked, replied to and unsubscribed after, and the conversions (with revenue) attributed to it: a conversion belongs to the last message of its run the customer clicked before converting, else the last one opened, else the last one sent.',
        params: IdParams,
        querystring: AnalyticsQuery,
        response: { 200: JourneyAnalytics, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const journey = await getJourney(db, workspaceId, request.params.id);
      if (!journey) throw notFound('Journey');
      const q = request.query;
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
      if (from >= to) throw new ApiError(400, 'bad_range', '`from` must be before `to`', 'from');
      const range = { from, to, version: q.version };
      // Whole days come from the daily rollups (kept exact by triggers), partial days from the raw rows.
      const { totals, nodes } = await journeyAnalytics(db, workspaceId, journey.id, range);
      const versionNo = q.version ?? journey.liveVersion;
      const version = versionNo ? await getVersion(db, workspaceId, journey.id, versionNo) : null;
      const goal = (version?.plan as { goal?: { windowHours?: number } | null } | undefined)?.goal;
      return {
        journeyId: journey.id,
        from,
        to,
        ...totals,
        conversionRate: totals.entries ? totals.conversions / totals.entries : 0,
        goalWindowHours: goal?.windowHours ?? null,
        nodes: withTrigger(nodes, version?.graph, totals.entries),
      };
    },
  );
}

/**
 * The trigger records no run step (it compiles to the plan's settings): its "entered" is the runs that
 * entered the journey, the same figure as the summary's entries.
 */
function withTrigger(nodes: NodeAnalytics[], graph: unknown, entries: number): NodeAnalytics[] {
  const triggers = ((graph as { nodes?: Array<{ id: string; type: string }> } | undefined)?.nodes ?? [])
    .filter((n) => n.type === 'trigger')
    .map((n) => n.id);
  if (entries === 0 || triggers.length === 0) return nodes;
  const rest = nodes.filter((n) => !triggers.includes(n.nodeId));
  return [...triggers.map((nodeId) => ({ ...emptyNodeAnalytics(nodeId), entered: entries })), ...rest];
}
