import fs from 'node:fs';
import { inject } from 'vitest';

let cached: { code: string } | undefined;

/** The workflow bundle built once for this test run by the global setup. */
export function workflowBundle(): { code: string } {
  cached ??= { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') };
  return cached;
}
