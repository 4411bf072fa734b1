import { type Db, refreshJourneyStats } from '@hourglass/db';
import { every } from './periodic';

/**
 * The periodic journey-analytics refresher: every `intervalMs`, recomputes the daily rollups of the days
 * marked dirty since the last pass (queries/journeys/analytics-rollups), within a time budget, so the
 * analytics endpoint rarely has a day to read raw. Two API processes may both run it: a day is
 * refreshed under a lock, and a second refresher finds its marks already gone.
 */
export function startJourneyStatsRefresher(deps: {
  db: Db;
  intervalMs: number;
  budgetMs?: number;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}) {
  return every(deps.intervalMs, () =>
    refreshJourneyStats(deps.db, {
      budgetMs: deps.budgetMs ?? Math.min(deps.intervalMs / 2, 120_000),
    })
      .then((r) => {
        if (r.failed || r.remaining) deps.log.info(r, 'journey analytics refresh');
      })
      .catch((err) => deps.log.warn({ err: String(err) }, 'journey analytics refresh failed')),
  );
}
