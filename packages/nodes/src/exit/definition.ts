import { defineNode } from '@hourglass/journey';
import { z } from 'zod';

/** Exit config: a label that shows up as the run's end reason. */
export const ExitConfig = z.object({
  label: z.string().max(80).default('Journey complete').describe('Reason shown in the run timeline'),
});
export type ExitConfig = z.infer<typeof ExitConfig>;

/** Ends the journey. */
export const exit = defineNode({
  kind: 'exit',
  version: 1,
  label: 'Exit',
  description: 'End the journey here.',
  category: 'flow',
  config: ExitConfig,
  ports: [],
  compile: (c) => ({ steps: [{ type: 'end', reason: 'exit_node', label: c.label }] }),
});
