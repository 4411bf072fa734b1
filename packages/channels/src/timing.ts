import type { Channel, WorkspaceSettings } from '@hourglass/db';
import { safeZone } from './render/engine';

/** Quiet hours as wall-clock "HH:MM" in the customer's zone; start > end spans midnight. */
export type QuietHours = WorkspaceSettings['quietHours'];

/** Default quiet hours for SMS: no texts between 21:00 and 08:00 customer-local. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** Default marketing frequency caps: at most one email per 16 h and one SMS per 24 h. */
export const DEFAULT_FREQUENCY_CAPS: WorkspaceSettings['frequencyCaps'] = { emailHours: 16, smsHours: 24 };

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(date: Date, tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const get = (type: string) => Number(f.formatToParts(date).find((p) => p.type === type)?.value ?? 0);
  return {
    y: get('year'),
    mo: get('month'),
    d: get('day'),
    h: get('hour'),
    mi: get('minute'),
    s: get('second'),
  };
}

/** Offset of `tz` from UTC at `date`, in minutes. */
function offsetMinutes(date: Date, tz: string): number {
  const p = parts(date, tz);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `tz` reads y-mo-d h:mi (first match across DST shifts). */
function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, tz: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let t = guess - offsetMinutes(new Date(guess), tz) * 60_000;
  // Second pass fixes guesses that landed on the other side of a DST change.
  t = guess - offsetMinutes(new Date(t), tz) * 60_000;
  return new Date(t);
}

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
  const p = parts(now, tz);
  const current = p.h * 60 + p.mi;
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return null;
  // The end lies later today when we are before it, otherwise tomorrow (evening side of midnight).
  const endsTomorrow = start > end && current >= start;
  const day = new Date(Date.UTC(p.y, p.mo - 1, p.d + (endsTomorrow ? 1 : 0)));
  return zonedInstant(
    day.getUTCFullYear(),
    day.getUTCMonth() + 1,
    day.getUTCDate(),
    Math.floor(end / 60),
    end % 60,
    tz,
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
