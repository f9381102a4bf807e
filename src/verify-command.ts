import type { Io } from './analyze-command.js';
import { EXIT } from './errors.js';
import { MANIFEST, readManifest, verifyFolder } from './output/manifest.js';

/**
 * `verify DIR`: the auditor's question "is this the report of that data?" answered yes (exit 0) or no (exit 1,
 * naming each file that differs). Input files are checked when they are still where the run read them.
 */
export async function runVerify(dir: string, io: Io): Promise<number> {
  const { manifest } = readManifest(dir);
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
