import { type Json, MAX_OUTPUT_BYTES } from '@hourglass/journey';
import { ActionError, type ActionResult, actionHasOutput, actionOutputSchema } from '@hourglass/nodes';

/**
 * The output an action's step records and later steps read, or null when its node declares none.
 * Checked before anything is written: a shape that breaks the node's schema, or more than
 * MAX_OUTPUT_BYTES of JSON, fails the step for good (retrying would produce the same).
 */
export function checkedOutput(action: string, result: ActionResult): Record<string, Json> | null {
  if (!actionHasOutput(action)) return null;
  const output = result.output ?? {};
  const schema = actionOutputSchema(action);
  if (schema) {
    const parsed = schema.safeParse(output);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
      throw new ActionError(
        'output.invalid',
        `The action's output does not match its schema${at}: ${issue?.message ?? ''}`,
        false,
      );
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(output));
  if (bytes > MAX_OUTPUT_BYTES)
    throw new ActionError(
      'output.too_large',
      `The action's output is ${bytes} bytes; the limit is ${MAX_OUTPUT_BYTES}`,
      false,
    );
  return output;
}
