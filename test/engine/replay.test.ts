import { replayGoldenHistories } from '@hourglass/workflows';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../src/bundle';

// A change to the interpreter that would break runs already in flight must fail the build.
describe('golden histories', () => {
  it('replay against the current interpreter without nondeterminism', async () => {
    const results = await replayGoldenHistories(workflowBundle());
    expect(results.length).toBeGreaterThan(0);
    for (const r of results)
      expect({ file: r.file, error: r.error?.message }).toEqual({ file: r.file, error: undefined });
  });
});
