// Preloaded into the worker process by the worker-rss bench (NODE_OPTIONS="--import <this> --expose-gc"),
// never by production. On SIGURG every thread of the process (the main thread, where activities run, and
// the workflow thread) runs a full garbage collection and reports its V8 heap on stderr, so the bench can
// tell memory the worker holds from garbage its heaps have not collected yet: an idle V8 heap keeps the
// size it reached under load until the next major collection, which only more work would bring. SIGURG
// is ignored by default, so a process without this hook is unaffected by the signal.
import v8 from 'node:v8';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

const channel = new BroadcastChannel('hourglass-bench-gc');
channel.unref();
const mb = (bytes) => Math.round(bytes / 2 ** 20);
const collect = () => {
  globalThis.gc?.({ type: 'major', execution: 'sync' });
  const heap = v8.getHeapStatistics();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s]));
  process.stderr.write(
    `worker-gc: thread ${threadId}: heap used ${mb(heap.used_heap_size)} MB, committed ` +
      `${mb(heap.total_physical_size)} MB (new space ${mb(spaces.new_space?.physical_space_size ?? 0)} MB, ` +
      `old ${mb(spaces.old_space?.physical_space_size ?? 0)} MB, code ${mb(spaces.code_space?.physical_space_size ?? 0)} MB), ` +
      `malloced ${mb(heap.malloced_memory)} MB, external ${mb(heap.external_memory ?? 0)} MB` +
      `${isMainThread ? `, process RSS ${mb(process.memoryUsage.rss())} MB` : ''}\n`,
  );
};
channel.onmessage = collect;
if (isMainThread)
  process.on('SIGURG', () => {
    channel.postMessage('gc');
    collect();
  });
