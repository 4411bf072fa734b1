import type { Json, Step } from '@hourglass/journey';
import {
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  type WorkflowInfo,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  Activities,
  EngineConfig,
  RunRef,
  RunUpdate,
  StepClose,
  StepEnter,
  StepRecord,
} from '../activities/index';
import { canRecordAhead } from '../ahead';
import {
  type CancelRequest,
  cancelSignal,
  ENGINE_REVISION,
  eventSignal,
  type JourneyRunInput,
  journeyStatusSignal,
  type RunEvent,
  searchAttributes,
} from '../contract';
import { bufferEvent, eventMatches, type MatchContext, RunEnd, type RunState } from './run-state';

// What every primitive shares within one run: its state, the activity proxies, signal handling and
// the wait loop. Split out of journey.ts without changing a single command the run issues: golden
// histories replay against it (see ../../histories/README.md).

/** Local activities: cheap (one marker event), for loading the plan and recording pure steps. */
export const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
});
const dataOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2, maximumAttempts: 10 },
} as const;
/**
 * Rules need fresh data and record reasons: an activity retried on database hiccups, regular in
 * revision-1 runs, local from revision 2 ({@link ENGINE_REVISION}).
 */
export const data = proxyActivities<Activities>(dataOptions);
export const dataLocal = proxyLocalActivities<Activities>(dataOptions);

/**
 * Patch: steps stop recording on their own where another write can carry them. A random split's
 * record rides on the next write; the entry of an end, a fixed sleep or an await right after an
 * action (or at the plan's start) is recorded ahead by that activity (or `loadRun`, see ../ahead.ts);
 * and the end no longer upserts CurrentStep (a closed run's status says it all).
 */
export const FOLD_RECORDS_PATCH = 'fold-pure-step-records';

export const MINUTE = 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** One run's shared state and helpers, handed to each primitive. */
export interface RunContext {
  input: JourneyRunInput;
  info: WorkflowInfo;
  s: RunState;
  run: RunRef;
  config: EngineConfig;
  matchCtx: MatchContext;
  /** Set by the cancel / status signals. */
  control: { cancel: CancelRequest | null; paused: boolean };
  /** Steps entered in this execution (reported in the result). */
  stepsRun: number;
  /** Whether this run folds pure steps' records into other writes ({@link FOLD_RECORDS_PATCH}). */
  fold: boolean;
  /** Whether actions and rule decisions run as local activities (revision 2, {@link ENGINE_REVISION}). */
  localSteps: boolean;
  /** Revision 3: the outputs kept so far (`steps.<name>`), handed to later steps; undefined before. */
  outputs: Record<string, Json> | undefined;
  /** The step whose entry the last activity recorded ahead, until that step runs. */
  ahead: Ahead | null;
  /** The step `stepId` as the activity before it may record it ahead (../ahead.ts), if it may. */
  recordableAhead(stepId: string): { step: Step; seq: number } | undefined;
  /** Notes that the activity just run recorded `step` ahead. */
  markAhead(step: Step, seq: number): void;
  /** The note when `step`'s entry was recorded ahead (it then records nothing itself); consumed. */
  takeAhead(step: Step, seq: number): Ahead | null;
  /** The waiting step's close, handed to the next recording exactly once. */
  takeClose(): StepClose | undefined;
  /** What the next write carries for earlier steps: the waiting step's close and pending pure steps. */
  carry(): { close: StepClose | undefined; before?: StepRecord[] };
  /** Queues a pure step's record for the next write (folding runs only). */
  defer(rec: StepRecord): void;
  /** Only parking points update the search attribute: listing runs by step is about where they wait. */
  showStep(stepId: string): void;
  /** Handles buffered signals: duplicates dropped, goal credited, exit conditions end the run. */
  drain(): Promise<void>;
  /** Waits until `pred` holds (true) or `timeoutMs` passes (false), handling events meanwhile. */
  waitFor(pred: () => boolean, timeoutMs: number | null): Promise<boolean>;
  enter(step: Step, seq: number): StepEnter;
  waiting(stepId: string, waitingFor: RunUpdate['waitingFor']): RunUpdate;
}

/** A step whose entry an activity recorded ahead, noted when that activity returned. */
export interface Ahead {
  stepId: string;
  seq: number;
  end: boolean;
  /** Events received up to then: later ones (even those that came while that action ran) count for an await. */
  eventCount: number;
}

/** Registers the signal handlers, loads the run (or resumes carried state) and builds its context. */
export async function openRun(input: JourneyRunInput): Promise<RunContext> {
  const info = workflowInfo();
  // From the run's own input (kept across continue-as-new), so every replay agrees. Revision 2 folds
  // without asking: its runs carry no patch marker (nor the search-attribute upsert that comes with it).
  // (A literal 2: a later revision must not change what a revision-2 history replays to.)
  const localSteps = (input.revision ?? 1) >= 2;
  // Likewise a literal 3: runs of revision 3 and later keep their steps' outputs.
  const keepsOutputs = (input.revision ?? 1) >= 3;
  // Asked once per run, before its first command, so every later branch agrees.
  const fold = localSteps || patched(FOLD_RECORDS_PATCH);
  const inbox: RunEvent[] = [];
  const carried = input.carried as RunState | undefined;
  const control: RunContext['control'] = {
    cancel: carried?.cancel ?? null,
    paused: carried?.paused ?? false,
  };
  setHandler(eventSignal, (e) => void inbox.push(e));
  setHandler(cancelSignal, (r) => {
    control.cancel ??= r;
  });
  setHandler(journeyStatusSignal, (c) => {
    if (c.status === 'archived') control.cancel ??= { reason: 'archived' };
    else control.paused = c.status === 'paused';
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
      ...(fold ? { recordStart: true } : {}),
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
  if (keepsOutputs) s.outputs ??= {};
  const run: RunRef = {
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
    customerId: input.customerId,
    orderId: input.orderId,
    workflowId: info.workflowId,
    runRowId: s.loaded.runRowId,
  };
  const matchCtx: MatchContext = {
    loaded: s.loaded,
    trigger: input.trigger,
    orderId: input.orderId,
    ...(s.outputs ? { steps: s.outputs } : {}),
  };
  let shownStep = '';
  const takeClose = () => {
    const c = s.pendingClose ?? undefined;
    s.pendingClose = null;
    return c;
  };

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
    const { cancel } = control;
    if (cancel) throw new RunEnd('cancelled', cancel.reason, cancel.note ?? null);
  };

  const ctx: RunContext = {
    input,
    info,
    s,
    run,
    config,
    matchCtx,
    control,
    stepsRun: 0,
    fold,
    localSteps,
    outputs: s.outputs,
    ahead: null,
    recordableAhead(stepId) {
      const step = plan.steps[stepId];
      const seq = step ? (s.visits[step.id] ?? 0) : 0;
      return fold && canRecordAhead(step) && seq < plan.maxStepVisits ? { step, seq } : undefined;
    },
    markAhead(step, seq) {
      ctx.ahead = { stepId: step.id, seq, end: step.type === 'end', eventCount: s.eventCount };
      // Closed as interrupted should the run end before reaching it.
      if (step.type !== 'end') s.pendingClose = { ...ctx.enter(step, seq), outcome: 'interrupted' };
    },
    takeAhead(step, seq) {
      const a = ctx.ahead;
      if (!a || a.stepId !== step.id || a.seq !== seq) return null;
      ctx.ahead = null;
      s.pendingClose = null;
      return a;
    },
    takeClose,
    carry() {
      const close = takeClose();
      const before = s.pendingSteps;
      if (!before?.length) return { close };
      s.pendingSteps = [];
      return { close, before };
    },
    defer(rec) {
      s.pendingSteps = [...(s.pendingSteps ?? []), rec];
    },
    showStep(stepId) {
      if (!config.searchAttributes || stepId === shownStep) return;
      shownStep = stepId;
      upsertSearchAttributes([{ key: searchAttributes.CurrentStep, value: stepId }]);
    },
    drain,
    async waitFor(pred, timeoutMs) {
      const deadline = timeoutMs === null ? null : Date.now() + timeoutMs;
      for (;;) {
        await drain();
        if (pred()) return true;
        const wake = () => inbox.length > 0 || control.cancel !== null || pred();
        if (deadline === null) {
          await condition(wake);
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0 || !(await condition(wake, left))) return false;
      }
    },
    enter: (step, seq) => ({
      stepId: step.id,
      nodeId: step.nodeId,
      primitive: step.type,
      seq,
      at: Date.now(),
    }),
    waiting: (stepId, waitingFor) => ({ status: 'waiting', currentStep: stepId, waitingFor }),
  };
  const start = plan.steps[plan.startStep];
  if (!carried && s.loaded.startRecorded && start) ctx.markAhead(start, 0);
  return ctx;
}
