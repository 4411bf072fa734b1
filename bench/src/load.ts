/** Latency percentiles in ms. */
export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(s[s.length - 1] ?? 0) };
}

/**
 * A closed-loop load generator: `concurrency` loops each send the next request as soon as the previous
 * one answered, for `seconds`. Returns requests/s, latency percentiles and non-2xx count.
 */
export async function load(opts: {
  concurrency: number;
  seconds: number;
  request: (i: number) => { url: string; body: string; headers?: Record<string, string> };
}) {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const start = performance.now();
  const loop = async () => {
    while (performance.now() < deadline) {
      const { url, body, headers } = opts.request(n++);
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status >= 300) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  const elapsed = (performance.now() - start) / 1000;
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    errors,
    latencyMs: percentiles(latencies),
  };
}
