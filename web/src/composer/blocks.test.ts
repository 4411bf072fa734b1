import { EmailBlock } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { BLOCK_KINDS, moved, newBlock, starterBlocks } from './blocks';

describe('composer blocks', () => {
  it('makes a valid new block of every kind', () => {
    for (const k of BLOCK_KINDS) expect(EmailBlock.safeParse(newBlock(k.type)).success, k.type).toBe(true);
    expect(starterBlocks().map((b) => b.type)).toEqual(['heading', 'text', 'footer']);
  });

  it('moves a block up or down and leaves the ends alone', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });
});
