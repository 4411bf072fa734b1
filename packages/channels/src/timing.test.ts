import { describe, expect, it } from 'vitest';
import { frequencyCapUntil, quietHoursDeferral } from './timing';

describe('quietHoursDeferral', () => {
  it('defers to 08:00 customer-local in New York and Tokyo', () => {
    // 22:30 in New York (EDT, UTC-4) → 08:00 next morning.
    expect(quietHoursDeferral(new Date('2025-06-11T02:30:00Z'), 'America/New_York')?.toISOString()).toBe(
      '2025-06-11T12:00:00.000Z',
    );
    // 03:00 in Tokyo (UTC+9) → 08:00 the same morning.
    expect(quietHoursDeferral(new Date('2025-06-10T18:00:00Z'), 'Asia/Tokyo')?.toISOString()).toBe(
      '2025-06-10T23:00:00.000Z',
    );
    // 12:00 in both: no deferral.
    expect(quietHoursDeferral(new Date('2025-06-10T16:00:00Z'), 'America/New_York')).toBeNull();
    expect(quietHoursDeferral(new Date('2025-06-10T03:00:00Z'), 'Asia/Tokyo')).toBeNull();
  });

  it('honours the boundaries and custom windows', () => {
    const ny = 'America/New_York';
    expect(quietHoursDeferral(new Date('2025-06-11T00:59:00Z'), ny)).toBeNull(); // 20:59
    expect(quietHoursDeferral(new Date('2025-06-11T01:00:00Z'), ny)).not.toBeNull(); // 21:00
    expect(quietHoursDeferral(new Date('2025-06-11T12:00:00Z'), ny)).toBeNull(); // 08:00
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietHoursDeferral(new Date('2025-06-10T16:15:00Z'), ny, lunch)?.toISOString()).toBe(
      '2025-06-10T17:30:00.000Z',
    );
  });

  it('lands on local 08:00 across a DST change and falls back to UTC for unknown zones', () => {
    // 23:00 EST on 8 March 2025; DST starts 9 March, so 08:00 is EDT (UTC-4).
    expect(quietHoursDeferral(new Date('2025-03-09T04:00:00Z'), 'America/New_York')?.toISOString()).toBe(
      '2025-03-09T12:00:00.000Z',
    );
    expect(quietHoursDeferral(new Date('2025-06-10T22:00:00Z'), 'Not/AZone')?.toISOString()).toBe(
      '2025-06-11T08:00:00.000Z',
    );
  });
});

describe('frequencyCapUntil', () => {
  it('caps inside the window only', () => {
    const last = new Date('2025-01-01T00:00:00Z');
    expect(frequencyCapUntil(last, new Date('2025-01-01T10:00:00Z'), 16)?.toISOString()).toBe(
      '2025-01-01T16:00:00.000Z',
    );
    expect(frequencyCapUntil(last, new Date('2025-01-01T16:00:00Z'), 16)).toBeNull();
    expect(frequencyCapUntil(null, new Date(), 16)).toBeNull();
    expect(frequencyCapUntil(last, last, 0)).toBeNull();
  });
});
