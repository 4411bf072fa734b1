import type { JourneyDiff } from '@hourglass/contract';
import { type Db, getVersion, type Journey, listRuns, listSegments } from '@hourglass/db';
import { type Graph, graphContentHash } from '@hourglass/journey';
import { compileJourney } from '@hourglass/nodes';
import { signalJourneyStatus } from '@hourglass/workflows/client';
import type { FastifyBaseLogger } from 'fastify';
import type { TemporalDeps } from '../deps';

/** Compiles a graph with the workspace's facts (which segments exist). */
export async function compileForWorkspace(db: Db, workspaceId: string, graph: unknown) {
  const segments = await listSegments(db, workspaceId);
  return compileJourney(graph, {
    knownSegments: segments.map((s) => s.id),
    segmentRules: new Map(segments.map((s) => [s.id, s.rule])),
  });
}

/**
 * The journey as the API shows it: with `draftDiffers`, whether the saved draft does something the live
 * version does not (positions aside, as in the version diff).
 */
export async function journeyView(db: Db, journey: Journey): Promise<Journey & { draftDiffers: boolean }> {
  if (journey.liveVersion === null) return { ...journey, draftDiffers: false };
  const live = await getVersion(db, journey.workspaceId, journey.id, journey.liveVersion);
  const draftDiffers = !live || graphContentHash(live.graph) !== graphContentHash(journey.draftGraph);
  return { ...journey, draftDiffers };
}

const stable = (v: unknown) => JSON.stringify(v ?? null);

/** Node-by-node difference between two graphs (positions ignored), plus whether the plans differ. */
export function diffGraphs(
  from: { version: number; graph: Graph; planHash: string },
  to: { version: number; graph: Graph; planHash: string },
): JourneyDiff {
  const before = new Map(from.graph.nodes.map((n) => [n.id, n]));
  const after = new Map(to.graph.nodes.map((n) => [n.id, n]));
  const nodes: JourneyDiff['nodes'] = [];
  for (const [id, n] of before)
    if (!after.has(id)) nodes.push({ nodeId: id, change: 'removed', type: n.type, fields: [] });
  for (const [id, n] of after) {
    const old = before.get(id);
    if (!old) {
      nodes.push({ nodeId: id, change: 'added', type: n.type, fields: [] });
      continue;
    }
    const fields: string[] = [];
    if (old.type !== n.type) fields.push('type');
    if (old.data.version !== n.data.version) fields.push('version');
    if (old.data.label !== n.data.label) fields.push('label');
    const keys = new Set([...Object.keys(old.data.config), ...Object.keys(n.data.config)]);
    for (const k of [...keys].sort()) {
      if (stable(old.data.config[k]) !== stable(n.data.config[k])) fields.push(`config.${k}`);
    }
    if (fields.length > 0) nodes.push({ nodeId: id, change: 'changed', type: n.type, fields });
  }
  const edgeKey = (e: Graph['edges'][number]) => `${e.source}.${e.sourceHandle ?? ''}->${e.target}`;
  const edgesBefore = new Set(from.graph.edges.map(edgeKey));
  const edgesAfter = new Set(to.graph.edges.map(edgeKey));
  return {
    from: from.version,
    to: to.version,
    nodes: nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    edges: {
      added: [...edgesAfter].filter((k) => !edgesBefore.has(k)).sort(),
      removed: [...edgesBefore].filter((k) => !edgesAfter.has(k)).sort(),
    },
    planChanged: from.planHash !== to.planHash,
  };
}

/**
 * Tells every in-flight run of the journey its new status. Best effort: the status is already stored,
 * and a run that misses the signal reads the journey status when it next acts.
 */
export async function signalRunsOfJourney(
  db: Db,
  temporal: TemporalDeps | null | undefined,
  journey: Journey,
  status: 'live' | 'paused' | 'archived',
  log: FastifyBaseLogger,
): Promise<{ signalled: number; failed: number }> {
  let signalled = 0;
  let failed = 0;
  for (let offset = 0; ; offset += 500) {
    const runs = await listRuns(db, journey.workspaceId, {
      journeyId: journey.id,
      status: ['running', 'waiting'],
      limit: 500,
      offset,
    });
    for (const run of runs) {
      try {
        if (!temporal) throw new Error('Temporal is not configured');
        await signalJourneyStatus(temporal.client, run.workflowId, { status });
        signalled++;
      } catch (err) {
        failed++;
        log.warn({ err, workflowId: run.workflowId }, 'could not signal journey status');
      }
    }
    if (runs.length < 500) break;
  }
  return { signalled, failed };
}
