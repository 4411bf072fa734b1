import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { type ReplayResult, Worker } from '@temporalio/worker';

// Golden histories: real runs recorded on the dev server (workflows/histories/*.json). Replaying them
// against the current interpreter fails when a change would break runs already in flight; such
// changes must go behind `patched()`.

/** Folder holding the committed golden histories. */
export const historiesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../histories');

export { historyFromJSON, historyToJSON };

/** Replays every golden history; returns one result per file (error set when it no longer replays). */
export async function replayGoldenHistories(
  bundle: { code: string },
  dir = historiesDir,
): Promise<Array<ReplayResult & { file: string }>> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))),
  }));
  const out: Array<ReplayResult & { file: string }> = [];
  let i = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    out.push({ ...result, file: files[i++] ?? result.workflowId });
  }
  return out;
}
