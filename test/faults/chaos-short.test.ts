import { describe, expect, it } from 'vitest';
import { runSoak } from './chaos/soak';

// The chaos soak in brief, in every `npm test`: three minutes of load at 10 events/s (the rest of the
// suite runs beside it on two cores) with a kill every 4–14 s. The full soak (20 minutes at 30 events/s
// by default) is `npm run test:chaos`.

const MINUTES = 3;

describe('chaos soak (short)', () => {
  it(
    'loses, doubles and strands nothing while APIs, workers, Temporal and PostgreSQL are killed',
    async () => {
      const { violations } = await runSoak({ minutes: MINUTES, eventsPerSecond: 10 });
      expect(violations.slice(0, 30)).toEqual([]);
    },
    (MINUTES + 8) * 60_000,
  );
});
