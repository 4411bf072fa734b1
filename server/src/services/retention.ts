import { type Db, pruneAllWorkspaces } from '@hourglass/db';
import { every } from './periodic';

/**
 * The periodic retention pass (queries/retention): every `intervalMs`, each workspace's expired events
 * and finished runs' step history, in small batches within a time budget; what a round leaves is the
 * next round's. Two API processes may both run it: the batches are idempotent deletes.
 */
export function startRetention(deps: {
  db: Db;
  intervalMs: number;
  budgetMs?: number;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}) {
  return every(deps.intervalMs, () =>
    pruneAllWorkspaces(deps.db, {
      budgetMs: deps.budgetMs ?? Math.min(deps.intervalMs / 2, 300_000),
    })
      .then((r) => {
        if (r.events || r.inboundMessages || r.clicks || r.runSteps || r.messageHistories)
          deps.log.info(r, 'retention pass');
      })
      .catch((err) => deps.log.warn({ err: String(err) }, 'retention pass failed')),
  );
}
