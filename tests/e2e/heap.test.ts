/** The command keeps its threads' heaps small (src/engine/heap.ts): the peak is mostly heap V8 keeps around. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidBsn } from '../../src/rule-api/bsn.js';
import { ROOT, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

// Reports the main thread's young generation (its new space, in MB) as the process exits.
const HOOK =
  'data:text/javascript,import{isMainThread}from"node:worker_threads";import v8 from"node:v8";' +
  'if(isMainThread)process.on("exit",()=>process.stderr.write("young="+v8.getHeapSpaceStatistics().find((space)=>space.space_name==="new_space").space_size/1048576+"\\n"))';

describe('young generations', () => {
  it('stay small in the main thread of a run that reads a large caseload with workers (32 MB without the hold)', () => {
    const folder = tempDir();
    const rows = ['bsn,start_date'];
    for (let number = 100_000_000; rows.length <= 40_000; number++) if (isValidBsn(String(number))) rows.push(`${number},2026-01-01`);
    const caseload = join(folder, 'caseload.csv');
    writeFileSync(caseload, rows.join('\n') + '\n');
    const run = spawnSync(
      process.execPath,
      ['--import', HOOK, join(ROOT, 'bin', 'suwinet-audit.js'), 'analyze', join(ROOT, 'fixtures', 'demo', 'logs'), '--mapping', join(ROOT, 'fixtures', 'demo', 'inlezen.mapping.json'), '--cases', caseload,
        '--out', join(folder, 'out'), '--workers', '2', '--fail-on', 'never', '--quiet'],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const young = Number(/young=([\d.]+)/.exec(run.stderr)?.[1]);
    // It may grow a step or two while a new thread's heap is set up (see tightenHeaps).
    expect(young).toBeGreaterThan(0);
    expect(young, `young=${young}`).toBeLessThanOrEqual(16);
  }, 30_000);
});
