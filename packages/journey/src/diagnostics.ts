import { z } from 'zod';

/** Stable diagnostic codes; clients switch on these, so never rename one. */
export const DiagnosticCode = z.enum([
  'graph.invalid',
  'graph.too_large',
  'trigger.missing',
  'trigger.multiple',
  'trigger.invalid',
  'node.duplicate_id',
  'node.unknown_kind',
  'node.unknown_version',
  'node.unreachable',
  'node.compile_failed',
  'edge.dangling',
  'edge.duplicate_id',
  'edge.unknown_port',
  'edge.into_trigger',
  'port.unconnected',
  'port.multiple_edges',
  'cycle.without_wait',
  'config.invalid',
  'rule.invalid',
  'rule.performed_unsupported',
  'rule.unknown_field',
  'rule.invalid_op',
  'rule.invalid_value',
  'segment.unknown',
  'segment.too_complex',
  'segment.unset',
  'liquid.syntax',
  'liquid.unknown_variable',
  'liquid.file_access',
  'liquid.too_long',
  'liquid.too_expensive',
  'liquid.stray_braces',
  'sms.no_sender',
  'sms.long',
  'email.too_many_blocks',
  'email.too_big',
  'email.unsafe_url',
  'delay.negative',
  'delay.too_long',
  'split.weights',
  'branch.duplicate_case',
  'wait.duplicate_event',
  'wait.unknown_message_step',
  'rule.unknown_message_step',
  'node.name_invalid',
  'node.name_duplicate',
  'output.unknown',
  'output.unavailable',
  'output.unknown_field',
  'internal.error',
]);
export type DiagnosticCode = z.infer<typeof DiagnosticCode>;

/** One problem found by the compiler. `nodeId` null = graph-level; `field` is a dotted config path. */
export const Diagnostic = z.object({
  nodeId: z.string().nullable(),
  edgeId: z.string().optional(),
  field: z.string().optional(),
  code: DiagnosticCode,
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/** A diagnostic raised by a node's own compile; the compiler fills in `nodeId`. Severity defaults to error. */
export type NodeDiagnostic = Omit<Diagnostic, 'nodeId' | 'severity' | 'edgeId'> & {
  severity?: Diagnostic['severity'];
};

/** Turns a zod issue path into the dotted `field` form used by diagnostics (`cases.0.label`). */
export function issuePath(path: ReadonlyArray<PropertyKey>): string | undefined {
  return path.length === 0 ? undefined : path.map((p) => String(p)).join('.');
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
