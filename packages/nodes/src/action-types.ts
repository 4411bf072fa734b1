import type { Json } from '@hourglass/journey';
import type { EmailBlocks } from './send_email/blocks';

/**
 * The customer as the action sees it: the subject model (CustomerSubject of @hourglass/journey, built by
 * customerSubject in packages/db) with every field but the id optional, so callers and tests can pass
 * what they have.
 */
export interface CustomerSnapshot {
  id: string;
  externalId?: string | null;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timezone?: string | null;
  timeZone?: string | null;
  locale?: string | null;
  birthday?: string | null;
  createdAt?: string | null;
  tags?: string[];
  attributes?: Record<string, Json>;
  consent?: Record<string, Json>;
  stats?: Record<string, Json>;
}

/**
 * Everything an action knows about where it runs. `idempotencyKey` = `${workflowId}:${stepId}` (plus
 * `:<n>` from the second visit of a step in a loop): the same on every retry of the step.
 */
export interface ActionContext {
  idempotencyKey: string;
  runId: string;
  stepId: string;
  workspaceId: string;
  journeyId: string;
  attempt: number;
  customer: CustomerSnapshot;
  order: Record<string, Json> | null;
  trigger: Record<string, Json> | null;
  /** Outputs of the run's earlier steps by step name (what templates read as `steps.<name>`). */
  steps: Record<string, Json>;
}

/**
 * Outcome of an action. When the node declares an output (`defineNode({ output })`), `output` is
 * validated against it, capped at MAX_OUTPUT_BYTES, recorded on the run step and readable by later
 * steps as `steps.<name>.<field>`.
 */
export interface ActionResult {
  status: 'ok' | 'skipped';
  detail?: string;
  output?: Record<string, Json>;
}

/**
 * An action failure with an explicit retry choice; the activity maps it to Temporal's
 * `ApplicationFailure` (nonRetryable = !retryable). Other thrown errors are treated as retryable.
 */
export class ActionError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.retryable = retryable;
  }
}

/** A message send request handed to the channels package. */
export type SendRequest = {
  idempotencyKey: string;
  runId: string;
  stepId: string;
  workspaceId: string;
  journeyId: string;
  transactional: boolean;
  customer: CustomerSnapshot;
  order: Record<string, Json> | null;
  trigger: Record<string, Json> | null;
  steps: Record<string, Json>;
} & (
  | {
      channel: 'email';
      subject: string;
      preheader: string;
      body: string;
      fromName: string;
      fromEmail: string;
      replyTo: string;
      /** Blocks of an email built in the composer (compiled to HTML by the channels package). */
      blocks?: EmailBlocks;
      /** `support`: to the brand's support address instead of the customer's. */
      to?: 'support';
    }
  | { channel: 'sms'; text: string; sender: string }
);

/** What the channels package reports back; `suppressed`/`skipped` are normal outcomes, not failures. */
export interface SendResult {
  status: 'sent' | 'queued' | 'suppressed' | 'skipped';
  messageId: string | null;
  reason?: string;
}

/** Dependency of the message actions, implemented by the channels package. */
export interface SendDeps {
  send(request: SendRequest): Promise<SendResult>;
}
