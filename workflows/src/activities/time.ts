import { getField, type LocalTime, localTime, safeZone, type Wake, zonedInstant } from '@hourglass/journey';

export { safeZone };

/** Local calendar date `days` after the local date of `ms` (handles month/year rollover). */
function addLocalDays(l: LocalTime, days: number): { y: number; mo: number; d: number; weekday: number } {
  const t = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), weekday: t.getUTCDay() };
}

/** Next instant strictly after `nowMs` at `hour:minute` local time, on one of `weekdays` if given. */
export function nextTimeOfDay(nowMs: number, tz: string, hour: number, minute: number, weekdays?: number[]) {
  const today = localTime(nowMs, tz);
  for (let i = 0; i <= 8; i++) {
    const day = addLocalDays(today, i);
    if (weekdays?.length && !weekdays.includes(day.weekday)) continue;
    const at = zonedInstant(tz, day.y, day.mo, day.d, hour, minute);
    if (at > nowMs) return at;
  }
  return nowMs; // unreachable with a valid weekday list
}

function toInstant(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim()) {
    // A bare date (birthday) means that day in the customer's zone, handled by the caller's hour.
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/**
 * When a non-duration `sleep` wakes, per the plan's `Wake` semantics. Never earlier than `nowMs`:
 * missing data or a time already past means "wake now".
 */
export function computeWakeAt(
  wake: Wake,
  nowMs: number,
  tz: string,
  context: Record<string, unknown>,
): number {
  if (wake.kind === 'duration') return nowMs + wake.ms;
  if (wake.kind === 'time_of_day') return nextTimeOfDay(nowMs, tz, wake.hour, wake.minute, wake.weekdays);
  const base = toInstant(getField(context, wake.field));
  if (base === null) return nowMs;
  let at = base + wake.offsetMs;
  if (wake.hour !== undefined) {
    const l = localTime(at, tz);
    at = zonedInstant(tz, l.year, l.month, l.day, wake.hour, wake.minute ?? 0);
  }
  return Math.max(at, nowMs);
}
