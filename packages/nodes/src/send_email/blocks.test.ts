import type { ActStep } from '@hourglass/journey';
import { describe, expect, it } from 'vitest';
import { compileJourney } from '../registry';
import { graphBuilder } from '../templates/builder';
import { BLOCK_LIMITS, blockFields, urlProblem } from './blocks';
import { SendEmailConfig } from './definition';

// The compiler sees the Liquid inside blocks as it sees a raw body: per field, with the same checks.

const journey = (blocks: unknown[], recs = true) => {
  const b = graphBuilder().node('t', 'trigger');
  if (recs) b.node('picks', 'recommend_products', {}).edge('t', 'picks');
  return b
    .node('mail', 'send_email', { subject: 'Hi', mode: 'blocks', blocks })
    .edge(recs ? 'picks' : 't', 'mail')
    .build();
};
const problems = (graph: unknown) =>
  compileJourney(graph).diagnostics.map((d) => ({ field: d.field, code: d.code, severity: d.severity }));

describe('send email with blocks', () => {
  it('compiles a clean block email and hands the blocks to the send', () => {
    const r = compileJourney(
      journey([
        { type: 'heading', text: 'Hi {{ customer.firstName | default: "there" }}' },
        { type: 'products', title: 'For you', step: 'recommendations' },
        { type: 'button', label: 'Shop', href: 'https://shop.example/?c={{ customer.id }}' },
      ]),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!r.ok) throw new Error('not compiled');
    const input = (r.plan.steps.mail as ActStep).input as { blocks?: unknown[]; body: string };
    expect(input.blocks).toHaveLength(3);
    expect(input.body).toBe('');
  });

  it('checks Liquid in every block field, columns included, by its path', () => {
    expect(
      problems(
        journey([
          { type: 'text', text: 'Hi {{ custmer.firstName }}' },
          {
            type: 'columns',
            left: [{ type: 'text', text: '{{ customer.firstName }} | default: "x" }}' }],
            right: [{ type: 'button', label: '{{ steps.nope.code }}', href: 'https://a.example' }],
          },
          { type: 'products', step: 'missing' },
        ]),
      ),
    ).toEqual([
      { field: 'blocks.0.text', code: 'liquid.unknown_variable', severity: 'error' },
      { field: 'blocks.1.left.0.text', code: 'liquid.stray_braces', severity: 'warning' },
      { field: 'blocks.1.right.0.label', code: 'output.unknown', severity: 'error' },
      { field: 'blocks.2.step', code: 'output.unknown', severity: 'error' },
    ]);
  });

  it('refuses unsafe links, too many blocks and an empty email with stable codes', () => {
    expect(
      problems(
        journey([
          { type: 'image', src: 'http://insecure.example/a.png' },
          { type: 'button', label: 'x', href: 'javascript:alert(1)' },
          { type: 'image', src: 'https://a.example/a.png', href: 'data:text/html,hi' },
        ]),
      ),
    ).toEqual([
      { field: 'blocks.0.src', code: 'email.unsafe_url', severity: 'error' },
      { field: 'blocks.1.href', code: 'email.unsafe_url', severity: 'error' },
      { field: 'blocks.2.href', code: 'email.unsafe_url', severity: 'error' },
    ]);
    const many = Array.from({ length: BLOCK_LIMITS.maxBlocks + 1 }, () => ({ type: 'divider' }));
    expect(problems(journey(many))).toEqual([
      { field: 'blocks', code: 'email.too_many_blocks', severity: 'error' },
    ]);
    expect(problems(journey([]))).toEqual([{ field: 'blocks', code: 'config.invalid', severity: 'error' }]);
    const huge = Array.from({ length: 30 }, () => ({ type: 'text', text: 'x'.repeat(9000) }));
    expect(problems(journey(huge))).toEqual([{ field: 'blocks', code: 'email.too_big', severity: 'error' }]);
  });

  it('keeps raw HTML steps saved before blocks working, with the same plan input', () => {
    const config = SendEmailConfig.parse({ subject: 'Hi', body: '<p>Hello</p>' });
    expect(config.mode).toBe('html');
    const g = graphBuilder()
      .node('t', 'trigger')
      .node('mail', 'send_email', { subject: 'Hi', body: '<p>Hello</p>' })
      .edge('t', 'mail')
      .build();
    const r = compileJourney(g);
    if (!r.ok) throw new Error('not compiled');
    expect((r.plan.steps.mail as ActStep).input).not.toHaveProperty('blocks');
  });

  it('lists Liquid fields and judges URLs', () => {
    expect(blockFields([{ type: 'spacer', id: '', height: 10 }])).toEqual([]);
    expect(urlProblem('{{ order.statusUrl }}')).toBeNull();
    expect(urlProblem('https://a.example/{{ x }}')).toBeNull();
    expect(urlProblem('https://a.example/"onmouseover=x')).not.toBeNull();
    expect(urlProblem('//evil.example')).not.toBeNull();
  });
});
