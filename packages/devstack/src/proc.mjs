import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { FatalError } from './log.mjs';

/** Runs a command to completion; resolves with its output, rejects with a FatalError naming it. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (opts.echo) process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      if (opts.echo) process.stderr.write(d);
    });
    child.on('error', (err) => reject(new FatalError(`cannot run ${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else {
        const tail = out.trim().split('\n').slice(-15).join('\n');
        const err = new FatalError(`${cmd} ${args.join(' ')} exited with ${code}${tail ? `\n${tail}` : ''}`);
        err.output = out;
        reject(err);
      }
    });
  });
}

/** True when `cmd` can be found on PATH. */
export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** True when a process with this pid exists. */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Reads a pid file; null when absent or unreadable. */
export function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
