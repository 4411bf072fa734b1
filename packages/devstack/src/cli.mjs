#!/usr/bin/env node
// Entry of `npm start`, `npm test`, `npm run test:faults`, `npm run test:chaos`, `npm run bench` and
// `npm run typecheck`. Uses only Node built-ins until dependencies are installed, so it runs on a fresh clone.
import { FatalError } from './log.mjs';

const [command, ...args] = process.argv.slice(2);
const commands = {
  start: () => import('./start.mjs').then((m) => m.start(args)),
  test: () => import('./test.mjs').then((m) => m.test(args)),
  bench: () => import('./bench.mjs').then((m) => m.bench(args)),
  typecheck: () => import('./typecheck.mjs').then((m) => m.typecheck()),
};

const fn = commands[command];
if (!fn) {
  console.error(`usage: cli.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
try {
  const code = await fn();
  process.exitCode = code ?? 0;
} catch (err) {
  if (err instanceof FatalError) {
    console.error(`hourglass: error: ${err.message}`);
  } else {
    console.error('hourglass: unexpected error:', err);
  }
  process.exitCode = 1;
}
