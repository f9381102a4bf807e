import { describe, expect, it } from 'vitest';
import { targetLines, type MeasuredRun } from '../../fixtures/bench-targets.js';

/** A run of `npm run bench`: 2 workers and the core rules unless given. */
function measured(layout: string, seconds: number, megabytes: number, more: Partial<MeasuredRun> = {}): MeasuredRun {
  return { layout, workers: 2, rules: 'core', seconds, megabytes, rssMiB: 250, ...more };
}

describe('the engine targets under the bench table', () => {
  it('says for each target what was measured and whether it is reached', () => {
    const runs = [
      measured('classic', 3.4, 1019, { rssMiB: 268 }),
      measured('classic', 3.87, 1019, { workers: 1 }),
      measured('classic', 6.12, 1019, { rules: 'all', rssMiB: 365 }),
      measured('classic.gz', 4.14, 1019, { rssMiB: 290 }),
      measured('classic.gz', 8.5, 1019, { rules: 'all' }),
      measured('v5', 1.5, 493),
      measured('v5', 2.9, 493, { rules: 'all' }),
    ];
    expect(targetLines(runs, new Map([['classic', 3.72], ['v5', 1.37]]), 2)).toEqual([
      '- classic ≥ 500 MB/s: 300 MB/s, NOT reached',
      '- v5 ≥ 300 MB/s: 329 MB/s, reached',
      '- gzip ≥ 80% of the plain rate: 82% (classic.gz against classic), reached',
      '- no slower than DuckDB: classic 0.91, reached; v5 1.09, NOT reached',
      '- every rule ≤ 2 × the core rules: classic 1.80, reached; classic.gz 2.05, NOT reached; v5 1.93, reached',
      // 268 MiB is 281 MB, 290 MiB 304 MB; v5's 493 MB file is no 1 GB input.
      '- peak ≤ 300 MB for a 1 GB input: classic (1.02 GB) 281 MB, reached; classic.gz (1.02 GB) 304 MB, NOT reached',
    ]);
  });

  it('leaves out the targets whose runs the bench did not make', () => {
    // `--layouts v5`, DuckDB not installed, a month of 10 M lookups (2.5 GB): only the rate and every rule.
    const runs = [measured('v5', 10.05, 2467), measured('v5', 17.74, 2467, { rules: 'all' })];
    expect(targetLines(runs, new Map([['v5', null]]), 2)).toEqual([
      '- v5 ≥ 300 MB/s: 245 MB/s, NOT reached',
      '- every rule ≤ 2 × the core rules: v5 1.77, reached',
    ]);
    // The rows of another worker count do not stand for the default.
    expect(targetLines([measured('v5', 1.5, 493, { workers: 1 })], new Map(), 2)).toEqual([]);
  });
});
