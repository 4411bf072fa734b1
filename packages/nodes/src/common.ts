import type { NodeDiagnostic, RetryPolicy, TimeUnit } from '@hourglass/journey';
import { MAX_DELAY_MS, Rule, UNIT_MS } from '@hourglass/journey';
import { z } from 'zod';

/** Event types the product knows about; any other `namespace.name` is accepted as a custom event. */
export const KNOWN_EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.out_for_delivery',
  'order.delivered',
  'order.delivery_attempted',
  'order.delivery_failed',
  'order.cancelled',
  'order.refunded',
  'review.submitted',
] as const;

/** An event type: a known one or a custom dotted name like `loyalty.points_earned`. */
export const EventType = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/i, 'use a dotted event name like "order.delivered"');

/** An optional condition (null = match everything). */
export const OptionalRule = Rule.nullable().default(null);

/** What happens to the run when an action finally fails. */
export const FailurePolicy = z
  .enum(['continue', 'exit'])
  .default('continue')
  .describe('If it fails: continue the journey, or exit');

/** Retries for message sends: providers throttle, so back off up to 10 minutes. */
export const MESSAGE_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialIntervalMs: 30_000,
  backoff: 2,
  maxIntervalMs: 600_000,
};

/** Retries for webhooks and data updates. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  initialIntervalMs: 10_000,
  backoff: 2,
  maxIntervalMs: 300_000,
};

/** Milliseconds for an amount of a unit. */
export function durationMs(amount: number, unit: TimeUnit): number {
  return amount * UNIT_MS[unit];
}

/** Diagnostics for a delay/timeout length: negative, or longer than two years. */
export function checkDuration(ms: number, field: string, allowZero = true): NodeDiagnostic[] {
  if (ms < 0 || (!allowZero && ms === 0)) {
    return [
      {
        field,
        code: 'delay.negative',
        message: allowZero ? 'Must not be negative' : 'Must be more than zero',
      },
    ];
  }
  if (Math.abs(ms) > MAX_DELAY_MS)
    return [{ field, code: 'delay.too_long', message: 'Longer than two years' }];
  return [];
}

/** Human text for an amount of a unit ("1 day", "3 weeks"). */
export function plural(amount: number, unit: string): string {
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  return `${amount} ${amount === 1 ? singular : `${singular}s`}`;
}

/** Cuts text for one-line summaries. */
export function clip(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
