import { Plan } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from '../registry';
import { templates } from './index';

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  it('compiles with no errors or warnings', () => {
    const r = compileJourney(t.graph, { smsSenderConfigured: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Plan.parse(r.plan)).toEqual(r.plan);
  });
});

describe('templates', () => {
  it('have unique ids', () => expect(new Set(templates.map((t) => t.id)).size).toBe(templates.length));
  it('review request nudges by SMS after 3 days those who neither reviewed nor clicked', () => {
    const r = compileJourney(templates.find((t) => t.id === 'review_request')!.graph);
    if (!r.ok) throw new Error('did not compile');
    expect(r.plan.steps.wait_review).toMatchObject({
      type: 'await',
      timeoutMs: 3 * 86_400_000,
      next: { timedOut: 'clicked' },
    });
    expect(r.plan.steps.clicked).toMatchObject({
      type: 'decide',
      cases: [{ port: 'clicked', rule: { field: 'messages.ask.clicked', op: 'is_true' } }],
      next: { clicked: 'engaged', else: 'nudge' },
    });
    expect(r.plan.steps.nudge).toMatchObject({ type: 'act', action: 'sms.send' });
  });
});
