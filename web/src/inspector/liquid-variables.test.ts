import { graphOutputScopes } from '@hourglass/journey';
import { builtinRegistry, checkTemplate, graphBuilder } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { insertionFor, liquidContextAt, liquidVariables, matchingVariables } from './liquid-variables';

const hook = (onFailure: 'exit' | 'continue') => ({
  url: 'https://crm.example.com/hook',
  secretName: 'crm',
  onFailure,
  responseMapping: [{ name: 'tier', path: 'data.tier' }],
});

// trigger → crm (webhook; exits if it fails) → side (webhook; goes on if it fails) → mail → later → exit.
const graph = graphBuilder()
  .node('trigger', 'trigger', {})
  .node('crm', 'webhook', hook('exit'))
  .stepName('crm', 'crm')
  .node('side', 'webhook', hook('continue'))
  .stepName('side', 'side')
  .node('mail', 'send_email', { subject: 'Hi', body: 'Hello' })
  .node('later', 'webhook', hook('exit'))
  .stepName('later', 'later')
  .node('done', 'exit')
  .edge('trigger', 'crm')
  .edge('crm', 'side')
  .edge('side', 'mail')
  .edge('mail', 'later')
  .edge('later', 'done')
  .build();

const at = (nodeId: string) => {
  const scope = graphOutputScopes(graph, builtinRegistry).get(nodeId);
  return liquidVariables(scope?.outputs);
};

describe('template autocomplete offers the step outputs that reach the step', () => {
  it('offers earlier steps’ fields and not those of steps after it', () => {
    const paths = at('mail').map((v) => v.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'steps.crm.httpStatus',
        'steps.crm.tier',
        'steps.side.tier',
        'customer.firstName',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('steps.later'))).toEqual([]);
    // The first step after the trigger has nothing to read yet.
    expect(at('crm').filter((v) => v.path.startsWith('steps.'))).toEqual([]);
    // After `later`, its output is offered too.
    expect(at('done').map((v) => v.path)).toContain('steps.later.tier');
  });

  it('marks an output that may be missing and inserts it with a default the compiler accepts', () => {
    const vars = at('mail');
    const sure = vars.find((v) => v.path === 'steps.crm.tier')!;
    const maybe = vars.find((v) => v.path === 'steps.side.tier')!;
    expect(sure.mayBeMissing).toBeUndefined();
    expect(maybe).toMatchObject({ mayBeMissing: true, note: expect.stringMatching(/may be missing/) });

    const outputs = graphOutputScopes(graph, builtinRegistry).get('mail')!.outputs;
    const typed = 'Your tier: {{ steps.side.t';
    const ctx = liquidContextAt(typed, typed.length)!;
    expect(ctx).toEqual({ partial: 'steps.side.t', output: true });
    expect(matchingVariables(vars, ctx.partial).map((v) => v.path)).toEqual(['steps.side.tier']);
    const text = typed.slice(0, typed.length - ctx.partial.length) + insertionFor(maybe, ctx.output, '');
    expect(text).toBe('Your tier: {{ steps.side.tier | default: "" }}');
    expect(checkTemplate(text, 'subject', outputs)).toEqual([]);
    // Bare, the compiler refuses it: that is why the default is added.
    expect(checkTemplate('{{ steps.side.tier }}', 'subject', outputs).map((d) => d.code)).toEqual([
      'output.unavailable',
    ]);
    // In an `if` the output may be tested as it is, and a `{% %}` tag is not closed for the user.
    expect(insertionFor(maybe, false, '')).toBe('steps.side.tier');
    expect(insertionFor(sure, true, ' }}')).toBe('steps.crm.tier');
  });
});
