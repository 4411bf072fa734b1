import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../client';
import { events, messages } from '../../schema';

// What a run's branches read back from engagement events (`message.*`, `sms.replied`, which carry the
// run and step of the message they are about): per message step, delivered, opened, clicked, replied.

const ENGAGEMENT_EVENTS = [
  'message.delivered',
  'message.opened',
  'message.clicked',
  'message.bounced',
  'message.complained',
  'sms.replied',
] as const;

/** What a branch can ask about the message a step of this run sent (`messages.<step>.<field>`). */
export type StepEngagement = {
  sent: boolean;
  delivered: boolean;
  opened: boolean;
  clicked: boolean;
  replied: boolean;
  /** The number in the latest reply, when it was one ("5", "4/5", "five"). */
  replyNumber: number | null;
};

const none = (): StepEngagement => ({
  sent: false,
  delivered: false,
  opened: false,
  clicked: false,
  replied: false,
  replyNumber: null,
});

/**
 * Engagement with each message step of a run, by step id, from its messages and the engagement events
 * about them. A click implies an open and an open a delivery (providers do not always report both).
 */
export async function runMessageEngagement(
  db: Executor,
  workspaceId: string,
  runId: string,
  stepIds: readonly string[],
): Promise<Record<string, StepEngagement>> {
  const ids = [...new Set(stepIds)];
  const out: Record<string, StepEngagement> = Object.fromEntries(ids.map((id) => [id, none()]));
  if (ids.length === 0) return out;
  const sent = await db
    .select({ stepId: messages.stepId })
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, workspaceId),
        eq(messages.runId, runId),
        inArray(messages.stepId, ids),
        inArray(messages.status, ['sent', 'delivered', 'opened', 'clicked']),
      ),
    );
  for (const m of sent) if (m.stepId && out[m.stepId]) out[m.stepId]!.sent = true;
  const rows = await db
    .select({ type: events.type, properties: events.properties })
    .from(events)
    .where(
      and(
        eq(events.workspaceId, workspaceId),
        inArray(events.type, [...ENGAGEMENT_EVENTS]),
        sql`${events.properties}->>'runId' = ${runId}`,
      ),
    )
    .orderBy(events.occurredAt, events.receivedAt);
  for (const { type, properties } of rows) {
    const stepId = properties.stepId;
    const e = typeof stepId === 'string' && Object.hasOwn(out, stepId) ? out[stepId] : undefined;
    if (!e) continue;
    if (type === 'sms.replied') {
      e.replied = true;
      // A reply carries the number it rates with as `number` (or `rating`).
      const n = properties.number ?? properties.rating;
      e.replyNumber = typeof n === 'number' && Number.isFinite(n) ? n : null;
    }
    if (type === 'message.clicked') e.clicked = true;
    if (type === 'message.opened' || e.clicked) e.opened = true;
    if (type === 'message.delivered' || e.opened || e.replied) e.delivered = true;
    if (e.delivered) e.sent = true;
  }
  return out;
}
