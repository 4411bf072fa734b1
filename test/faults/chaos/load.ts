import { sleep } from '../support';
import { deliveredEvent, newShopper, type Shopper } from './journey';

// The soak's load generator: new shoppers at a fixed rate of events, spread over both API processes. Like
// a real client it retries a request that failed (connection refused or cut, timeout, 503) with the same
// event id, on the other API, until it is answered; only 2xx answers count as accepted.

/** What the load generator sent and what was answered. */
export interface LoadReport {
  shoppers: Shopper[];
  /** Event ids answered 2xx, with their type. */
  accepted: Map<string, string>;
  /** Shoppers whose order.delivered was accepted (the rest must time out in the wait). */
  delivered: Set<number>;
  attempts: number;
  retries: number;
  /** Answers no client should get (a 4xx for a valid event, or a 500). */
  bad: string[];
}

export interface Load {
  /** Events answered 2xx so far. */
  accepted(): number;
  /** Stops starting shoppers, lets every started event be answered, and reports. */
  stop(): Promise<LoadReport>;
}

export function startLoad(opts: {
  apiUrls: string[];
  apiKey: string;
  eventsPerSecond: number;
  random: () => number;
  /**
   * Which of these orders have their run yet (the carrier's scan comes after the purchase). Asked once a
   * second for every shopper still waiting, so one question however long the queue.
   */
  runsExisting: (orderExternalIds: string[]) => Promise<Set<string>>;
}): Load {
  const report: LoadReport = {
    shoppers: [],
    accepted: new Map(),
    delivered: new Set(),
    attempts: 0,
    retries: 0,
    bad: [],
  };
  let running = true;
  let turn = 0;
  let nextSlot = Date.now();
  const gap = 1000 / opts.eventsPerSecond;
  // A new event waits for its slot; retries do not, so an outage does not thin out the load afterwards.
  const slot = async () => {
    const at = Math.max(Date.now(), nextSlot);
    nextSlot = at + gap;
    await sleep(at - Date.now());
  };

  const post = async (event: Record<string, unknown>) => {
    await slot();
    for (let attempt = 0; ; attempt++) {
      const url = opts.apiUrls[turn++ % opts.apiUrls.length]!;
      report.attempts++;
      if (attempt > 0) report.retries++;
      let wait = 200;
      try {
        const res = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(10_000),
        });
        const body = await res.text();
        if (res.status === 200 || res.status === 202) {
          report.accepted.set(String(event.id), String(event.type));
          return;
        }
        if (res.status !== 503) report.bad.push(`${res.status} ${event.id}: ${body.slice(0, 200)}`);
        if (res.status >= 400 && res.status < 500) return;
        wait = Math.min(1000, Number(res.headers.get('retry-after') ?? 1) * 1000);
      } catch {
        // The process was killed mid-request or is not listening yet: try the other one.
      }
      await sleep(wait);
    }
  };

  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  // Shoppers waiting for their run before the carrier's scan, by order; one poller answers them all.
  const waiting = new Map<string, () => void>();
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      while (waiting.size) {
        await sleep(1000);
        const found = await opts.runsExisting([...waiting.keys()]).catch(() => new Set<string>());
        for (const order of found) {
          waiting.get(order)?.();
          waiting.delete(order);
        }
      }
    } finally {
      polling = false;
    }
  };
  const runExists = (order: string) =>
    new Promise<void>((resolve) => {
      waiting.set(order, resolve);
      void poll();
    });
  const deliver = async (s: Shopper) => {
    await runExists(s.orderExternalId);
    await post(deliveredEvent(s));
    report.delivered.add(s.n);
  };
  const shopper = async () => {
    while (running) {
      const s = newShopper(report.shoppers.length, opts.random);
      report.shoppers.push(s);
      for (const e of s.events) await post(e);
      if (s.delivered) track(deliver(s));
    }
  };
  // Enough shoppers at once that the rate, not their round trips, sets the pace (even mid-outage).
  const sessions = Array.from({ length: Math.max(8, Math.ceil(opts.eventsPerSecond)) }, shopper);

  return {
    accepted: () => report.accepted.size,
    async stop() {
      running = false;
      await Promise.all(sessions);
      while (pending.size) await Promise.all([...pending]);
      return report;
    },
  };
}
