import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** Output files hold personal data: readable by the owner only. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_FOLDER = 0o700;

/**
 * Prepares the output folder: creates it (private), or refuses a folder that already holds files unless
 * `force` is given.
 */
export async function prepareOutputFolder(path: string, force: boolean): Promise<void> {
  let entries: string[] | null = null;
  try {
    entries = await fs.readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`--out ${path}: ${(error as Error).message}`);
    }
  }
  if (entries === null) {
    await fs.mkdir(path, { recursive: true, mode: PRIVATE_FOLDER });
    return;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(`--out ${path} is not empty`, { hint: 'choose a new folder, or add --force to overwrite' });
  }
}

export async function writePrivateFile(folder: string, name: string, content: string): Promise<void> {
  const path = join(folder, name);
  await fs.writeFile(path, content, { mode: PRIVATE_FILE });
  // A file that existed before keeps its mode on overwrite; make sure it is private too.
  await fs.chmod(path, PRIVATE_FILE);
}

export function openPrivateStream(folder: string, name: string): WriteStream {
  return createWriteStream(join(folder, name), { mode: PRIVATE_FILE });
}

/** Ends a write stream and waits until its data is on disk (or fails). */
export function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
