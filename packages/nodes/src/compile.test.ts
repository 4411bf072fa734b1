import type { Diagnostic } from '@hourglass/journey';
import { Plan } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './registry';
import { g } from './testing';

const email = { subject: 'Hi {{ customer.firstName }}', body: 'Thanks' };
const codes = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.severity}:${d.code}@${d.nodeId ?? '-'}${d.field ? `.${d.field}` : ''}`);

describe('compileJourney', () => {
  it('compiles a linear journey to a schema-valid plan with derived step ids', () => {
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          ['d', 'delay', { amount: 2 }],
          ['m', 'send_email', email],
          ['x', 'exit'],
        ],
        [
          ['t', 'd'],
          ['d', 'm'],
          ['m', 'x'],
        ],
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Plan.parse(r.plan)).toEqual(r.plan);
    expect(r.plan.startStep).toBe('d');
    expect(r.plan.steps.d).toEqual({
      type: 'sleep',
      id: 'd',
      nodeId: 'd',
      wake: { kind: 'duration', ms: 172_800_000 },
      next: 'm',
    });
    expect(r.plan.steps.x).toEqual({
      type: 'end',
      id: 'x',
      nodeId: 'x',
      reason: 'exit_node',
      label: 'Journey complete',
    });
    expect(r.diagnostics).toEqual([]);
  });

  it('is deterministic and ignores positions, labels and node order', () => {
    const a = g(
      [
        ['t', 'trigger'],
        ['m', 'send_email', email],
      ],
      [['t', 'm']],
    );
    const b = structuredClone(a);
    b.nodes.reverse();
    for (const n of b.nodes) n.position = { x: Math.random(), y: 5 };
    b.nodes[0]!.data.label = 'renamed';
    const ra = compileJourney(a);
    const rb = compileJourney(b);
    expect(ra.ok && rb.ok).toBe(true);
    if (ra.ok && rb.ok) {
      expect(JSON.stringify(ra.plan)).toBe(JSON.stringify(rb.plan));
      expect(ra.plan.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('turns an unconnected output into a warning plus an explicit end step', () => {
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          ['w', 'wait_for_event'],
        ],
        [['t', 'w']],
      ),
    );
    expect(r.ok).toBe(true);
    expect(codes(r.diagnostics)).toEqual([
      'warning:port.unconnected@w.happened',
      'warning:port.unconnected@w.timed_out',
    ]);
    if (r.ok) {
      expect(r.plan.steps['w#end:happened']).toMatchObject({ type: 'end', reason: 'unconnected_output' });
      expect(r.plan.steps.w).toMatchObject({
        next: { happened: 'w#end:happened', timedOut: 'w#end:timed_out' },
      });
    }
  });

  it('rejects loops without a wait, accepts loops through a delay', () => {
    const loop = (kind: string) =>
      g(
        [
          ['t', 'trigger'],
          ['a', 'send_email', email],
          ['b', kind, kind === 'delay' ? {} : email],
        ],
        [
          ['t', 'a'],
          ['a', 'b'],
          ['b', 'a'],
        ],
      );
    expect(codes(compileJourney(loop('send_email')).diagnostics)).toEqual([
      'error:cycle.without_wait@a',
      'error:cycle.without_wait@b',
    ]);
    expect(compileJourney(loop('delay')).ok).toBe(true);
  });

  it('checks workspace facts: SMS sender and segments', () => {
    const graph = g(
      [
        ['t', 'trigger'],
        ['s', 'send_sms', { text: 'hi' }],
        ['b', 'branch', { cases: [{ id: 'v', when: { kind: 'segment', segmentId: 'gone' } }] }],
      ],
      [
        ['t', 's'],
        ['s', 'b'],
      ],
    );
    const r = compileJourney(graph, { smsSenderConfigured: false, knownSegments: ['seg_1'] });
    expect(codes(r.diagnostics).filter((c) => c.startsWith('error'))).toEqual([
      'error:sms.no_sender@s',
      'error:segment.unknown@b.cases.0.when',
    ]);
    expect(compileJourney(graph).ok).toBe(true);
  });

  it('says a branch case has no segment chosen in plain words, with its own code', () => {
    const graph = g(
      [
        ['t', 'trigger'],
        [
          'b',
          'branch',
          { cases: [{ id: 'first', label: 'First-time buyers', when: { kind: 'segment', segmentId: '' } }] },
        ],
      ],
      [['t', 'b']],
    );
    const r = compileJourney(graph, { knownSegments: [] });
    const unset = r.diagnostics.filter((d) => d.severity === 'error' && d.nodeId === 'b');
    expect(unset).toEqual([
      expect.objectContaining({
        code: 'segment.unset',
        field: 'cases.0.when.segmentId',
        message: 'Choose a segment for "First-time buyers", or match by conditions',
      }),
    ]);
    expect(r.ok).toBe(false);
  });

  it('derives branch ports from config and compiles first-match-wins cases', () => {
    const r = compileJourney(
      g(
        [
          ['t', 'trigger'],
          ['b', 'branch'],
          ['x', 'exit'],
          ['y', 'exit'],
        ],
        [
          ['t', 'b'],
          ['b', 'x', 'big_first_order'],
          ['b', 'y', 'else'],
        ],
      ),
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.plan.steps.b).toMatchObject({
        mode: 'rules',
        defaultPort: 'else',
        next: { big_first_order: 'x', else: 'y' },
      });
  });

  it('accepts a null sourceHandle for single-output nodes', () => {
    expect(
      compileJourney(
        g(
          [
            ['t', 'trigger'],
            ['x', 'exit'],
          ],
          [['t', 'x', null]],
        ),
      ).ok,
    ).toBe(true);
  });

  it('never throws on garbage', () => {
    for (const input of [
      undefined,
      null,
      42,
      'x',
      [],
      { nodes: 1 },
      { nodes: [null, 1, 'a'], edges: [null] },
    ]) {
      const r = compileJourney(input);
      expect(r.ok).toBe(false);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
