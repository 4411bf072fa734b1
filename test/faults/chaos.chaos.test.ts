import { describe, expect, it } from 'vitest';
import { runSoak } from './chaos/soak';

// `npm run test:chaos`: the full soak. HOURGLASS_CHAOS_MINUTES (default 20) and HOURGLASS_CHAOS_RATE
// (events per second, default 30) size it.

const minutes = Number(process.env.HOURGLASS_CHAOS_MINUTES || 20);
const eventsPerSecond = Number(process.env.HOURGLASS_CHAOS_RATE || 30);

describe('chaos soak', () => {
  it(
    `loses, doubles and strands nothing over ${minutes} minutes of kills under load`,
    async () => {
      const { violations } = await runSoak({ minutes, eventsPerSecond });
      expect(violations.slice(0, 50)).toEqual([]);
    },
    // The load, at most ten minutes of settling, the audit and the stack's stop.
    (minutes + 20) * 60_000,
  );
});
