import type { TimelineAttempt } from '@hourglass/contract';
import { inZone } from '../format';

/** Every attempt of an action step: each retry with its time and error, deferrals, the final outcome. */
export function Attempts({ attempts, tz }: { attempts: TimelineAttempt[]; tz: string | null }) {
  // One attempt that simply worked says nothing the title does not.
  if (attempts.length === 0 || (attempts.length === 1 && attempts[0]?.outcome === 'ok')) return null;
  return (
    <ol className="tl-details" aria-label="Attempts">
      {attempts.map((a) => (
        <li
          key={`${a.at.toISOString()}/${a.attempt}/${a.outcome}`}
          className={`attempt-${a.outcome}`}
          title={inZone(a.at, tz)}
        >
          {a.text}
        </li>
      ))}
    </ol>
  );
}
