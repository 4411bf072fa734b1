import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FatalError, step } from './log.mjs';
import { portFree } from './ports.mjs';
import { alive, readPid, run, which } from './proc.mjs';

const DB_USER = 'hourglass';

/** Finds the PostgreSQL server binaries (Debian layout, or on PATH). */
function findBinDir() {
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], 'bin');
  }
  const pgCtl = which('pg_ctl');
  if (pgCtl) return path.dirname(pgCtl);
  return null;
}

/** PostgreSQL refuses to run as root: when we are root, its commands run as the `postgres` user. */
function runAs() {
  if (process.getuid?.() !== 0) return [];
  const r = spawnSync('id', ['-u', 'postgres']);
  if (r.status !== 0) {
    throw new FatalError(
      'running as root but there is no "postgres" user to run PostgreSQL as; set DATABASE_URL',
    );
  }
  return [runuserPath(), '-u', 'postgres', '--'];
}

/** `runuser` lives in sbin, which a non-login PATH may lack. */
function runuserPath() {
  return (
    which('runuser') ?? ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => fs.existsSync(p)) ?? 'runuser'
  );
}

function pgCmd(bin, name, args, opts) {
  const prefix = runAs();
  const full = [...prefix, path.join(bin, name), ...args];
  return run(full[0], full.slice(1), opts);
}

/** Makes `dir` writable by the user PostgreSQL runs as. */
function prepareDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    const probe = spawnSync(runuserPath(), ['-u', 'postgres', '--', 'test', '-w', dir]);
    if (probe.status !== 0) {
      throw new FatalError(
        `PostgreSQL (user postgres) cannot write ${dir}: a parent folder is not readable by other users; set HOURGLASS_DATA_DIR or DATABASE_URL`,
      );
    }
  }
}

/**
 * Starts a local PostgreSQL server whose files live in `dir` and returns its URL.
 * Handles a stale pid file and an orphaned server left by a killed earlier run.
 */
export async function startPostgres({ dir, port, database = 'hourglass', fast = false }) {
  const bin = findBinDir();
  if (!bin) {
    throw new FatalError(
      'PostgreSQL server binaries not found (install postgresql) and DATABASE_URL is not set',
    );
  }
  const pgdata = path.join(dir, 'pgdata');
  const logFile = path.join(dir, 'postgres.log');
  prepareDir(dir);
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    await step('Creating the PostgreSQL data folder', () =>
      pgCmd(bin, 'initdb', ['-D', pgdata, '-U', DB_USER, '--auth=trust', '--encoding=UTF8', '--no-locale']),
    );
  }
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid && alive(pid) && isPostgres(pid)) {
    // An orphan from an earlier run that was killed: stop it so this run owns the server.
    await pgCmd(bin, 'pg_ctl', ['-D', pgdata, 'stop', '-m', 'fast', '-w']).catch(() => {});
  } else if (pid) {
    fs.rmSync(pidFile, { force: true });
  }
  if (!(await portFree(port))) {
    throw new FatalError(
      `port ${port} is taken, so PostgreSQL cannot start: free it, or set HOURGLASS_PG_PORT or DATABASE_URL`,
    );
  }
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=200',
  ];
  if (fast) options.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  await step(`Starting PostgreSQL on port ${port}`, () =>
    pgCmd(bin, 'pg_ctl', [
      '-D',
      pgdata,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      options.join(' '),
      'start',
    ]).catch((err) => {
      const tail = fs.existsSync(logFile)
        ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n')
        : '';
      throw new FatalError(`PostgreSQL did not start: ${err.message.split('\n')[0]}\n${tail}`);
    }),
  );
  const adminUrl = `postgres://${DB_USER}@127.0.0.1:${port}/postgres`;
  await createDatabase(adminUrl, database);
  return {
    url: `postgres://${DB_USER}@127.0.0.1:${port}/${database}`,
    adminUrl,
    stop: () => pgCmd(bin, 'pg_ctl', ['-D', pgdata, 'stop', '-m', 'fast', '-w']).catch(() => {}),
  };
}

function isPostgres(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return true;
  }
}

/** Creates `database` on the server at `adminUrl` unless it exists. */
export async function createDatabase(adminUrl, database) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
}

/** Fails with one clear line when the database at `url` cannot be reached. */
export async function checkDatabase(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new FatalError(`cannot reach the database at DATABASE_URL (${redact(url)}): ${err.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for messages. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
