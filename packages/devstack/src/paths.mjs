import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Persistent local state of `npm start` (gitignored). */
export const DATA_DIR = process.env.HOURGLASS_DATA_DIR ?? path.join(ROOT, 'data');

/** Per-user cache outside the repository: built tools are reused across clones and CI runs. */
export const CACHE_DIR =
  process.env.HOURGLASS_CACHE_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'hourglass');
