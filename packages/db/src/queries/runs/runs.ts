import { and, asc, desc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import {
  type Executor,
  givenColumns,
  jsonParam,
  placeholderAs,
  preparedQuery,
  unlessGiven,
} from '../../client';
import {
  type JsonObject,
  journeyRuns,
  messages,
  type Primitive,
  type RunStatus,
  runSteps,
  type StepReason,
  TERMINAL_RUN_STATUSES,
  type WaitingFor,
} from '../../schema';
import type { Message } from '../messages/messages';
import { listRunAttempts, type RunStepAttempt } from './attempts';

/** A journey run row. */
export type Run = typeof journeyRuns.$inferSelect;
/** A run step row. */
export type RunStep = typeof runSteps.$inferSelect;

/** Run state reported by the workflow; absent fields keep their stored value on update. */
export type RunInput = {
  workflowId: string;
  journeyId: string;
  version: number;
  customerId: string;
  orderId?: string | null;
  triggerEventId?: string | null;
  status?: RunStatus;
  currentStep?: string | null;
  waitingFor?: WaitingFor | null;
  endReason?: string | null;
  convertedAt?: Date | null;
  revenue?: number | null;
  endedAt?: Date | null;
};

const isTerminal = (s: RunStatus | undefined) =>
  !!s && (TERMINAL_RUN_STATUSES as readonly string[]).includes(s);

/**
 * Creates the run on first report and updates it afterwards, keyed by workflow id. A run that has
 * ended is never reopened by a late or retried report.
 */
export async function upsertRun(db: Executor, workspaceId: string, input: RunInput): Promise<Run> {
  const status = input.status ?? 'running';
  const endedAt = input.endedAt ?? (isTerminal(status) ? new Date() : undefined);
  const [row] = await upsertRunRow(db, {
    workspaceId,
    workflowId: input.workflowId,
    journeyId: input.journeyId,
    version: input.version,
    customerId: input.customerId,
    orderId: input.orderId ?? null,
    triggerEventId: input.triggerEventId ?? null,
    status,
    currentStep: input.currentStep ?? null,
    waitingFor: jsonParam(input.waitingFor),
    endReason: input.endReason ?? null,
    convertedAt: input.convertedAt ?? null,
    revenue: input.revenue ?? null,
    endedAt: endedAt ?? null,
    given: givenColumns(UPDATABLE, { ...input, endedAt }),
  });
  if (row) return row;
  // Conflict skipped by setWhere: either already ended (return it) or another workspace's id.
  const existing = await getRunByWorkflowId(db, workspaceId, input.workflowId);
  if (!existing) throw new Error(`workflow id ${input.workflowId} belongs to another workspace`);
  return existing;
}

/** Fields a later report may change, with their columns; an absent field keeps the stored value. */
const UPDATABLE = [
  ['status', 'status'],
  ['currentStep', 'current_step'],
  ['waitingFor', 'waiting_for'],
  ['endReason', 'end_reason'],
  ['convertedAt', 'converted_at'],
  ['revenue', 'revenue'],
  ['endedAt', 'ended_at'],
] as const satisfies readonly (readonly [keyof RunInput, string])[];

// Three writes per run (its routing, its load, its end): a prepared statement. Nullable timestamps
// and jsonb are passed as driver values (Date, JSON text) with a cast.
const upsertRunRow = preparedQuery('upsert_run', (db) =>
  db
    .insert(journeyRuns)
    .values({
      workspaceId: sql.placeholder('workspaceId'),
      workflowId: sql.placeholder('workflowId'),
      journeyId: sql.placeholder('journeyId'),
      version: sql.placeholder('version'),
      customerId: sql.placeholder('customerId'),
      orderId: sql.placeholder('orderId'),
      triggerEventId: sql.placeholder('triggerEventId'),
      status: sql.placeholder('status'),
      currentStep: sql.placeholder('currentStep'),
      waitingFor: placeholderAs('waitingFor', 'jsonb'),
      endReason: sql.placeholder('endReason'),
      convertedAt: placeholderAs('convertedAt', 'timestamptz'),
      revenue: placeholderAs('revenue', 'numeric'),
      endedAt: placeholderAs('endedAt', 'timestamptz'),
    })
    .onConflictDoUpdate({
      target: journeyRuns.workflowId,
      set: {
        version: sql`excluded.version`,
        ...Object.fromEntries(
          UPDATABLE.map(([field, column]) => [
            field,
            unlessGiven('journey_runs', column, sql.raw(`excluded.${column}`)),
          ]),
        ),
        updatedAt: sql`now()`,
      },
      setWhere: and(
        eq(journeyRuns.workspaceId, sql.placeholder('workspaceId')),
        notInArray(journeyRuns.status, [...TERMINAL_RUN_STATUSES]),
      ),
    })
    .returning(),
);

/** Records a conversion attributed to the run, even after it ended; the first conversion wins. */
export async function markRunConverted(
  db: Executor,
  workspaceId: string,
  runId: string,
  input: { at: Date; revenue: number },
): Promise<Run | null> {
  const [row] = await db
    .update(journeyRuns)
    .set({ convertedAt: input.at, revenue: input.revenue })
    .where(
      and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.id, runId), sql`converted_at is null`),
    )
    .returning();
  return row ?? null;
}

/** The run with this id in the workspace, or null. */
export async function getRun(db: Executor, workspaceId: string, runId: string): Promise<Run | null> {
  const [row] = await db
    .select()
    .from(journeyRuns)
    .where(and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.id, runId)));
  return row ?? null;
}

/** The run for a Temporal workflow id in the workspace, or null. */
export async function getRunByWorkflowId(
  db: Executor,
  workspaceId: string,
  workflowId: string,
): Promise<Run | null> {
  const [row] = await db
    .select()
    .from(journeyRuns)
    .where(and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.workflowId, workflowId)));
  return row ?? null;
}

/** Runs filtered by journey / customer / status, newest first. */
export async function listRuns(
  db: Executor,
  workspaceId: string,
  opts: {
    journeyId?: string;
    customerId?: string;
    status?: RunStatus[];
    limit?: number;
    offset?: number;
  } = {},
): Promise<Run[]> {
  return db
    .select()
    .from(journeyRuns)
    .where(
      and(
        eq(journeyRuns.workspaceId, workspaceId),
        opts.journeyId ? eq(journeyRuns.journeyId, opts.journeyId) : undefined,
        opts.customerId ? eq(journeyRuns.customerId, opts.customerId) : undefined,
        opts.status?.length ? inArray(journeyRuns.status, opts.status) : undefined,
      ),
    )
    .orderBy(desc(journeyRuns.startedAt), desc(journeyRuns.id))
    .limit(Math.min(opts.limit ?? 50, 500))
    .offset(opts.offset ?? 0);
}

/** The customer's running or waiting runs: the ones an incoming event must be signalled to. */
export async function listActiveRunsForCustomer(
  db: Executor,
  workspaceId: string,
  customerId: string,
): Promise<Run[]> {
  return activeRunsOf(db, { workspaceId, customerId });
}

// Read for every routed event: a prepared statement.
const activeRunsOf = preparedQuery('active_runs_of', (db) =>
  db
    .select()
    .from(journeyRuns)
    .where(
      and(
        eq(journeyRuns.workspaceId, sql.placeholder('workspaceId')),
        eq(journeyRuns.customerId, sql.placeholder('customerId')),
        inArray(journeyRuns.status, ['running', 'waiting']),
      ),
    ),
);

/** A step record; a later call for the same (run, step, seq) fills in what was not known yet. */
export type StepInput = {
  runId: string;
  stepId: string;
  nodeId: string;
  primitive: Primitive;
  seq?: number;
  enteredAt?: Date;
  finishedAt?: Date | null;
  outcome?: string | null;
  port?: string | null;
  reasons?: StepReason[] | null;
  messageId?: string | null;
  error?: JsonObject | null;
  attempt?: number;
  /** The action's declared output (readable by later steps as `steps.<name>`). */
  output?: JsonObject | null;
};

// On conflict: keep what is already recorded unless the new report knows more.
const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, run_steps.${column})`);

/**
 * Records a step idempotently: replays and activity retries land on the same row. Entering and
 * finishing can be two calls; the second fills in finished_at, outcome, port and reasons.
 */
export async function recordStep(db: Executor, workspaceId: string, input: StepInput): Promise<RunStep> {
  const [row] = await recordStepRow(db, {
    workspaceId,
    runId: input.runId,
    stepId: input.stepId,
    nodeId: input.nodeId,
    primitive: input.primitive,
    seq: input.seq ?? 0,
    enteredAt: input.enteredAt ?? null,
    finishedAt: input.finishedAt ?? null,
    outcome: input.outcome ?? null,
    port: input.port ?? null,
    reasons: jsonParam(input.reasons),
    messageId: input.messageId ?? null,
    error: jsonParam(input.error),
    attempt: input.attempt ?? 1,
    output: jsonParam(input.output),
  });
  if (!row) throw new Error(`run ${input.runId} step ${input.stepId} belongs to another workspace`);
  return row;
}

// Every step of every run: a prepared statement. Nullable timestamps and jsonb are passed as driver
// values (Date, JSON text) with a cast; an entry time left out is the database's now.
const recordStepRow = preparedQuery('record_step', (db) =>
  db
    .insert(runSteps)
    .values({
      workspaceId: sql.placeholder('workspaceId'),
      runId: sql.placeholder('runId'),
      stepId: sql.placeholder('stepId'),
      nodeId: sql.placeholder('nodeId'),
      primitive: sql.placeholder('primitive'),
      seq: sql.placeholder('seq'),
      enteredAt: sql`coalesce(${placeholderAs('enteredAt', 'timestamptz')}, now())`,
      finishedAt: placeholderAs('finishedAt', 'timestamptz'),
      outcome: sql.placeholder('outcome'),
      port: sql.placeholder('port'),
      reasons: placeholderAs('reasons', 'jsonb'),
      messageId: sql.placeholder('messageId'),
      error: placeholderAs('error', 'jsonb'),
      attempt: sql.placeholder('attempt'),
      output: placeholderAs('output', 'jsonb'),
    })
    .onConflictDoUpdate({
      target: [runSteps.runId, runSteps.stepId, runSteps.seq],
      set: {
        finishedAt: keep('finished_at'),
        outcome: keep('outcome'),
        port: keep('port'),
        reasons: keep('reasons'),
        messageId: keep('message_id'),
        error: keep('error'),
        output: keep('output'),
        attempt: sql.raw('greatest(excluded.attempt, run_steps.attempt)'),
      },
      setWhere: eq(runSteps.workspaceId, sql.placeholder('workspaceId')),
    })
    .returning(),
);

/** The recorded outputs of a run's steps, oldest first (a loop's later visit comes later). */
export async function listRunStepOutputs(
  db: Executor,
  workspaceId: string,
  runId: string,
): Promise<Array<{ stepId: string; output: JsonObject }>> {
  const rows = await db
    .select({ stepId: runSteps.stepId, output: runSteps.output })
    .from(runSteps)
    .where(and(eq(runSteps.workspaceId, workspaceId), eq(runSteps.runId, runId), isNotNull(runSteps.output)))
    .orderBy(asc(runSteps.enteredAt), asc(runSteps.id));
  return rows.flatMap((r) => (r.output ? [{ stepId: r.stepId, output: r.output }] : []));
}

/** Everything a support agent needs to explain a run: the run, its steps in order, their attempts, its messages. */
export type RunTimeline = { run: Run; steps: RunStep[]; attempts: RunStepAttempt[]; messages: Message[] };

/** The run with its steps (in order), action attempts and messages, or null if not in the workspace. */
export async function getRunTimeline(
  db: Executor,
  workspaceId: string,
  runId: string,
): Promise<RunTimeline | null> {
  const run = await getRun(db, workspaceId, runId);
  if (!run) return null;
  const [steps, attempts, msgs] = await Promise.all([
    db
      .select()
      .from(runSteps)
      .where(and(eq(runSteps.workspaceId, workspaceId), eq(runSteps.runId, runId)))
      .orderBy(asc(runSteps.enteredAt), asc(runSteps.id)),
    listRunAttempts(db, workspaceId, runId),
    db
      .select()
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.runId, runId)))
      .orderBy(asc(messages.createdAt)),
  ]);
  return { run, steps, attempts, messages: msgs };
}
