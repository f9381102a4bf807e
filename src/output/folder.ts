import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { OutputError, UsageError } from '../errors.js';
import { describeFsError } from '../input/sources.js';

/** Output files hold personal data: readable by the owner only, unless `--umask` relaxes it. */
export interface OutputModes {
  file: number;
  folder: number;
}

export const PRIVATE: OutputModes = { file: 0o600, folder: 0o700 };

/** The modes for a umask such as `027` (group may read): files 0640, folders 0750. */
export function modesFor(umask: number): OutputModes {
  return { file: 0o666 & ~umask, folder: 0o777 & ~umask };
}

/**
 * Prepares the output folder: creates it (private), or refuses a folder that already holds files unless
 * `force` is given. Returns whether it created the folder (see removeCreatedFolder).
 */
export async function prepareOutputFolder(path: string, force: boolean, modes: OutputModes = PRIVATE): Promise<boolean> {
  let entries: string[] | null = null;
  try {
    entries = await fs.readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`--out ${path}: ${(error as Error).message}`);
    }
  }
  if (entries === null) {
    await fs.mkdir(path, { recursive: true, mode: modes.folder });
    return true;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(`--out ${path} is not empty`, { hint: 'choose a new folder, or add --force to overwrite' });
  }
  return false;
}

/**
 * Removes the output folder a run created, once the run has failed or was interrupted: nothing was published
 * into it (outputs are published only when the run is complete), and an empty folder named like a month's
 * audit would look like one that is missing its files. A folder that holds anything is left as it is.
 */
export async function removeCreatedFolder(path: string): Promise<void> {
  await fs.rmdir(path).catch(() => undefined);
}

const STAGING = /^\.(.+)\.partial-(\d+)$/;

/** Who holds an output folder: written into its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface OutputLock {
  path: string;
  /** The holder of a lock left by a run that died (killed, power cut), which this run took over. */
  takenOver: LockHolder | null;
  release(): Promise<void>;
}

/**
 * Locks the output folder for this run with a lock file beside it (`.audit-2026-03.lock`, created
 * exclusively), so that two runs into one folder (a scheduled job and a person, or a job started twice) never
 * mix their outputs. A lock of a run on this machine that is no longer alive is taken over; a live one, or
 * one from another machine (a shared folder, where liveness cannot be checked), stops this run.
 */
export async function lockOutput(out: string, startedAt: Date, modes: OutputModes = PRIVATE): Promise<OutputLock> {
  const path = join(dirname(out), `.${basename(out)}.lock`);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: startedAt.toISOString() };
  let takenOver: LockHolder | null = null;
  for (;;) {
    try {
      await fs.writeFile(path, JSON.stringify(me) + '\n', { flag: 'wx', mode: modes.file });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--out ${out}: cannot create the lock file ${path}: ${(error as Error).message}`);
    }
    const text = await readLock(path);
    if (text === null) continue; // released between our attempt and the read: try again
    const holder = parseHolder(text);
    if (holder !== null && (holder.host !== me.host || isAlive(holder.pid))) {
      throw new UsageError(`--out ${out} is in use by run ${holder.pid} on ${holder.host}, started ${holder.startedAt}`, {
        hint: `wait for that run to finish; if no run is busy, remove ${path}`,
      });
    }
    if (holder === null) {
      throw new UsageError(`--out ${out}: lock file ${path} is unreadable`, { hint: 'if no run is busy, remove it' });
    }
    // The holder died without releasing: remove its lock, unless another run took it over meanwhile.
    if ((await fs.readFile(path, 'utf8').catch(() => null)) === text) await fs.rm(path, { force: true });
    takenOver = holder;
  }
  return {
    path,
    takenOver,
    release: async () => {
      const text = await fs.readFile(path, 'utf8').catch(() => null);
      if (text !== null && parseHolder(text)?.pid === me.pid) await fs.rm(path, { force: true });
    },
  };
}

/**
 * The lock file's text, or null when it is gone. A run creates the file and then writes it: read in between,
 * it is empty, so an empty file is read again for a while before it counts as unreadable.
 */
async function readLock(path: string): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    const text = await fs.readFile(path, 'utf8').catch(() => null);
    if (text !== '' || attempt === 50) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') return value as LockHolder;
  } catch {
    // fall through: not a lock this tool wrote
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A private staging folder beside the output folder (`.audit-2026-03.partial-<pid>`). Outputs are written
 * there and moved into place only when the run completes, so an interrupted or crashed run never leaves a
 * partial set of outputs that looks complete. Staging folders of runs that are no longer alive are removed
 * first; their names are returned for a notice.
 */
export async function createStagingFolder(out: string, modes: OutputModes = PRIVATE): Promise<{ path: string; removed: string[] }> {
  const parent = dirname(out);
  const removed: string[] = [];
  for (const entry of await fs.readdir(parent)) {
    const match = STAGING.exec(entry);
    if (match && match[1] === basename(out) && !isAlive(Number(match[2]))) {
      await fs.rm(join(parent, entry), { recursive: true, force: true });
      removed.push(join(parent, entry));
    }
  }
  const path = join(parent, `.${basename(out)}.partial-${process.pid}`);
  await fs.rm(path, { recursive: true, force: true });
  await fs.mkdir(path, { mode: modes.folder });
  return { path, removed };
}

/**
 * Moves the finished outputs (files and folders) into the output folder, `last` at the very end (it marks a
 * complete run). What an earlier run left under the same name (with --force) is replaced.
 */
export async function publish(staging: string, out: string, names: readonly string[], last: string): Promise<void> {
  for (const name of [...names.filter((candidate) => candidate !== last), last]) {
    await fs.rm(join(out, name), { recursive: true, force: true });
    await fs.rename(join(staging, name), join(out, name));
  }
  await fs.rm(staging, { recursive: true, force: true });
}

export async function makePrivateFolder(path: string, modes: OutputModes = PRIVATE): Promise<void> {
  await fs.mkdir(path, { recursive: true, mode: modes.folder });
}

/** Pieces of text are written in batches of about this many characters. */
const WRITE_BATCH = 1 << 20;

/**
 * Writes a file that only its owner can read: one text, or pieces of text (lines, rows) written as they
 * come, so that a big output is never held whole.
 */
export async function writePrivateFile(folder: string, name: string, content: string | Iterable<string>, modes: OutputModes = PRIVATE): Promise<void> {
  if (typeof content === 'string') {
    await fs.writeFile(join(folder, name), content, { mode: modes.file });
    return;
  }
  const file = await fs.open(join(folder, name), 'w', modes.file);
  try {
    let batch = '';
    for (const piece of content) {
      batch += piece;
      if (batch.length >= WRITE_BATCH) {
        await file.writeFile(batch);
        batch = '';
      }
    }
    if (batch.length > 0) await file.writeFile(batch);
  } finally {
    await file.close();
  }
}

export function openPrivateStream(folder: string, name: string, modes: OutputModes = PRIVATE): WriteStream {
  const stream = createWriteStream(join(folder, name), { mode: modes.file });
  // A write that fails (disk full) must not crash the process: closeStream reports it.
  stream.on('error', () => undefined);
  return stream;
}

/** Ends a write stream and waits until its data is on disk, or fails with the first error it had. */
export function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.errored) {
      reject(stream.errored);
      return;
    }
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/**
 * Runs `write` (everything that writes into the staging folder and publishes it) and turns a failure of the
 * file system (disk full, no permission) into an OutputError, removing the staging folder: a run that
 * cannot write all its outputs publishes none.
 */
export async function writingOutputs<T>(staging: string, out: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      throw new OutputError(`cannot write the outputs in ${out}: ${describeFsError(error)}`, {
        hint: code === 'ENOSPC' || code === 'EDQUOT' ? 'free disk space, or give --out on another disk' : 'check the output folder and its permissions',
        cause: error,
      });
    }
    throw error;
  }
}
