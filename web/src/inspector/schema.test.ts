import { BranchConfig, DelayConfig, summarizeNode, templates } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, withDefaults } from './schema';

describe('withDefaults', () => {
  it('shows the time the replenishment delay runs at, as its canvas summary does', () => {
    const day20 = templates.find((t) => t.id === 'replenishment')!.graph.nodes.find((n) => n.id === 'day20')!;
    expect(summarizeNode('delay', day20.data.config)).toContain('at 10:00');
    const shown = withDefaults(jsonSchemaOf(DelayConfig), day20.data.config) as DelayConfig;
    expect(shown).toMatchObject({
      mode: 'date_field',
      offsetAmount: 20,
      atTimeOfDay: true,
      hour: 10,
      minute: 0,
    });
    expect(shown).toEqual(DelayConfig.parse(day20.data.config));
  });

  it('keeps what is set, fills array items, and leaves unions and empty optional objects alone', () => {
    const config = {
      cases: [{ id: 'vip', when: { kind: 'segment', segmentId: 'seg_1' } }],
    };
    const shown = withDefaults(jsonSchemaOf(BranchConfig), config);
    expect(shown).toEqual({
      cases: [{ id: 'vip', label: '', when: { kind: 'segment', segmentId: 'seg_1' } }],
    });
    expect(withDefaults(jsonSchemaOf(DelayConfig), { hour: 7 })).toMatchObject({ hour: 7, minute: 0 });
    expect(
      withDefaults({ type: 'object', properties: { a: { type: 'string' } } }, undefined),
    ).toBeUndefined();
  });
});
