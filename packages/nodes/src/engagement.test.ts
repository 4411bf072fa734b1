import type { Diagnostic } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './registry';
import { g } from './testing';

// Waits and branches about this run's own messages: checked like `steps.<name>` fields.

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.nodeId}.${d.field ?? ''}`);

const journey = (when: unknown, messageStep = 'ask') =>
  g(
    [
      ['t', 'trigger'],
      ['ask', 'send_sms', { text: 'Rate us 1–5' }],
      ['w', 'wait_for_event', { eventType: 'sms.replied', messageStep }],
      ['b', 'branch', { cases: [{ id: 'happy', when: { kind: 'conditions', rule: when } }] }],
      ['x', 'exit'],
    ],
    [
      ['t', 'ask'],
      ['ask', 'w'],
      ['w', 'b', 'happened'],
      ['w', 'x', 'timed_out'],
      ['b', 'x', 'happy'],
      ['b', 'x', 'else'],
    ],
  );

describe('messages.<step> conditions and waits for engagement', () => {
  it("compile to a wait on events about the step's message, in any order, and a branch on its reply", () => {
    const r = compileJourney(journey({ field: 'messages.ask.replyNumber', op: 'gte', value: 4 }), {
      smsSenderConfigured: true,
    });
    expect(codes(r.diagnostics)).toEqual([]);
    if (!r.ok) return;
    expect(r.plan.steps.w).toMatchObject({
      type: 'await',
      event: {
        type: 'sms.replied',
        sameOrder: false,
        filter: { field: 'event.properties.stepId', op: 'eq', value: 'ask' },
      },
    });
    expect(r.plan.steps.b).toMatchObject({
      cases: [{ rule: { field: 'messages.ask.replyNumber', op: 'gte', value: 4 } }],
    });
  });

  it('refuse steps that send no message, unknown fields and values of the wrong type', () => {
    const bad = [
      { field: 'messages.w.clicked', op: 'is_true' },
      { field: 'messages.ask.bounced', op: 'is_true' },
      { field: 'messages.ask.replyNumber', op: 'gte', value: 'four' },
    ];
    for (const rule of bad) {
      const r = compileJourney(journey(rule), { smsSenderConfigured: true });
      expect(r.ok, JSON.stringify(rule)).toBe(false);
      expect(
        codes(r.diagnostics).some((c) => c.endsWith('@b.cases.0.when')),
        JSON.stringify(rule),
      ).toBe(true);
    }
    const r = compileJourney(journey({ field: 'messages.ask.opened', op: 'is_true' }, 'nope'), {
      smsSenderConfigured: true,
    });
    expect(codes(r.diagnostics)).toEqual(['wait.unknown_message_step@w.messageStep']);
  });

  it('say which step is not a message step, or which field a message lacks', () => {
    const problem = (rule: unknown) => {
      const r = compileJourney(journey(rule), { smsSenderConfigured: true });
      return r.diagnostics.filter((d) => d.nodeId === 'b').map((d) => [d.code, d.field, d.message]);
    };
    // A step that sends nothing, and one deleted since (its conditions stay behind).
    expect(problem({ field: 'messages.w.clicked', op: 'is_true' })).toEqual([
      [
        'rule.unknown_message_step',
        'cases.0.when',
        '"messages.w.clicked": "w" is not a step of this journey that sends an email or SMS',
      ],
    ]);
    expect(problem({ field: 'messages.gone.replied', op: 'is_true' })[0]?.[0]).toBe(
      'rule.unknown_message_step',
    );
    expect(problem({ field: 'messages..clicked', op: 'is_true' })).toEqual([
      [
        'rule.unknown_message_step',
        'cases.0.when',
        '"messages..clicked": choose the message step it asks about',
      ],
    ]);
    expect(problem({ field: 'messages.ask.bounced', op: 'is_true' })).toEqual([
      [
        'rule.unknown_field',
        'cases.0.when',
        '"messages.ask.bounced": a message step has sent, delivered, opened, clicked, replied, replyNumber',
      ],
    ]);
  });

  it('are for branches only: a wait filter cannot ask about messages', () => {
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          ['ask', 'send_sms', { text: 'hi' }],
          [
            'w',
            'wait_for_event',
            { eventType: 'sms.replied', filter: { field: 'messages.ask.replied', op: 'is_true' } },
          ],
          ['x', 'exit'],
        ],
        [
          ['t', 'ask'],
          ['ask', 'w'],
          ['w', 'x', 'happened'],
          ['w', 'x', 'timed_out'],
        ],
      ),
      { smsSenderConfigured: true },
    );
    expect(codes(r.diagnostics)).toEqual(['rule.invalid@w.filter']);
  });
});
