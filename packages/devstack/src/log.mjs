// Console output for long set-up steps: what is happening, and proof that it is still alive.

/** A failure the user can act on: printed as one line, no stack trace. */
export class FatalError extends Error {
  constructor(message) {
    super(message);
    this.name = 'FatalError';
  }
}

const quiet = process.env.HOURGLASS_QUIET === '1';

/** Prints a line prefixed with the product name. */
export function info(message) {
  if (!quiet) process.stdout.write(`hourglass: ${message}\n`);
}

/** Runs `fn`, printing its label, a heartbeat every 15 s while it runs, and the elapsed time. */
export async function step(label, fn) {
  const started = Date.now();
  info(`${label}…`);
  const timer = setInterval(() => {
    info(`  … ${label} — still working (${Math.round((Date.now() - started) / 1000)}s)`);
  }, 15_000);
  timer.unref();
  try {
    const result = await fn();
    info(`✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
