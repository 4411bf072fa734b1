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

/**
 * Kills (SIGKILL) every process whose environment carries `NAME=value`, and returns how many. A test run
 * tags its environment so that what its tests started — workers, API processes, a PostgreSQL or Temporal
 * of their own — cannot outlive it when a test times out or is killed before its own clean-up (pg_ctl
 * detaches the postmaster into its own session, so a process group would not reach it). Linux only
 * (/proc); elsewhere it does nothing.
 */
export function killTagged(name, value) {
  if (!fs.existsSync('/proc/self/environ')) return 0;
  const tag = `${name}=${value}`;
  let killed = 0;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.split('\0').includes(tag)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
