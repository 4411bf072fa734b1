import {
  ChannelSendError,
  type ChannelSendResult,
  type ChannelsConfig,
  createSender,
} from '@hourglass/channels';
import {
  appendAudit,
  countMessageRetries,
  customerSubject,
  type Db,
  eventSubject,
  getCustomer,
  getEvent,
  getMessage,
  getMessageByIdempotencyKey,
  getOrder,
  getRun,
  type JsonObject,
  listRunStepOutputs,
  type Message,
  markRunCancelled,
  orderSubject,
  type Run,
  TERMINAL_RUN_STATUSES,
} from '@hourglass/db';
import { EmailActionInput, type SendRequest, SmsActionInput } from '@hourglass/nodes';
import { cancelRun } from '@hourglass/workflows/client';
import type { TemporalDeps } from '../deps';
import { ApiError, notFound } from '../plugins/errors';
import { loadPlanIndex, outputNameOf } from './timeline';

/** Who acts and why; recorded in the audit log. */
export interface Actor {
  workspaceId: string;
  actor: string;
  reason: string;
}

/**
 * Cancels a run: the cancel signal (with the agent's note) makes the workflow end itself and record
 * it; when the workflow is already gone (or no engine is configured) the row is closed here.
 */
export async function cancelRunAction(
  db: Db,
  temporal: TemporalDeps | null | undefined,
  runId: string,
  who: Actor,
): Promise<{ run: Run; signalled: boolean }> {
  const run = await getRun(db, who.workspaceId, runId);
  if (!run) throw notFound('Run');
  if ((TERMINAL_RUN_STATUSES as readonly string[]).includes(run.status))
    throw new ApiError(409, 'run_ended', `The run already ended (${run.status})`);
  const signalled = temporal
    ? await cancelRun(temporal.client, run.workflowId, {
        reason: 'cancelled',
        by: who.actor,
        note: who.reason,
      })
    : false;
  const closed = signalled ? null : await markRunCancelled(db, who.workspaceId, run.id, new Date());
  await appendAudit(db, who.workspaceId, {
    actor: who.actor,
    action: 'run.cancel',
    target: `run:${run.id}`,
    reason: who.reason,
    details: { workflowId: run.workflowId, signalled, journeyId: run.journeyId, customerId: run.customerId },
  });
  return { run: closed ?? run, signalled };
}

const RETRYABLE = new Set(['failed', 'undelivered']);
/**
 * Retries a failed message by sending the step's content again through the channels package, under
 * a new idempotency key derived from the original (`<key>:retry:<n>`). Why re-send rather than
 * re-queue the workflow step: the run has moved on (or ended) and Temporal activities cannot be
 * re-run in place; a fresh ledger row keeps the original failure visible, and the sender applies
 * consent, suppression and caps again. Two clicks at once derive the same key, so only one sends.
 */
export async function retryMessageAction(
  db: Db,
  channels: ChannelsConfig,
  messageId: string,
  who: Actor,
): Promise<{ message: Message; original: string }> {
  const ws = who.workspaceId;
  const original = await getMessage(db, ws, messageId);
  if (!original) throw notFound('Message');
  if (!RETRYABLE.has(original.status))
    throw new ApiError(
      409,
      'not_retryable',
      `Only failed messages can be retried (this one is ${original.status})`,
    );
  // Test sends have neither a run nor a customer: they are sent again from the editor.
  if (!original.runId || !original.stepId || !original.customerId)
    throw new ApiError(409, 'not_retryable', 'This message was not sent by a journey step');
  const run = await getRun(db, ws, original.runId);
  if (!run) throw notFound('Run');
  const plan = await loadPlanIndex(db, ws, run);
  const step = plan.steps[original.stepId];
  const input = step?.input as Record<string, unknown> | undefined;
  if (!step || !input)
    throw new ApiError(409, 'not_retryable', 'The journey step of this message no longer exists');

  const [customer, order, trigger, outputs] = await Promise.all([
    getCustomer(db, ws, original.customerId),
    run.orderId ? getOrder(db, ws, run.orderId) : null,
    run.triggerEventId ? getEvent(db, ws, run.triggerEventId) : null,
    listRunStepOutputs(db, ws, run.id),
  ]);
  // The message is sent again as the run saw it: with the outputs of the steps before it.
  const steps: Record<string, JsonObject> = {};
  for (const o of outputs) {
    const name = outputNameOf(plan.steps[o.stepId]);
    if (name) steps[name] = o.output;
  }
  if (!customer) throw notFound('Customer');
  const base = original.idempotencyKey.replace(/:retry:\d+$/, '');
  const idempotencyKey = `${base}:retry:${(await countMessageRetries(db, ws, base)) + 1}`;
  const common = {
    idempotencyKey,
    runId: run.id,
    stepId: original.stepId,
    workspaceId: ws,
    journeyId: run.journeyId,
    transactional: original.transactional,
    customer: customerSubject(customer),
    order: order ? orderSubject(order) : null,
    trigger: trigger ? eventSubject(trigger) : null,
    steps,
  };
  const request: SendRequest =
    original.channel === 'email'
      ? { ...common, channel: 'email', ...EmailActionInput.parse(input) }
      : { ...common, channel: 'sms', ...SmsActionInput.parse(input) };

  let outcome: string;
  try {
    const result = (await createSender({ db, config: channels }).send(request)) as ChannelSendResult;
    if (result.deferUntil)
      throw new ApiError(
        409,
        'quiet_hours',
        `Quiet hours for this customer until ${result.deferUntil}; try again later`,
      );
    outcome = result.reason ? `${result.status}: ${result.reason}` : result.status;
  } catch (e) {
    // A provider refusal is recorded on the new message row; report it through that row.
    if (!(e instanceof ChannelSendError)) throw e;
    outcome = `failed: ${e.message}`;
  }
  const message = await getMessageByIdempotencyKey(db, ws, idempotencyKey);
  if (!message) throw new ApiError(409, 'not_sent', `Not sent (${outcome})`);
  await appendAudit(db, ws, {
    actor: who.actor,
    action: 'message.retry',
    target: `message:${original.id}`,
    reason: who.reason,
    details: { newMessageId: message.id, idempotencyKey, outcome, runId: run.id },
  });
  return { message, original: original.id };
}
