import { graphOutputScopes, Rule } from '@hourglass/journey';
import { builtinRegistry, compileJourney, graphBuilder } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import {
  conditionFor,
  conditionProblem,
  DEFAULT_SCOPE,
  groupOf,
  groupsFor,
  kindOf,
  newCondition,
  opsFor,
  type RuleScope,
} from './fields';

// trigger → crm (webhook; exits if it fails) → side (goes on if it fails) → branch → exit; a later
// webhook after the branch. The branch may read crm for sure, side only as "is set".
const hook = (onFailure: 'exit' | 'continue') => ({
  url: 'https://crm.example.com/hook',
  secretName: 'crm',
  onFailure,
  responseMapping: [{ name: 'tier', path: 'data.tier' }],
});
const graph = (cases: unknown[] = []) =>
  graphBuilder()
    .node('trigger', 'trigger', {})
    .node('crm', 'webhook', hook('exit'))
    .stepName('crm', 'crm')
    .node('side', 'webhook', hook('continue'))
    .stepName('side', 'side')
    .node('split', 'branch', { cases })
    .node('later', 'webhook', hook('exit'))
    .stepName('later', 'later')
    .node('done', 'exit')
    .edge('trigger', 'crm')
    .edge('crm', 'side')
    .edge('side', 'split')
    .edge('split', 'later', 'else')
    .edge('later', 'done')
    .build();

const scopeAt = (nodeId: string): RuleScope => ({
  ...DEFAULT_SCOPE,
  outputs: graphOutputScopes(graph(), builtinRegistry).get(nodeId)!.outputs,
});

describe('rule editor: step outputs in the field picker', () => {
  it('offers the outputs that reach the rule, after the catalog groups, and not later ones', () => {
    const scope = scopeAt('split');
    const ids = groupsFor(scope).map((g) => g.id);
    expect(ids.slice(-2)).toEqual(['steps.crm', 'steps.side']);
    expect(ids).not.toContain('steps.later');
    // Catalog groups are as before; without outputs nothing is added.
    expect(groupsFor(DEFAULT_SCOPE).every((g) => g.root !== 'steps')).toBe(true);
    const crm = groupsFor(scope).find((g) => g.id === 'steps.crm')!;
    expect(crm.fields.map((f) => [f.path, f.kind])).toEqual([
      ['steps.crm.httpStatus', 'number'],
      ['steps.crm.tier', 'any'],
    ]);
    expect(groupsFor(scope).find((g) => g.id === 'steps.side')!.label).toMatch(/may be missing/);
    expect(groupOf('steps.crm.tier', scope)).toEqual(crm);
    expect(groupOf('steps.crm.tier')).toBeUndefined();
  });

  it('types operators and values by the output schema', () => {
    const scope = scopeAt('split');
    expect(kindOf('steps.crm.httpStatus', scope)).toBe('number');
    expect(opsFor('steps.crm.httpStatus', scope).map((o) => o.op)).toEqual([
      'gt',
      'gte',
      'lt',
      'lte',
      'eq',
      'neq',
      'in',
      'exists',
    ]);
    const c = newCondition('steps.crm', scope);
    expect(c).toEqual({ field: 'steps.crm.httpStatus', op: 'gt', value: 0 });
    expect(conditionFor('steps.crm.tier', c, scope)).toMatchObject({ field: 'steps.crm.tier' });
    expect(conditionProblem({ field: 'steps.crm.httpStatus', op: 'gte', value: 200 }, scope)).toBeNull();
    expect(conditionProblem({ field: 'steps.crm.httpStatus', op: 'gte', value: 'x' }, scope)).toMatch(
      /number/i,
    );
  });

  it('says what journey compile says about outputs that may be missing or come later', () => {
    const scope = scopeAt('split');
    const maybe = { field: 'steps.side.tier', op: 'eq' as const, value: 'gold' };
    expect(conditionProblem(maybe, scope)).toMatch(/not produced on every path/);
    expect(conditionProblem({ field: 'steps.side.tier', op: 'exists' }, scope)).toBeNull();
    expect(conditionProblem({ field: 'steps.later.tier', op: 'eq', value: 'x' }, scope)).toMatch(
      /No step named "later"/,
    );
    // Exit and goal rules: a missing output only makes the condition false.
    expect(conditionProblem(maybe, { ...scope, outputsOptional: true })).toBeNull();
    // Where no outputs reach (segments, entry rules) `steps` is not a root at all.
    expect(conditionProblem(maybe, DEFAULT_SCOPE)).toMatch(/must start with one of/);

    // The conditions the editor accepts compile clean in a branch; the one it flags does not.
    const ok = { all: [{ field: 'steps.crm.tier', op: 'eq', value: 'gold' }] };
    expect(Rule.safeParse(ok).success).toBe(true);
    const compiled = (rule: unknown) =>
      compileJourney(graph([{ id: 'gold', label: 'Gold', when: { kind: 'conditions', rule } }]))
        .diagnostics.filter((d) => d.nodeId === 'split' && d.field === 'cases.0.when')
        .map((d) => d.code);
    expect(compiled(ok)).toEqual([]);
    expect(compiled({ all: [maybe] })).toContain('output.unavailable');
  });
});
