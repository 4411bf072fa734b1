/** Latency percentiles in ms. */
export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(s[s.length - 1] ?? 0) };
}

/** What load() measured over its measurement window. */
export type LoadResult = {
  /** Requests answered inside the window. */
  requests: number;
  /** Successful (2xx) requests answered per second inside the window. */
  perSecond: number;
  /** Non-2xx (or failed) answers inside the window. */
  errors: number;
  latencyMs: ReturnType<typeof percentiles>;
  windowSeconds: number;
};

/**
 * A closed-loop load generator: `concurrency` loops each send the next request as soon as the
 * previous one answered. The loops run for `warmupSeconds` first (JIT, connection pools, prepared
 * statements, caches), then for `seconds` of measurement without pausing, so the window sees steady
 * state. Only requests that complete inside the window count (throughput = those / window length);
 * requests still in flight at the end are awaited but not counted.
 */
export async function load(opts: {
  concurrency: number;
  seconds: number;
  warmupSeconds?: number;
  request: (i: number) => { url: string; body: string; headers?: Record<string, string> };
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const windowStart = performance.now() + (opts.warmupSeconds ?? 0) * 1000;
  const windowEnd = windowStart + opts.seconds * 1000;
  const loop = async () => {
    while (performance.now() < windowEnd) {
      const { url, body, headers } = opts.request(n++);
      const t0 = performance.now();
      let ok = false;
      try {
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        await res.arrayBuffer();
        ok = res.status < 300;
      } catch {
        ok = false;
      }
      const t1 = performance.now();
      if (t1 < windowStart || t1 > windowEnd) continue;
      latencies.push(t1 - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  return {
    requests: latencies.length,
    perSecond: Math.round(((latencies.length - errors) / opts.seconds) * 10) / 10,
    errors,
    latencyMs: percentiles(latencies),
    windowSeconds: opts.seconds,
  };
}
