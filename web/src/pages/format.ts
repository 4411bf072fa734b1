// How the support views write times and customers. A time always says which zone it is in: the run
// page and its timeline use the customer's (as the server's explanations do), tables the browser's.

/** The browser's time zone, which tables are written in. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const validZone = (tz: string | null | undefined) => {
  if (!tz) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
};

/** "Fri, Dec 18, 11:05" in the zone; the year only when it is not this year's. */
export function dateTimeIn(d: Date, timeZone: string | null | undefined): string {
  const tz = validZone(timeZone);
  const year = (x: Date) => new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric' }).format(x);
  const day = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(year(d) === year(new Date()) ? {} : { year: 'numeric' }),
  }).format(d);
  const clock = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${day}, ${clock}`;
}

/** "Fri, Dec 18, 11:05 (Europe/Paris)": the same words as the server's timeline. */
export function inZone(d: Date, timeZone: string | null | undefined): string {
  return `${dateTimeIn(d, timeZone)} (${validZone(timeZone)})`;
}

/** A table cell's time, in the browser's zone (the column header names it, see `yourTimeHint`). */
export const yourTime = (d: Date | null | undefined) => (d ? dateTimeIn(d, browserZone()) : '—');

/** The header hint of a time column: "your time, Europe/Berlin". */
export const yourTimeHint = () => `your time, ${browserZone()}`;

/** A customer as people recognise them: name, else email, phone or external id, never a bare id. */
export function customerLabel(c: {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
}): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name || c.email || c.phone || c.externalId || 'Unnamed customer';
}
