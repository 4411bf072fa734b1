import { getField, type Wake } from '@hourglass/journey';

// Time-zone arithmetic on Intl only: the runtime's tz database is maintained with Node, and a
// wake time needs just "this wall-clock time in that zone", which Intl answers exactly.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A valid IANA zone for `tz`, falling back to UTC for missing or unknown zones. */
export function safeZone(tz: string | null | undefined): string {
  if (!tz) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
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
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Wall-clock fields of an instant in a zone (month 1–12, weekday 0 = Sunday). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall-clock time of `ms` in `tz`. */
export function localTime(ms: number, tz: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Sun'),
  };
}

function offsetAt(ms: number, tz: string): number {
  const l = localTime(ms, tz);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant when the wall clock in `tz` shows the given date and time. Two passes settle DST
 * transitions; a time skipped by a spring-forward gap resolves to the instant just after the gap.
 */
export function zonedInstant(tz: string, y: number, mo: number, d: number, h: number, mi: number): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let guess = naive - offsetAt(naive, tz);
  guess = naive - offsetAt(guess, tz);
  return guess;
}

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
