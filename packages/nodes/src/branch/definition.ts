import type { NodeDiagnostic, Rule as RuleT } from '@hourglass/journey';
import { defineNode, Rule } from '@hourglass/journey';
import { z } from 'zod';

/** A port id chosen by the editor; stable across renames of the label. */
export const PortKey = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/i, 'letters, digits, "-" and "_" only');

const When = z.discriminatedUnion('kind', [
  // An empty segment is a draft's "not chosen yet": compile says so in plain words (segment.unset)
  // instead of the schema's length error.
  z.object({ kind: z.literal('segment'), segmentId: z.string().max(200).describe('Segment') }),
  z.object({ kind: z.literal('conditions'), rule: Rule.describe('Conditions') }),
]);

/** One branch case: customers matching `when` go to the port named by `id`. */
export const BranchCase = z.object({
  id: PortKey.describe('Id'),
  label: z.string().max(80).default('').describe('Label'),
  when: When.describe('Matches'),
});
export type BranchCase = z.infer<typeof BranchCase>;

/** Branch config: ordered cases, first match wins, the rest go to "else". */
export const BranchConfig = z.object({
  cases: z
    .array(BranchCase)
    .min(1)
    .max(20)
    .default([
      {
        id: 'big_first_order',
        label: 'First order over $100',
        when: {
          kind: 'conditions',
          rule: {
            all: [
              { field: 'customer.stats.ordersCount', op: 'eq', value: 1 },
              { field: 'order.total', op: 'gt', value: 100 },
            ],
          },
        },
      },
    ])
    .describe('Cases (first match wins)'),
});
export type BranchConfig = z.infer<typeof BranchConfig>;

const caseRule = (c: BranchCase): RuleT =>
  c.when.kind === 'segment' ? { segment: c.when.segmentId } : c.when.rule;

/** Splits customers by segment or conditions; one output per case plus "Everyone else". */
export const branch = defineNode({
  kind: 'branch',
  version: 1,
  label: 'Branch',
  description: 'Send customers down different paths by segment or conditions (first match wins).',
  category: 'logic',
  config: BranchConfig,
  ports: (c) => [
    ...c.cases.map((k) => ({ id: k.id, label: k.label || k.id })),
    { id: 'else', label: 'Everyone else' },
  ],
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    const seen = new Set<string>(['else']);
    c.cases.forEach((k, i) => {
      if (seen.has(k.id)) {
        d.push({
          field: `cases.${i}.id`,
          code: 'branch.duplicate_case',
          message: `Case id "${k.id}" is used twice`,
        });
      }
      seen.add(k.id);
      if (k.when.kind === 'segment' && !k.when.segmentId) {
        d.push({
          field: `cases.${i}.when.segmentId`,
          code: 'segment.unset',
          message: `Choose a segment for "${k.label || k.id}", or match by conditions`,
        });
        return;
      }
      // Branches decide in an activity that counts the customer's events, so `performed` works here.
      d.push(...ctx.checkRule(caseRule(k), `cases.${i}.when`, { allowPerformed: true, allowMessages: true }));
    });
    const next: Record<string, string> = { else: ctx.port('else') };
    for (const k of c.cases) next[k.id] = ctx.port(k.id);
    return {
      diagnostics: d,
      steps: [
        {
          type: 'decide',
          mode: 'rules',
          cases: c.cases.map((k) => ({ port: k.id, label: k.label || k.id, rule: caseRule(k) })),
          defaultPort: 'else',
          next,
        },
      ],
    };
  },
});
