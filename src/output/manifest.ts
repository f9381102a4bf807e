import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fs, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import type { FileReport, SkippedFile } from '../engine/analyze.js';
import type { ReferenceFileReport } from './summary.js';

/** What an auditor needs to answer "is this the report of that data?". */
export interface Manifest {
  tool: { name: string; version: string; node: string };
  commandLine: string[];
  settings: Record<string, unknown>;
  rules: unknown[];
  period: { from: string; to: string } | null;
  startedAt: string;
  finishedAt: string;
  inputs: Array<Pick<FileReport, 'file' | 'bytes' | 'sha256' | 'layout' | 'lines' | 'lookups' | 'rejects'>>;
  /** Files in an input folder that are no log, not analysed. */
  skipped: Array<Pick<SkippedFile, 'file' | 'reason' | 'bytes' | 'sha256'>>;
  reference: ReferenceFileReport[];
  outputs: Array<{ file: string; bytes: number; sha256: string }>;
}

export async function sha256Of(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(piece);
    bytes += piece.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every file under `folder`, as paths relative to it with `/`, in name order. */
export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/'))
    .sort();
}

/** Hashes of the outputs in `folder` (everything but the manifest itself). */
export async function outputHashes(folder: string): Promise<Manifest['outputs']> {
  const outputs: Manifest['outputs'] = [];
  for (const file of await filesUnder(folder)) {
    if (file === MANIFEST) continue;
    outputs.push({ file, ...(await sha256Of(join(folder, file))) });
  }
  return outputs;
}

export const MANIFEST = 'manifest.json';

/** The manifest of an output folder; a folder without a readable one is not the output of a run. */
export function readManifest(dir: string): { manifest: Manifest; bytes: Buffer } {
  try {
    const bytes = readFileSync(join(dir, MANIFEST));
    return { manifest: JSON.parse(bytes.toString('utf8')) as Manifest, bytes };
  } catch (error) {
    throw new UsageError(`${dir}: no readable ${MANIFEST} (${(error as Error).message})`, {
      hint: 'point at the output folder of an analyze run',
    });
  }
}

export interface Verification {
  /** One line per file that does not match, or is missing. */
  mismatches: string[];
  /** Input and reference files that are no longer where the run read them: not checked. */
  absent: string[];
  checked: number;
}

/**
 * Recomputes the hashes the manifest records: every output in the folder (a file missing or added is a
 * mismatch), and the input and reference files when they are still at the path the run used.
 */
export async function verifyFolder(folder: string, manifest: Manifest): Promise<Verification> {
  const result: Verification = { mismatches: [], absent: [], checked: 0 };
  const recorded = new Map(manifest.outputs.map((output) => [output.file, output.sha256]));
  const present = (await filesUnder(folder)).filter((file) => file !== MANIFEST);
  for (const file of present) {
    const expected = recorded.get(file);
    if (expected === undefined) {
      result.mismatches.push(`${file}: not in the manifest`);
      continue;
    }
    result.checked++;
    if ((await sha256Of(join(folder, file))).sha256 !== expected) result.mismatches.push(`${file}: content differs from the manifest`);
  }
  for (const file of recorded.keys()) if (!present.includes(file)) result.mismatches.push(`${file}: missing`);
  for (const input of [...manifest.inputs, ...(manifest.skipped ?? []), ...manifest.reference]) {
    if (input.file === '-' || !existsSync(input.file)) {
      result.absent.push(input.file);
      continue;
    }
    result.checked++;
    if ((await sha256Of(input.file)).sha256 !== input.sha256) result.mismatches.push(`${input.file}: input differs from the one analysed`);
  }
  return result;
}
