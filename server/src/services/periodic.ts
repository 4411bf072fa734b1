/**
 * Runs `round` every `intervalMs`, never two at once (a round still running when the next tick comes
 * skips that tick); the timer does not keep the process alive. `stop()` waits for a running round.
 * The API's background jobs (retention, analytics rollups, store reconciliation) share it.
 */
export function every(intervalMs: number, round: (stopped: () => boolean) => Promise<void>) {
  let stopped = false;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = round(() => stopped).finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
