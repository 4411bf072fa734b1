import { quietHoursDeferral } from '@hourglass/channels';
import type { CustomerRun, MessageView, RunTimelineView, TimelineEntry } from '@hourglass/contract';
import {
  type Db,
  getCustomer,
  getEvent,
  getJourney,
  getRunTimeline,
  getSegment,
  getVersion,
  getWorkspace,
  listAuditForTarget,
  listRunIgnoredEvents,
  type Message,
  type Run,
  WorkspaceSettings,
} from '@hourglass/db';
import type { EntryPolicy, PlanTrigger } from '@hourglass/journey';
import { explainStep, explainWaiting, type MessageFacts, type PlanFacts, runStateText } from './explain';
import { entryTimelineEntry } from './timeline-entry';
import { ignoredTimelineEntry } from './why-not';

/** Link to a workflow in the Temporal UI (TEMPORAL_UI_URL, default the dev server's UI). */
export function temporalUrl(workflowId: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = (env.TEMPORAL_UI_URL || 'http://localhost:8233').replace(/\/+$/, '');
  const ns = env.TEMPORAL_NAMESPACE || 'default';
  return `${base}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(workflowId)}`;
}

type PlanStep = Record<string, unknown> & { id: string; type: string; nodeId: string };
type GraphNode = { id: string; type: string; data?: { label?: string } };

const humanize = (s: string) => s.replaceAll('_', ' ').replace(/^\w/, (c) => c.toUpperCase());

/** Plan facts the explainer needs, from a compiled plan step. */
function planFacts(step: PlanStep | undefined): PlanFacts | undefined {
  if (!step) return undefined;
  const facts: PlanFacts = { type: step.type };
  if (typeof step.action === 'string') facts.action = step.action;
  if (step.wake && typeof step.wake === 'object') facts.wake = step.wake as PlanFacts['wake'] & object;
  if (step.event && typeof step.event === 'object') facts.event = step.event as { type: string };
  if (Array.isArray(step.orEvents)) facts.orEvents = (step.orEvents as { type: string }[]).map((o) => o.type);
  if (Array.isArray(step.cases)) {
    facts.portLabels = Object.fromEntries(
      (step.cases as { port: string; label: string }[]).map((c) => [c.port, c.label]),
    );
    if (typeof step.defaultPort === 'string') facts.defaultPort = step.defaultPort;
  }
  if (step.type === 'end' && typeof step.label === 'string' && step.label) facts.exitLabel = step.label;
  if (Array.isArray(step.weights)) {
    const w = step.weights as { port: string; label: string; percent: number }[];
    facts.weights = w;
    facts.portLabels = Object.fromEntries(w.map((x) => [x.port, x.label || x.port]));
  }
  return facts;
}

/** One line for support: what a step produced and the name later steps read it by. */
function outputLine(name: string | null, output: Record<string, unknown>): string {
  const shown = Object.entries(output)
    .slice(0, 6)
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
    });
  const more = Object.keys(output).length > 6 ? ', …' : '';
  return `${name ? `Kept as steps.${name}` : 'Output'}: ${shown.join(', ')}${more}`;
}

/** The step name a plan step keeps its output under, if any. */
export const outputNameOf = (step: PlanStep | undefined): string | null =>
  typeof step?.outputName === 'string' ? step.outputName : null;

/** The run's version graph and plan, indexed for lookups. */
export async function loadPlanIndex(db: Db, workspaceId: string, run: Run) {
  const version = await getVersion(db, workspaceId, run.journeyId, run.version);
  const plan = version?.plan as
    | { steps?: Record<string, PlanStep>; trigger?: PlanTrigger; entry?: EntryPolicy }
    | undefined;
  const steps = (plan?.steps ?? {}) as Record<string, PlanStep>;
  const nodes = ((version?.graph as { nodes?: GraphNode[] } | undefined)?.nodes ?? []) as GraphNode[];
  const nodeLabel = (nodeId: string) => {
    const n = nodes.find((x) => x.id === nodeId);
    return n ? n.data?.label || humanize(n.type) : null;
  };
  const stepLabel = (stepId: string | null) => {
    if (!stepId) return null;
    const s = steps[stepId];
    return s ? nodeLabel(s.nodeId) : stepId;
  };
  /** The label of the exit node an `end` step belongs to ("Reviewed"), if it has one. */
  const exitLabel = (stepId: string | null) => (stepId && planFacts(steps[stepId])?.exitLabel) || null;
  const trigger = nodes.find((n) => n.type === 'trigger');
  return {
    steps,
    nodeLabel,
    stepLabel,
    exitLabel,
    trigger: plan?.trigger ?? null,
    entry: plan?.entry ?? null,
    triggerNode: trigger ? { id: trigger.id, label: nodeLabel(trigger.id) } : null,
  };
}

/** A message row as the API returns it. */
export const messageView = (m: Message): MessageView => ({
  ...m,
  statusHistory: m.statusHistory.map((h) => ({ ...h, at: new Date(h.at) })),
});

const facts = (m: Message): MessageFacts => ({ ...m, statusHistory: m.statusHistory });

/** A run as listed on a profile: journey name, state in words, and the exit it ended at. */
export function customerRunView(
  run: Run & { journeyName: string },
  timeZone: string,
  plan: Pick<PlanIndex, 'stepLabel' | 'exitLabel'> | undefined,
): CustomerRun {
  const stepLabel = plan?.stepLabel(run.currentStep) ?? null;
  const exitLabel = run.endReason === 'exit_node' ? (plan?.exitLabel(run.currentStep) ?? null) : null;
  return { ...run, exitLabel, state: runStateText(run, timeZone, stepLabel, exitLabel) };
}

/** A run's plan, indexed (see loadPlanIndex). */
export type PlanIndex = Awaited<ReturnType<typeof loadPlanIndex>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything a support agent needs to explain a run, in plain words; null if not in the workspace. */
export async function buildRunTimeline(
  db: Db,
  workspaceId: string,
  runId: string,
): Promise<RunTimelineView | null> {
  const raw = await getRunTimeline(db, workspaceId, runId);
  if (!raw) return null;
  const { run } = raw;
  const [customer, journey, workspace, plan, audit, event, ignored] = await Promise.all([
    getCustomer(db, workspaceId, run.customerId),
    getJourney(db, workspaceId, run.journeyId),
    getWorkspace(db, workspaceId),
    loadPlanIndex(db, workspaceId, run),
    listAuditForTarget(db, workspaceId, [`run:${run.id}`]),
    run.triggerEventId ? getEvent(db, workspaceId, run.triggerEventId) : null,
    listRunIgnoredEvents(db, workspaceId, run.id),
  ]);
  const timeZone = customer?.timezone || 'UTC';
  const settings = WorkspaceSettings.parse(workspace?.settings ?? {});
  const segmentId = plan.entry?.segmentId;
  const segment = segmentId && UUID.test(segmentId) ? await getSegment(db, workspaceId, segmentId) : null;
  // The story starts with why the run exists: its trigger event and the entry rule it passed.
  const entry = entryTimelineEntry({
    run,
    event,
    trigger: plan.trigger,
    entry: plan.entry,
    triggerNode: plan.triggerNode,
    segmentName: segment?.name ?? null,
    timeZone,
  });

  const steps: TimelineEntry[] = raw.steps.map((step) => {
    const planStep = plan.steps[step.stepId];
    const key = `${run.workflowId}:${step.stepId}${step.seq > 0 ? `:${step.seq + 1}` : ''}`;
    const msgs = raw.messages.filter(
      (m) =>
        m.stepId === step.stepId &&
        (m.idempotencyKey === key || m.idempotencyKey.startsWith(`${key}:retry:`) || m.id === step.messageId),
    );
    const transactional = planStep?.transactional === true;
    const attempts = raw.attempts.filter((a) => a.stepId === step.stepId && a.seq === step.seq);
    const explained = explainStep({ ...step, reasons: step.reasons ?? null, attempts }, msgs.map(facts), {
      timeZone,
      run,
      plan: planFacts(planStep),
      nodeLabel: plan.nodeLabel(step.nodeId),
      quietUntil: (at) =>
        transactional || !planStep?.action?.toString().startsWith('sms.')
          ? null
          : quietHoursDeferral(at, timeZone, settings.quietHours),
    });
    return {
      stepId: step.stepId,
      nodeId: step.nodeId,
      nodeLabel: plan.nodeLabel(step.nodeId),
      primitive: step.primitive,
      seq: step.seq,
      at: step.enteredAt,
      finishedAt: step.finishedAt,
      outcome: step.outcome,
      port: step.port,
      tone: explained.tone,
      title: explained.title,
      details: step.output
        ? [...explained.details, outputLine(outputNameOf(planStep), step.output)]
        : explained.details,
      messages: msgs.map(messageView),
      attempts: explained.attempts ?? [],
      output: step.output ? { name: outputNameOf(planStep), values: step.output } : null,
    };
  });
  const entries = [entry, ...steps];
  // Events the run was told while waiting but ignored, in time order after the step that waited.
  for (const d of ignored) {
    const nodeId = d.detail.stepId ? (plan.steps[d.detail.stepId]?.nodeId ?? '') : '';
    const line = ignoredTimelineEntry(d, timeZone, {
      nodeId,
      nodeLabel: nodeId ? plan.nodeLabel(nodeId) : null,
    });
    const after = entries.findIndex((e, i) => i > 0 && e.at.getTime() > line.at.getTime());
    entries.splice(after === -1 ? entries.length : after, 0, line);
  }

  // Cancels, exits and goals end the run without an end step: say how it ended, and who cancelled it.
  const terminal = ['completed', 'exited', 'failed', 'cancelled'].includes(run.status);
  if (terminal && entries.at(-1)?.primitive !== 'end') {
    const cancel = audit.filter((a) => a.action === 'run.cancel').at(-1);
    const title = runStateText(run, timeZone, null, null);
    entries.push({
      stepId: run.currentStep ?? 'end',
      nodeId: '',
      nodeLabel: null,
      primitive: 'end',
      seq: 0,
      at: run.endedAt ?? run.updatedAt,
      finishedAt: run.endedAt,
      outcome: run.endReason,
      port: null,
      tone: run.status === 'completed' ? 'ok' : run.status === 'failed' ? 'failed' : 'info',
      title: cancel ? `${title} by ${cancel.actor.replace(/^user:/, '')}` : title,
      details: cancel?.reason ? [`Reason: ${cancel.reason}`] : [],
      messages: [],
      attempts: [],
    });
  }

  const current = run.currentStep ? plan.steps[run.currentStep] : undefined;
  const waiting = explainWaiting(run, timeZone, {
    label: plan.stepLabel(run.currentStep),
    primitive: current?.type ?? null,
  });
  const name = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ');
  return {
    run: customerRunView({ ...run, journeyName: journey?.name ?? '(deleted journey)' }, timeZone, plan),
    customer: {
      id: run.customerId,
      name: name || customer?.email || customer?.phone || customer?.externalId || 'Unknown customer',
      email: customer?.email ?? null,
      phone: customer?.phone ?? null,
      timezone: customer?.timezone ?? null,
    },
    entries,
    waiting: waiting && { text: waiting.text, until: waiting.until },
    temporalUrl: temporalUrl(run.workflowId),
  };
}
