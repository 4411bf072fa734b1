// Time-zone arithmetic on Intl only (a JavaScript built-in, so this stays pure: the browser, the API,
// activities and the channels package share it). A wake time or a quiet-hours end needs just "this
// wall-clock time in that zone", which Intl answers exactly with the runtime's maintained tz database.

const formatters = new Map<string, Intl.DateTimeFormat>();
// Zones already checked (a formatter costs tens of microseconds, and every send asks); customers
// share few zones, and the cap keeps junk input from growing it without bound.
const checkedZones = new Map<string, string>();

/** A valid IANA zone for `tz`, falling back to UTC for missing or unknown zones. */
export function safeZone(tz: string | null | undefined): string {
  if (!tz) return 'UTC';
  const known = checkedZones.get(tz);
  if (known) return known;
  let zone = 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    zone = tz;
  } catch {
    // Unknown zone: UTC.
  }
  if (checkedZones.size < 1_000) checkedZones.set(tz, zone);
  return zone;
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
