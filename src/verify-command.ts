import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from './analyze-command.js';
import { EXIT, UsageError } from './errors.js';
import { MANIFEST, verifyFolder, type Manifest } from './output/manifest.js';

/**
 * `verify DIR`: the auditor's question "is this the report of that data?" answered yes (exit 0) or no (exit 1,
 * naming each file that differs). Input files are checked when they are still where the run read them.
 */
export async function runVerify(dir: string, io: Io): Promise<number> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (error) {
    throw new UsageError(`${dir}: no readable ${MANIFEST} (${(error as Error).message})`, {
      hint: 'point at the output folder of an analyze run',
    });
  }
  const result = await verifyFolder(dir, manifest);
  for (const mismatch of result.mismatches) io.out(`mismatch: ${mismatch}\n`);
  for (const absent of result.absent) io.out(`not checked (not present): ${absent}\n`);
  io.out(
    result.mismatches.length === 0
      ? `verified: ${result.checked} file(s) match ${MANIFEST}\n`
      : `${result.mismatches.length} mismatch(es); ${result.checked} file(s) checked\n`,
  );
  return result.mismatches.length === 0 ? EXIT.ok : EXIT.findings;
}
