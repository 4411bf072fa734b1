import { builtinRegistry } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { stepAriaLabels, stepTitle } from './a11y';
import type { JourneyNode } from './graph';
import { matchesQuery } from './Palette';

const node = (id: string, type: string, config: Record<string, unknown>, label?: string): JourneyNode => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: { config, ...(label ? { label } : {}) },
});

describe('step names for screen readers', () => {
  it('names each step by its label and summary, and numbers steps that would still read alike', () => {
    const nodes = [
      node('a', 'delay', { mode: 'duration', amount: 3, unit: 'days' }),
      node('b', 'delay', { mode: 'duration', amount: 3, unit: 'days' }),
      node('c', 'delay', { mode: 'duration', amount: 7, unit: 'days' }),
      node('d', 'send_sms', { text: 'Hi' }, 'Nudge'),
    ];
    const labels = stepAriaLabels(nodes);
    expect(labels.get('a')).toBe('Delay step: Wait 3 days (1 of 2)');
    expect(labels.get('b')).toBe('Delay step: Wait 3 days (2 of 2)');
    expect(labels.get('c')).toBe('Delay step: Wait 7 days');
    expect(labels.get('d')).toMatch(/^Nudge step: /);
    expect(new Set(labels.values()).size).toBe(nodes.length);
  });

  it('lists a step in pickers without saying its type twice', () => {
    expect(stepTitle(node('x', 'exit', {}))).toMatch(/^Exit · /);
    expect(stepTitle(node('y', 'delay', { mode: 'duration', amount: 1, unit: 'hours' }, 'Cool off'))).toBe(
      'Cool off: Wait 1 hour',
    );
  });
});

describe('palette search', () => {
  const def = (kind: string) => {
    const d = builtinRegistry.get(kind);
    if (!d) throw new Error(kind);
    return d as Parameters<typeof matchesQuery>[0];
  };
  it('matches every word against label, description, kind and keywords, ignoring case', () => {
    expect(matchesQuery(def('create_discount'), 'Coupon')).toBe(true);
    expect(matchesQuery(def('send_sms'), 'text message')).toBe(true);
    expect(matchesQuery(def('send_sms'), 'text email')).toBe(false);
    expect(matchesQuery(def('wait_for_event'), 'wait for')).toBe(true);
    expect(matchesQuery(def('delay'), '   ')).toBe(true);
  });
});
