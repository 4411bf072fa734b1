import { builtinRegistry, compileJourney, graphBuilder } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { messageStepChoices } from '../inspector/message-steps';
import {
  conditionFor,
  conditionProblem,
  groupOf,
  groupsFor,
  newCondition,
  opsFor,
  type RuleScope,
} from './fields';

// "Message of a step" conditions in the rule editor: offered where branches decide, the step picked by
// name, and the same words as journey compile when the step is missing or gone.

const graph = (rule: unknown) =>
  graphBuilder()
    .node('trigger', 'trigger', {})
    .node('ask', 'send_sms', { text: 'Rate us 1–5' }, 'Ask for rating')
    .node('mail', 'send_email', { subject: 'Hi', body: 'Hi' })
    .node('b', 'branch', { cases: [{ id: 'happy', when: { kind: 'conditions', rule } }] })
    .node('done', 'exit')
    .edge('trigger', 'ask')
    .edge('ask', 'mail')
    .edge('mail', 'b')
    .edge('b', 'done', 'happy')
    .edge('b', 'done', 'else')
    .build();

const steps = messageStepChoices(
  graph({ all: [] }).nodes.map((n) => ({ id: n.id, type: n.type, data: n.data })),
);
const scope: RuleScope = {
  roots: ['customer', 'order', 'trigger'],
  performed: true,
  segments: true,
  messages: true,
  messageSteps: steps,
};

describe('message conditions in the rule editor', () => {
  it("name the journey's message steps by their labels, in canvas order", () => {
    expect(steps).toEqual([
      { id: 'ask', label: 'Ask for rating' },
      { id: 'mail', label: builtinRegistry.get('send_email')!.label },
    ]);
    // Two steps of one name are told apart by their ids.
    const twins = messageStepChoices([
      { id: 'a', type: 'send_sms', data: { config: {}, label: 'Nudge' } },
      { id: 'b', type: 'send_sms', data: { config: {}, label: 'Nudge' } },
      { id: 'w', type: 'delay', data: { config: {} } },
    ]);
    expect(twins.map((s) => s.label)).toEqual(['Nudge (a)', 'Nudge (b)']);
  });

  it('are offered only where the scope allows them, with no step chosen at first', () => {
    expect(groupsFor(scope).map((g) => g.id)).toContain('messages');
    expect(groupsFor({ ...scope, messages: false }).map((g) => g.id)).not.toContain('messages');
    const fresh = newCondition('messages', scope);
    expect(fresh).toEqual({ field: 'messages..clicked', op: 'is_true' });
    expect(groupOf(fresh.field, scope)?.id).toBe('messages');
    expect(conditionProblem(fresh, scope)).toBe('Choose a message step');
    expect(conditionProblem(fresh, { ...scope, messageSteps: [] })).toMatch(
      /no step that sends an email or SMS/,
    );
  });

  it('type the reply number and agree with journey compile about steps that are gone', () => {
    const c = conditionFor(
      'messages.ask.replyNumber',
      { field: 'messages.ask.clicked', op: 'is_true' },
      scope,
    );
    expect(opsFor(c.field, scope).map((o) => o.op)).toContain('gte');
    const ok = { field: 'messages.ask.replyNumber', op: 'gte' as const, value: 4 };
    expect(conditionProblem(ok, scope)).toBeNull();
    expect(compileJourney(graph(ok), { smsSenderConfigured: true }).diagnostics).toEqual([]);

    const gone = { field: 'messages.old.opened', op: 'is_true' as const };
    const compiled = compileJourney(graph(gone), { smsSenderConfigured: true }).diagnostics;
    expect(compiled.map((d) => d.message)).toEqual([conditionProblem(gone, scope)]);
    expect(conditionProblem(gone, scope)).toBe(
      '"messages.old.opened": "old" is not a step of this journey that sends an email or SMS',
    );
  });
});
