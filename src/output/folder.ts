import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

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
 * `force` is given.
 */
export async function prepareOutputFolder(path: string, force: boolean, modes: OutputModes = PRIVATE): Promise<void> {
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
    return;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(`--out ${path} is not empty`, { hint: 'choose a new folder, or add --force to overwrite' });
  }
}

const STAGING = /^\.(.+)\.partial-(\d+)$/;

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

export async function removeStaging(staging: string): Promise<void> {
  await fs.rm(staging, { recursive: true, force: true });
}

export async function makePrivateFolder(path: string, modes: OutputModes = PRIVATE): Promise<void> {
  await fs.mkdir(path, { recursive: true, mode: modes.folder });
}

export async function writePrivateFile(folder: string, name: string, content: string, modes: OutputModes = PRIVATE): Promise<void> {
  await fs.writeFile(join(folder, name), content, { mode: modes.file });
}

export function openPrivateStream(folder: string, name: string, modes: OutputModes = PRIVATE): WriteStream {
  return createWriteStream(join(folder, name), { mode: modes.file });
}

/** Ends a write stream and waits until its data is on disk (or fails). */
export function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
