import { describe, expect, it } from 'vitest';
import { GroupCommit } from './ingest-pipeline';

/** A controllable transaction: records what it was given and finishes when told to. */
function recorder() {
  const calls: Array<{ kind: 'one' | 'many'; group: string; items: number[] }> = [];
  const gates: Array<() => void> = [];
  const wait = () => new Promise<void>((resolve) => gates.push(resolve));
  const release = async () => {
    while (gates.length) gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { calls, wait, release };
}

describe('GroupCommit', () => {
  it('runs a lone item at once and commits what queued meanwhile together, per group, in order', async () => {
    const r = recorder();
    const g = new GroupCommit<number, string>(
      async (group, item) => {
        r.calls.push({ kind: 'one', group, items: [item] });
        await r.wait();
        return `${group}:${item}`;
      },
      async (group, items) => {
        r.calls.push({ kind: 'many', group, items });
        await r.wait();
        return items.map((i) => `${group}:${i}`);
      },
      1,
      3,
    );
    const first = g.submit('a', 1);
    // The slot is busy: these queue, then go in groups of one workspace, at most 3, oldest first.
    const rest = [g.submit('a', 2), g.submit('b', 3), g.submit('a', 4), g.submit('a', 5), g.submit('a', 6)];
    expect(r.calls).toEqual([{ kind: 'one', group: 'a', items: [1] }]);
    for (let i = 0; i < 4; i++) await r.release();
    expect(await first).toBe('a:1');
    expect(await Promise.all(rest)).toEqual(['a:2', 'b:3', 'a:4', 'a:5', 'a:6']);
    expect(r.calls).toEqual([
      { kind: 'one', group: 'a', items: [1] },
      { kind: 'many', group: 'a', items: [2, 4, 5] },
      { kind: 'one', group: 'b', items: [3] },
      { kind: 'one', group: 'a', items: [6] },
    ]);
  });

  it('retries the items of a failed group alone, so only the bad item fails', async () => {
    let many = 0;
    let running = 0;
    let most = 0;
    const g = new GroupCommit<number, number>(
      async (_group, item) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 1));
        running--;
        if (item === 13) throw new Error('bad item 13');
        return item * 2;
      },
      async (_group, items) => {
        many++;
        if (items.includes(13)) throw new Error('group failed');
        return items.map((i) => i * 2);
      },
      2,
    );
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => g.submit('w', i)));
    expect(many).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    results.forEach((res, i) => {
      if (i === 13) expect(res).toMatchObject({ status: 'rejected', reason: new Error('bad item 13') });
      else expect(res).toEqual({ status: 'fulfilled', value: i * 2 });
    });
  });
});
