import { type ChannelsConfig, channelsConfigFromEnv } from '@hourglass/channels';
import {
  customerSubject,
  type Db,
  type Executor,
  getOrder,
  getVersion,
  markRunConverted,
  orderSubject,
  upsertRun,
} from '@hourglass/db';
import { Plan } from '@hourglass/journey';
import {
  type ActionContext,
  type ActionKey,
  type ActionServices,
  actionRuntimes,
  bindAction,
} from '@hourglass/nodes';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { aheadRecording, canRecordAhead } from '../ahead';
import { actionFailure, attemptClock, deferralRecording, recordFailedAttempt } from './attempts';
import { loadSubjects } from './context';
import { createDateSweepActivities } from './date-sweep';
import { decideByRules } from './decide';
import { checkedOutput } from './outputs';
import { applyRecording } from './record';
import { channelsSender, SendDeferred, type SenderFactory } from './send';
import { createServiceFactory } from './services';
import { computeWakeAt, safeZone } from './time';
import type {
  ActionInput,
  ActionOutcome,
  ConvertInput,
  DecideInput,
  DecideResult,
  EngineConfig,
  LoadedRun,
  LoadRunInput,
  Recording,
  WakeInput,
} from './types';

export { channelsSender, SendDeferred, type SenderFactory } from './send';
export type * from './types';

/** Defaults of the engine knobs; the worker may override any of them. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  jitterMs: 5 * 60_000,
  searchAttributes: true,
  maxHistoryEvents: 5_000,
  actTimeoutMs: 60_000,
};

/** Dependencies of the activities, passed in by the worker (tests inject their own). */
export interface ActivityDeps {
  db: Db;
  /** Engine knobs, recorded once per run. */
  engine?: Partial<EngineConfig>;
  /** Message sending; given the send time, returns the sender. Default: {@link channelsSender}. */
  sender?: SenderFactory;
  /** Provider keys and links of the default sender; default: read from the environment. */
  channels?: ChannelsConfig;
  /** Action services to replace (the real ones are ./services.ts; the clock and messages are per attempt). */
  services?: Partial<ActionServices>;
}

/**
 * Published versions never change, so a worker parses each pinned plan once and keeps the most
 * recently used ones (a run loads its plan once, but a busy journey starts many runs).
 */
class PlanCache {
  private readonly plans = new Map<string, Plan>();
  constructor(
    private readonly db: Executor,
    private readonly max = 500,
  ) {}

  async get(workspaceId: string, journeyId: string, version: number): Promise<Plan> {
    const key = `${workspaceId}:${journeyId}:${version}`;
    const hit = this.plans.get(key);
    if (hit) {
      this.plans.delete(key);
      this.plans.set(key, hit);
      return hit;
    }
    const row = await getVersion(this.db, workspaceId, journeyId, version);
    if (!row) {
      const msg = `journey ${journeyId} has no version ${version}`;
      throw ApplicationFailure.nonRetryable(msg, 'plan.not_found');
    }
    const parsed = Plan.safeParse(row.plan);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(parsed.error.message, 'plan.invalid');
    this.plans.set(key, parsed.data);
    if (this.plans.size > this.max) this.plans.delete(this.plans.keys().next().value!);
    return parsed.data;
  }
}

/** Builds the activity implementations from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  const { db } = deps;
  const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...deps.engine };
  const channels = deps.channels ?? channelsConfigFromEnv();
  const services = createServiceFactory(db, channels, deps.services);
  const sender = deps.sender ?? channelsSender(db, channels);
  const plans = new PlanCache(db);

  return {
    ...createDateSweepActivities({ db }),

    /** Loads the pinned plan and the run's subjects, and creates the run row. Once per run. */
    async loadRun(input: LoadRunInput): Promise<LoadedRun> {
      const plan = await plans.get(input.workspaceId, input.journeyId, input.version);
      const { customer, order } = await loadSubjects(db, input.workspaceId, input.customerId, input.orderId);
      const row = await upsertRun(db, input.workspaceId, {
        workflowId: input.workflowId,
        journeyId: input.journeyId,
        version: input.version,
        customerId: input.customerId,
        orderId: input.orderId,
        triggerEventId: input.triggerEventId,
        status: 'running',
        currentStep: plan.startStep,
      });
      const start = plan.steps[plan.startStep];
      // The first step's entry rides on this activity when it can (see ../ahead.ts).
      const ahead = input.recordStart && canRecordAhead(start) ? aheadRecording(start, 0, input.at) : null;
      if (ahead) await applyRecording(db, { run: { ...input, runRowId: row.id }, ...ahead });
      return {
        plan,
        runRowId: row.id,
        config,
        customer: customerSubject(customer),
        order: order ? orderSubject(order) : null,
        ...(ahead ? { startRecorded: true } : {}),
      };
    },

    /** Records a pure step (sleep by duration, await, random split, end, pause): one call per step. */
    async recordStep(rec: Recording): Promise<void> {
      await applyRecording(db, rec);
    },

    /** Computes a data-dependent wake time (customer zone, date fields) and records entering the sleep. */
    async computeWake(input: WakeInput): Promise<number> {
      const { run, step } = input;
      const { customer, order } = await loadSubjects(db, run.workspaceId, run.customerId, run.orderId);
      const context = {
        customer: customerSubject(customer),
        order: order ? orderSubject(order) : null,
        trigger: input.trigger,
        steps: input.steps ?? {},
      };
      const at = computeWakeAt(input.wake, step.at, safeZone(customer.timezone), context);
      const until = at + (at > step.at ? input.jitterMs : 0);
      await applyRecording(db, {
        ...input,
        update: {
          status: 'waiting',
          currentStep: step.stepId,
          waitingFor: { kind: 'sleep', until: new Date(until).toISOString() },
        },
      });
      return until;
    },

    /** Evaluates a rules-mode decide against fresh data and records the port and the compared values. */
    async decide(input: DecideInput): Promise<DecideResult> {
      const result = await decideByRules(db, input);
      const finishedAt = input.step.at + 1;
      const next = input.next && Object.hasOwn(input.next, result.port) ? input.next[result.port] : undefined;
      await applyRecording(db, {
        run: input.run,
        before: input.before,
        close: input.close,
        ahead: next && aheadRecording(next.step, next.seq, finishedAt),
        step: {
          ...input.step,
          finishedAt,
          outcome: 'decided',
          port: result.port,
          reasons: result.reasons,
        },
        update: { status: 'running', currentStep: input.step.stepId },
      });
      return result;
    },

    /** Runs an action through the registry (no per-action code here) and records its outcome. */
    async runAction(input: ActionInput): Promise<ActionOutcome> {
      const started = Date.now();
      const { run, step } = input;
      const { info: temporal, log } = Context.current();
      // The workflow's own count when it runs the retries; `step.at` is then this attempt's time.
      const info = input.attemptNumber
        ? { attempt: input.attemptNumber, currentAttemptScheduledTimestampMs: step.at }
        : temporal;
      const attempt = info.attempt;
      const runtime = Object.hasOwn(actionRuntimes, input.action)
        ? actionRuntimes[input.action as ActionKey]
        : undefined;
      if (!runtime)
        throw ApplicationFailure.nonRetryable(`Unknown action "${input.action}"`, 'action.unknown');
      // Workflow time, advanced by the real time spent here: consistent under time-skipping tests.
      const now = attemptClock(step.at, started, info);
      const event = input.event ?? undefined;
      const { customer, order } = await loadSubjects(db, run.workspaceId, run.customerId, run.orderId);
      const send = sender(now, event, customer);
      const scope = { workspaceId: run.workspaceId, runRowId: run.runRowId, stepId: step.stepId, now, log };
      const handler = bindAction(runtime, services({ ...scope, send: (req) => send.send(req) }));
      const ctx: ActionContext = {
        idempotencyKey: input.idempotencyKey,
        runId: run.runRowId,
        stepId: step.stepId,
        workspaceId: run.workspaceId,
        journeyId: run.journeyId,
        attempt,
        customer: customerSubject(customer),
        order: order ? orderSubject(order) : null,
        trigger: input.trigger,
        steps: input.steps ?? {},
      };
      let result: Awaited<ReturnType<typeof handler>>;
      let output: ReturnType<typeof checkedOutput>;
      try {
        result = await handler(input.input, ctx);
        output = checkedOutput(input.action, result);
      } catch (e) {
        const at = now().getTime();
        if (e instanceof SendDeferred) {
          const timeZone = customer.timezone;
          await applyRecording(db, await deferralRecording(db, input, e, { attempt, at, timeZone }));
          return { kind: 'deferred', until: e.until, reason: e.reason };
        }
        const failed = actionFailure(e);
        await recordFailedAttempt(db, input, failed, { attempt, at }, (msg, meta) => log.warn(msg, meta));
        throw failed;
      }
      const messageId = typeof result.output?.messageId === 'string' ? result.output.messageId : null;
      const detail = result.detail ?? null;
      const finishedAt = now().getTime();
      await applyRecording(db, {
        run,
        before: input.before,
        close: input.close,
        ahead: input.next && aheadRecording(input.next.step, input.next.seq, finishedAt),
        step: {
          ...step,
          finishedAt,
          outcome: result.status,
          messageId,
          reasons: detail ? [{ reason: detail, text: `Skipped: ${detail}` }] : null,
          error: null,
          attempt,
          output,
        },
        attempt: { scheduledAt: step.at, attempt, at: finishedAt, outcome: result.status, messageId },
        update: { status: 'running', currentStep: step.stepId },
      });
      return { kind: 'done', status: result.status, detail, messageId, ...(output ? { output } : {}) };
    },

    /** Marks the run converted, with the revenue of the converting order. */
    async markConverted(input: ConvertInput): Promise<{ revenue: number }> {
      const { run } = input;
      const order = input.orderId ? await getOrder(db, run.workspaceId, input.orderId) : null;
      const fromEvent = Number(input.properties.total);
      const revenue = order?.total ?? (Number.isFinite(fromEvent) ? fromEvent : 0);
      await markRunConverted(db, run.workspaceId, run.runRowId, { at: new Date(input.at), revenue });
      return { revenue };
    },
  };
}

/** The activity surface, imported by workflows as a type only. */
export type Activities = ReturnType<typeof createActivities>;
