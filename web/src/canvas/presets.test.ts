import { builtinRegistry } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { PRESETS, presetMatches, presetRef, resolveAdd } from './presets';

describe('palette shortcuts', () => {
  it('a node kind adds that kind; a shortcut adds its kind with its settings, which its schema takes', () => {
    expect(resolveAdd('send_sms')).toEqual({ kind: 'send_sms' });
    for (const p of PRESETS) {
      const { kind, config } = resolveAdd(presetRef(p));
      expect(kind).toBe(p.kind);
      const parsed = builtinRegistry.get(kind)!.config.parse(config);
      expect(parsed).toMatchObject(p.config);
    }
  });

  it('"Wait for engagement" is a wait for a click, found by "reply" or "engagement"', () => {
    const p = PRESETS.find((x) => x.key === 'wait_for_engagement')!;
    expect(p).toMatchObject({ kind: 'wait_for_event', config: { eventType: 'message.clicked' } });
    expect(presetMatches(p, 'reply')).toBe(true);
    expect(presetMatches(p, 'engagement wait')).toBe(true);
    expect(presetMatches(p, 'discount')).toBe(false);
  });
});
