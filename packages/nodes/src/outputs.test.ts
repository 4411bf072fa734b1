import { type ActStep, graphOutputScopes } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { builtinRegistry, compileJourney } from './registry';
import { graphBuilder } from './templates/builder';

// Step outputs through the compiler: which outputs reach a step, and what a template or rule may read.

const email = (body: string) => ({ subject: 'Your code', body });
const branchOn = (field: string, op: string, value?: unknown) => ({
  cases: [
    {
      id: 'hit',
      label: 'Hit',
      when: { kind: 'conditions', rule: { field, op, ...(value === undefined ? {} : { value }) } },
    },
  ],
});
const problems = (graph: unknown) => {
  const r = compileJourney(graph);
  return r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ node: d.nodeId, field: d.field, code: d.code }));
};

describe('step outputs in the compiler', () => {
  it('lets an email read the discount made before it, and names the act step for the engine', () => {
    const g = graphBuilder()
      .node('t', 'trigger')
      .node('discount', 'create_discount', { value: 15 })
      .node(
        'mail',
        'send_email',
        email('Use {{ steps.discount.code }} before {{ steps.discount.expiresAt | date: "%b %d" }}'),
      )
      .edge('t', 'discount')
      .edge('discount', 'mail')
      .build();
    const r = compileJourney(g);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!r.ok) throw new Error('not compiled');
    expect((r.plan.steps.discount as ActStep).outputName).toBe('discount');
    expect((r.plan.steps.mail as ActStep).outputName).toBeUndefined();
  });

  it('refuses an output that is not made on every path, unless the template gives a default', () => {
    const build = (body: string) =>
      graphBuilder()
        .node('t', 'trigger')
        .node('split', 'ab_split', {})
        .node('discount', 'create_discount')
        .node('mail', 'send_email', email(body))
        .edge('t', 'split')
        .edge('split', 'discount', 'a')
        .edge('split', 'mail', 'b')
        .edge('discount', 'mail')
        .build();
    expect(problems(build('{{ steps.discount.code }}'))).toEqual([
      { node: 'mail', field: 'body', code: 'output.unavailable' },
    ]);
    expect(problems(build('{{ steps.discount.code | default: "WELCOME" }}'))).toEqual([]);
    expect(
      problems(build('{% if steps.discount.code %}{{ steps.discount.code | upcase }}{% endif %}')),
    ).toEqual([{ node: 'mail', field: 'body', code: 'output.unavailable' }]);
  });

  it('does not count on a step that may fail and continue', () => {
    const g = (onFailure: string) =>
      graphBuilder()
        .node('t', 'trigger')
        .node('discount', 'create_discount', { onFailure })
        .node('mail', 'send_email', email('{{ steps.discount.code }}'))
        .edge('t', 'discount')
        .edge('discount', 'mail')
        .build();
    expect(problems(g('continue'))).toEqual([{ node: 'mail', field: 'body', code: 'output.unavailable' }]);
    expect(problems(g('exit'))).toEqual([]);
  });

  it('reports a field the output lacks, a step that comes later, and a name nobody has', () => {
    const g = graphBuilder()
      .node('t', 'trigger')
      .node('first', 'send_email', email('{{ steps.discount.code }}'))
      .node('discount', 'create_discount')
      .node('last', 'send_sms', {
        text: '{{ steps.discount.percent }} {{ steps.nobody.x | default: "" }}',
        transactional: true,
      })
      .edge('t', 'first')
      .edge('first', 'discount')
      .edge('discount', 'last')
      .build();
    expect(problems(g)).toEqual([
      { node: 'first', field: 'body', code: 'output.unknown' },
      { node: 'last', field: 'text', code: 'output.unknown_field' },
      { node: 'last', field: 'text', code: 'output.unknown' },
    ]);
  });

  it('keeps step names valid and unique', () => {
    const g = graphBuilder()
      .node('t', 'trigger')
      .node('a', 'create_discount')
      .node('b', 'create_discount')
      .node('c', 'create_discount')
      .stepName('c', 'Bad Name')
      .edge('t', 'a')
      .edge('a', 'b')
      .edge('b', 'c')
      .build();
    expect(problems(g)).toEqual([
      { node: 'b', field: 'name', code: 'node.name_duplicate' },
      { node: 'c', field: 'name', code: 'node.name_invalid' },
    ]);
  });

  it('types mapped webhook fields for rules, and lets exits and goals read any step', () => {
    const build = (mapping: Array<{ name: string; path: string }>, rule: [string, string, unknown?]) =>
      graphBuilder()
        .node('t', 'trigger', {
          exits: [
            {
              eventType: 'order.cancelled',
              filter: { field: 'steps.discount.code', op: 'exists' },
              sameOrder: false,
            },
          ],
        })
        .node('crm', 'webhook', {
          url: 'https://crm.example/h',
          secretName: 's',
          responseMapping: mapping,
          onFailure: 'exit',
        })
        .node('discount', 'create_discount')
        .node('split', 'branch', branchOn(...rule))
        .edge('t', 'crm')
        .edge('crm', 'split')
        .edge('split', 'discount', 'hit')
        .build();
    const tier = [{ name: 'tier', path: 'data.tier' }];
    expect(problems(build(tier, ['steps.webhook.tier', 'eq', 'gold']))).toEqual([]);
    expect(problems(build(tier, ['steps.webhook.httpStatus', 'gte', 200]))).toEqual([]);
    expect(problems(build([], ['steps.webhook.tier', 'eq', 'gold']))).toEqual([
      { node: 'split', field: 'cases.0.when', code: 'output.unknown_field' },
    ]);
    expect(problems(build(tier, ['steps.webhook.httpStatus', 'gte', 'lots']))).toEqual([
      { node: 'split', field: 'cases.0.when', code: 'rule.invalid_value' },
    ]);
  });

  it('asks about an output that may be missing only with "exists"', () => {
    const g = (op: string) =>
      graphBuilder()
        .node('t', 'trigger')
        .node('crm', 'webhook', { url: 'https://crm.example/h', secretName: 's' })
        .node('split', 'branch', branchOn('steps.webhook.httpStatus', op, op === 'exists' ? undefined : 200))
        .edge('t', 'crm')
        .edge('crm', 'split')
        .build();
    expect(problems(g('exists'))).toEqual([]);
    expect(problems(g('eq'))).toEqual([{ node: 'split', field: 'cases.0.when', code: 'output.unavailable' }]);
  });

  it('follows loops: an output made inside a loop is sure after it, not at its first step', () => {
    const g = graphBuilder()
      .node('t', 'trigger')
      .node('wait', 'delay', { mode: 'duration', amount: 1, unit: 'days' })
      .node('discount', 'create_discount')
      .node('split', 'branch', branchOn('steps.discount.percentOff', 'gt', 5))
      .edge('t', 'wait')
      .edge('wait', 'discount')
      .edge('discount', 'split')
      .edge('split', 'wait', 'else')
      .build();
    const scopes = graphOutputScopes(g, builtinRegistry);
    expect(scopes.get('wait')?.outputs).toEqual([
      expect.objectContaining({ name: 'discount', guaranteed: false }),
    ]);
    expect(scopes.get('split')?.outputs).toEqual([
      expect.objectContaining({ name: 'discount', guaranteed: true }),
    ]);
    expect(scopes.get('discount')?.outputs).toEqual([expect.objectContaining({ guaranteed: false })]);
    expect(problems(g)).toEqual([]);
  });
});
