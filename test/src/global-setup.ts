import fs from 'node:fs';
import path from 'node:path';
import { buildWorkflowBundle } from '@hourglass/workflows';
import type { TestProject } from 'vitest/node';

// Bundling the workflow code (webpack) takes seconds: do it once per test run, shared by every test file.
export default async function setup(project: TestProject) {
  const dir = path.resolve(import.meta.dirname ?? '.', '../../data/test');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `workflow-bundle-${process.pid}.js`);
  const { code } = await buildWorkflowBundle();
  fs.writeFileSync(file, code);
  project.provide('workflowBundlePath', file);
  return () => fs.rmSync(file, { force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
  }
}
