import type {
  ActStep,
  AwaitStep,
  DecideRandomStep,
  DecideRulesStep,
  SleepStep,
  Step,
} from '@hourglass/journey';
import { pickWeighted } from '@hourglass/journey';
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, RunRef, RunUpdate, StepClose, StepEnter } from '../activities/index';
import {
  CANCEL_SIGNAL,
  type CancelRequest,
  EVENT_SIGNAL,
  JOURNEY_STATUS_SIGNAL,
  type JourneyRunInput,
  type JourneyStatusChange,
  type RunEvent,
  searchAttributes,
} from '../contract';
import { bufferEvent, eventMatches, jitterFor, RunEnd, type RunResult, type RunState } from './run-state';

// The journey interpreter: ONE workflow type for every journey. It knows the five plan primitives and
// nothing about node types. Any change to what it does for an existing history must go behind
// `patched('<id>')` (see ../../histories/README.md); the golden-history replay test enforces it.

const eventSignal = defineSignal<[RunEvent]>(EVENT_SIGNAL);
const cancelSignal = defineSignal<[CancelRequest]>(CANCEL_SIGNAL);
const statusSignal = defineSignal<[JourneyStatusChange]>(JOURNEY_STATUS_SIGNAL);

// Local activities: cheap (one marker event), for loading the plan and recording pure steps.
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
});
// Rules need fresh data and record reasons: a regular activity, retried on database hiccups.
const data = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2, maximumAttempts: 10 },
});

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Interprets a journey plan for one customer (or order): sleep, await, decide, act, end. */
export async function journeyRun(input: JourneyRunInput): Promise<RunResult> {
  const info = workflowInfo();
  const inbox: RunEvent[] = [];
  const carried = input.carried as RunState | undefined;
  let cancel: CancelRequest | null = carried?.cancel ?? null;
  let paused = carried?.paused ?? false;
  setHandler(eventSignal, (e) => void inbox.push(e));
  setHandler(cancelSignal, (r) => {
    cancel ??= r;
  });
  setHandler(statusSignal, (c) => {
    if (c.status === 'archived') cancel ??= { reason: 'archived' };
    else paused = c.status === 'paused';
  });

  const s: RunState = carried ?? {
    loaded: await local.loadRun({
      workspaceId: input.workspaceId,
      journeyId: input.journeyId,
      version: input.version,
      customerId: input.customerId,
      orderId: input.orderId,
      workflowId: info.workflowId,
      triggerEventId: input.trigger.id,
      at: Date.now(),
    }),
    stepId: '',
    visits: {},
    events: [],
    eventCount: 0,
    seen: [input.trigger.id],
    converted: false,
    startedAt: Date.now(),
    paused: false,
    cancel: null,
    lastEvent: null,
    pendingClose: null,
  };
  const { plan, config } = s.loaded;
  if (!s.stepId) s.stepId = plan.startStep;
  const run: RunRef = {
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
    customerId: input.customerId,
    orderId: input.orderId,
    workflowId: info.workflowId,
    runRowId: s.loaded.runRowId,
  };
  const matchCtx = { loaded: s.loaded, trigger: input.trigger, orderId: input.orderId };
  let stepsRun = 0;
  let shownStep = '';

  /** The waiting step's close, handed to the next recording exactly once. */
  const takeClose = (): StepClose | undefined => {
    const c = s.pendingClose ?? undefined;
    s.pendingClose = null;
    return c;
  };
  // Only parking points update the search attribute: listing runs by step is about where they wait.
  const showStep = (stepId: string) => {
    if (!config.searchAttributes || stepId === shownStep) return;
    shownStep = stepId;
    upsertSearchAttributes([{ key: searchAttributes.CurrentStep, value: stepId }]);
  };

  /** Handles buffered signals: duplicates dropped, goal credited, exit conditions end the run. */
  const drain = async () => {
    while (inbox.length > 0) {
      const event = inbox.shift()!;
      if (s.seen.includes(event.id)) continue;
      bufferEvent(s, event);
      const goal = plan.goal;
      const inWindow = Date.now() - s.startedAt <= (goal?.windowHours ?? 0) * 3_600_000;
      if (
        goal &&
        !s.converted &&
        inWindow &&
        eventMatches({ ...goal, type: goal.eventType, sameOrder: false }, event, matchCtx)
      ) {
        s.converted = true;
        await local.markConverted({
          run,
          at: Date.now(),
          orderId: event.orderId,
          properties: event.properties,
        });
        if (goal.exitOnReach) throw new RunEnd('completed', 'goal_reached');
      }
      if (plan.exits.some((x) => eventMatches({ ...x, type: x.eventType }, event, matchCtx))) {
        throw new RunEnd('exited', 'exit_condition', event.type);
      }
    }
    if (cancel) throw new RunEnd('cancelled', cancel.reason, cancel.note ?? null);
  };

  /** Waits until `pred` holds (true) or `timeoutMs` passes (false), handling events meanwhile. */
  const waitFor = async (pred: () => boolean, timeoutMs: number | null): Promise<boolean> => {
    const deadline = timeoutMs === null ? null : Date.now() + timeoutMs;
    for (;;) {
      await drain();
      if (pred()) return true;
      const wake = () => inbox.length > 0 || cancel !== null || pred();
      if (deadline === null) {
        await condition(wake);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0 || !(await condition(wake, left))) return false;
    }
  };

  const enter = (step: Step, seq: number): StepEnter => ({
    stepId: step.id,
    nodeId: step.nodeId,
    primitive: step.type,
    seq,
    at: Date.now(),
  });
  const waiting = (stepId: string, waitingFor: RunUpdate['waitingFor']): RunUpdate => ({
    status: 'waiting',
    currentStep: stepId,
    waitingFor,
  });

  const sleepStep = async (step: SleepStep, seq: number): Promise<string> => {
    const e = enter(step, seq);
    let until: number;
    if (step.wake.kind === 'duration') {
      until = e.at + step.wake.ms;
      await local.recordStep({
        run,
        close: takeClose(),
        step: e,
        update: waiting(step.id, { kind: 'sleep', until: iso(until) }),
      });
    } else {
      const jitterMs = jitterFor(`${info.workflowId}:${step.id}:${seq}`, config.jitterMs);
      until = await local.computeWake({
        run,
        close: takeClose(),
        step: e,
        wake: step.wake,
        jitterMs,
        trigger: input.trigger,
      });
    }
    showStep(step.id);
    s.pendingClose = { ...e, outcome: 'interrupted' };
    await waitFor(() => false, Math.max(0, until - Date.now()));
    s.pendingClose = { ...e, at: Date.now(), outcome: 'woke' };
    return step.next;
  };

  const awaitStep = async (step: AwaitStep, seq: number): Promise<string> => {
    const e = enter(step, seq);
    const from = step.sinceRunStart ? 0 : s.eventCount;
    const pattern = { ...step.event };
    const found = () => {
      const hit = s.events.find((b) => b.idx >= from && eventMatches(pattern, b.event, matchCtx));
      if (hit) s.lastEvent = hit.event;
      return hit !== undefined;
    };
    const update = waiting(step.id, {
      kind: 'await',
      until: iso(e.at + step.timeoutMs),
      eventType: step.event.type,
    });
    await local.recordStep({ run, close: takeClose(), step: e, update });
    showStep(step.id);
    s.pendingClose = { ...e, outcome: 'interrupted' };
    const happened = await waitFor(found, step.timeoutMs);
    const port = happened ? 'happened' : 'timed_out';
    s.pendingClose = { ...e, at: Date.now(), outcome: port, port };
    return happened ? step.next.happened : step.next.timedOut;
  };

  const decideStep = async (step: DecideRulesStep | DecideRandomStep, seq: number): Promise<string> => {
    const e = enter(step, seq);
    let port: string;
    if (step.mode === 'random') {
      // Pure and deterministic per run: replays and retries pick the same port without an activity.
      port = pickWeighted(step.weights, `${info.workflowId}:${step.id}`) ?? step.weights[0]?.port ?? '';
      const reasons = [
        {
          text: `Random split: ${port}`,
          weights: step.weights.map((w) => ({ port: w.port, percent: w.percent })),
        },
      ];
      await local.recordStep({
        run,
        close: takeClose(),
        step: { ...e, finishedAt: e.at, outcome: 'decided', port, reasons },
        update: { status: 'running', currentStep: step.id },
      });
    } else {
      const { cases, defaultPort } = step;
      ({ port } = await data.decide({
        run,
        close: takeClose(),
        step: e,
        cases,
        defaultPort,
        trigger: input.trigger,
      }));
    }
    const next = step.next[port];
    if (next === undefined) throw ApplicationFailure.nonRetryable(`Step ${step.id} has no output "${port}"`);
    return next;
  };

  const actStep = async (step: ActStep, seq: number): Promise<string> => {
    const e = enter(step, seq);
    const r = step.retry;
    const acts = proxyActivities<Activities>({
      startToCloseTimeout: config.actTimeoutMs,
      retry: {
        maximumAttempts: r.maxAttempts,
        initialInterval: Math.max(100, r.initialIntervalMs),
        backoffCoefficient: r.backoff,
        maximumInterval: Math.max(100, r.maxIntervalMs, r.initialIntervalMs),
      },
    });
    // Visit count keeps loop iterations distinct; the first visit keeps the documented plain key.
    const idempotencyKey = `${info.workflowId}:${step.id}${seq > 0 ? `:${seq + 1}` : ''}`;
    let close = takeClose();
    for (;;) {
      try {
        // Each attempt carries the current workflow time (sends check quiet hours against it); the
        // step keeps its first entry time in the database.
        const out = await acts.runAction({
          run,
          close,
          step: { ...e, at: Date.now() },
          action: step.action,
          input: step.input,
          transactional: step.transactional ?? false,
          idempotencyKey,
          maxAttempts: r.maxAttempts,
          trigger: input.trigger,
          event: s.lastEvent,
        });
        close = undefined;
        if (out.kind === 'done') return step.next;
        // Quiet hours: sleep until allowed (spread by jitter), then run the same step again.
        showStep(step.id);
        s.pendingClose = { ...e, outcome: 'interrupted' };
        const until =
          out.until +
          jitterFor(`${info.workflowId}:${step.id}:defer`, Math.min(config.jitterMs, 10 * MINUTE));
        // Never spin: a deferral always waits at least a minute.
        await waitFor(() => false, Math.max(MINUTE, until - Date.now()));
        s.pendingClose = null;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const cause = err.cause instanceof ApplicationFailure ? err.cause : null;
        const error = { message: cause?.message ?? err.message, type: cause?.type ?? 'activity.failed' };
        await local.recordStep({
          run,
          close,
          step: { ...e, finishedAt: Date.now(), outcome: 'failed', error },
          update: { status: 'running', currentStep: step.id },
        });
        if (step.onFailure === 'exit') throw new RunEnd('exited', 'action_failed', error.message);
        return step.next;
      }
    }
  };

  const finish = async (end: RunEnd, endStep?: { step: Step; seq: number }): Promise<RunResult> => {
    const at = Date.now();
    const stepRec = endStep && { ...enter(endStep.step, endStep.seq), finishedAt: at, outcome: end.reason };
    const update: RunUpdate = {
      status: end.status,
      currentStep: endStep?.step.id ?? s.stepId,
      waitingFor: null,
      endReason: end.reason,
    };
    await local.recordStep({ run, close: takeClose(), step: stepRec, update });
    showStep(`end:${end.reason}`);
    return {
      status: end.status,
      reason: end.reason,
      label: end.label,
      converted: s.converted,
      steps: stepsRun,
    };
  };

  try {
    for (;;) {
      await drain();
      if (paused) {
        // Paused journey: hold before the next step (timers already running keep running).
        await local.recordStep({ run, update: waiting(s.stepId, null) });
        showStep(`paused:${s.stepId}`);
        await waitFor(() => !paused, null);
      }
      const i = workflowInfo();
      if (i.continueAsNewSuggested || i.historyLength > config.maxHistoryEvents) {
        await continueAsNew<typeof journeyRun>({ ...input, carried: { ...s, paused, cancel } });
      }
      const step = plan.steps[s.stepId];
      if (!step) throw ApplicationFailure.nonRetryable(`Plan has no step "${s.stepId}"`);
      const visit = (s.visits[step.id] ?? 0) + 1;
      if (visit > plan.maxStepVisits) throw new RunEnd('exited', 'iteration_limit');
      s.visits[step.id] = visit;
      stepsRun++;
      const seq = visit - 1;
      switch (step.type) {
        case 'sleep':
          s.stepId = await sleepStep(step, seq);
          break;
        case 'await':
          s.stepId = await awaitStep(step, seq);
          break;
        case 'decide':
          s.stepId = await decideStep(step, seq);
          break;
        case 'act':
          s.stepId = await actStep(step, seq);
          break;
        case 'end':
          return await finish(new RunEnd('completed', step.reason, step.label ?? null), { step, seq });
      }
    }
  } catch (err) {
    if (err instanceof RunEnd) return finish(err);
    throw err;
  }
}
