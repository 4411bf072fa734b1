import type { OutputScope } from '@hourglass/journey';
import type { FieldUi } from '@hourglass/nodes';
import { createContext, useContext } from 'react';
import type { JsonSchema } from './schema';

// What the fields of a generated form share, apart from the form itself, so widgets and the rule
// field read it without importing the form that renders them.

/** What every field of one generated form shares. */
export interface FormContext {
  nodeId: string;
  root: Record<string, unknown>;
  defs: Record<string, JsonSchema>;
  fields: Record<string, FieldUi> | undefined;
  errors: Record<string, string>;
  /** Step outputs that reach the node (templates, its rules) and every output of the journey. */
  outputs: OutputScope;
  /** The node starts the journey: its exit and goal rules are checked all along the run. */
  trigger: boolean;
  set(path: string[], value: unknown): void;
}

export const FormCtx = createContext<FormContext | null>(null);

/** The shared form context. */
export function useForm(): FormContext {
  const ctx = useContext(FormCtx);
  if (!ctx) throw new Error('useForm outside a form');
  return ctx;
}

/** DOM id of a field's input: diagnostics with a `field` focus it. */
export const fieldId = (nodeId: string, path: readonly string[]) => `f-${nodeId}-${path.join('.')}`;

/** Error text for a path: an exact match, or one raised on a child. */
export function errorAt(errors: Record<string, string>, path: readonly string[]): string | undefined {
  const key = path.join('.');
  return errors[key];
}
