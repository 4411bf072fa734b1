import type { Channel, WorkspaceSettings } from '@hourglass/db';
import { localTime, safeZone, zonedInstant } from '@hourglass/journey';

/** Quiet hours as wall-clock "HH:MM" in the customer's zone; start > end spans midnight. */
export type QuietHours = WorkspaceSettings['quietHours'];

/** Default quiet hours for SMS: no texts between 21:00 and 08:00 customer-local. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** Default marketing frequency caps: at most one email per 16 h and one SMS per 24 h. */
export const DEFAULT_FREQUENCY_CAPS: WorkspaceSettings['frequencyCaps'] = { emailHours: 16, smsHours: 24 };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * When an SMS may go out if `now` falls inside quiet hours in `timeZone`, else null. The engine
 * sleeps until the returned time: a deferred message is never dropped.
 */
export function quietHoursDeferral(
  now: Date,
  timeZone: string | null | undefined,
  settings: QuietHours = DEFAULT_QUIET_HOURS,
): Date | null {
  const tz = safeZone(timeZone);
  const start = minutesOf(settings.start);
  const end = minutesOf(settings.end);
  if (start === end) return null;
  const p = localTime(now.getTime(), tz);
  const current = p.hour * 60 + p.minute;
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return null;
  // The end lies later today when we are before it, otherwise tomorrow (evening side of midnight).
  const endsTomorrow = start > end && current >= start;
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + (endsTomorrow ? 1 : 0)));
  return new Date(
    zonedInstant(
      tz,
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      Math.floor(end / 60),
      end % 60,
    ),
  );
}

/** Hours between marketing messages on the channel (0 disables the cap). */
export function capHours(
  channel: Channel,
  caps: WorkspaceSettings['frequencyCaps'] = DEFAULT_FREQUENCY_CAPS,
): number {
  return channel === 'email' ? caps.emailHours : caps.smsHours;
}

/** When the next marketing message may go out, or null if `lastAt` is old enough (or there is none). */
export function frequencyCapUntil(lastAt: Date | null, now: Date, hours: number): Date | null {
  if (!lastAt || hours <= 0) return null;
  const until = new Date(lastAt.getTime() + hours * 3_600_000);
  return until > now ? until : null;
}
