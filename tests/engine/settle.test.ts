/**
 * Windows settled while the input is read (RuleRunner.settleWindows) give the findings of the whole month:
 * the demo month with every rule, its files in order and reversed (lines then arrive weeks late, near
 * lookups already let go), without workers and with two, against the same run without settling.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as source from '../../src/engine/analyze.js';
import type { AnalyzeSettings } from '../../src/engine/analyze.js';
import * as sourceSetup from '../../src/engine/setup.js';
import { loadMapping } from '../../src/input/mapping.js';
import { loadAuthz, loadCaseload, loadUsers, loadWatchlist } from '../../src/reference/loaders.js';
import { RuleRunner, type RulePartial } from '../../src/rule-api/runner.js';
import { Spill } from '../../src/rule-api/spill.js';
import { ROOT, removeTempDirs, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);
afterEach(() => vi.restoreAllMocks());

const DEMO = join(ROOT, 'fixtures', 'demo');
const LOGS = ['2026-04-a-suwinet-inkijk-custom-access.log.gz', '2026-04-b-raadpleegpersoon_v5.log', '2026-04-inlezen.ndjson'].map((name) => join(DEMO, 'logs', name));

/** Workers load the built worker, so a run with workers uses the built engine (`npm test` builds first). */
async function engineFor(workers: number): Promise<{ analyze: typeof source.analyze; prepareAnalysis: typeof source.prepareAnalysis; rules: string }> {
  if (workers === 0) return { ...source, rules: sourceSetup.BUILTIN_RULES };
  const built = (await import(pathToFileURL(join(ROOT, 'dist/src/engine/analyze.js')).href)) as typeof source;
  const setup = (await import(pathToFileURL(join(ROOT, 'dist/src/engine/setup.js')).href)) as typeof sourceSetup;
  return { ...built, rules: setup.BUILTIN_RULES };
}

async function findings(inputs: readonly string[], workers: number, settleWindows: boolean, maxFindings?: number, spillFolder?: string) {
  const { analyze, prepareAnalysis, rules } = await engineFor(workers);
  const ref = (name: string) => join(DEMO, 'ref', name);
  const settings: AnalyzeSettings = {
    inputs,
    format: 'auto',
    timezone: 'Europe/Amsterdam',
    mapping: loadMapping(join(DEMO, 'inlezen.mapping.json')),
    reference: { cases: loadCaseload(ref('caseload.csv')), users: loadUsers(ref('users.csv')), authz: loadAuthz(ref('authz.csv')), watchlist: loadWatchlist(ref('watchlist.csv')) },
    ruleModules: [rules],
    enable: ['concurrent-sessions'],
    workers,
    chunkSize: 64 << 10,
    settleWindows,
    ...(maxFindings === undefined ? {} : { maxFindings }),
    ...(spillFolder === undefined ? {} : { spillFolder }),
  };
  const result = await analyze(await prepareAnalysis(settings), { reject: () => undefined, notice: () => undefined, skip: () => undefined });
  return JSON.stringify(result.findings);
}

/** Watches the source engine's settling: the most lookups settled at once, and whether any came back. */
function watchSettling(): { settled: number; cameBack: boolean } {
  const seen = { settled: 0, cameBack: false };
  const settle = RuleRunner.prototype.settleWindows;
  vi.spyOn(RuleRunner.prototype, 'settleWindows').mockImplementation(function (this: RuleRunner, partial: RulePartial, until: number) {
    settle.call(this, partial, until);
    const settlement = partial.settlement!;
    const settled = settlement.settled.reduce((sum, keys) => sum + [...keys.values()].reduce((count, list) => count + list.length, 0), 0);
    seen.settled = Math.max(seen.settled, settled);
    seen.cameBack ||= settlement.broughtBack.some((count) => count > 0);
  });
  return seen;
}

describe('settled windows', () => {
  // The SI Classic file holds the first half of the month, the v5 file the second (a migration); the
  // NDJSON file of another application spans the whole month.
  const orders: Array<[name: string, inputs: string[], cameBack: boolean]> = [
    ['in time order (the two BKWI files)', LOGS.slice(0, 2), false],
    ['with a file spanning the month after them', LOGS, true],
    ['reversed', [...LOGS].reverse(), true],
  ];
  for (const [name, inputs, cameBack] of orders) {
    it(`give the findings of the whole month, its files ${name}, without workers`, async () => {
      const whole = await findings(inputs, 0, false);
      expect(whole).toContain('"rule":"bulk-lookups"');
      expect(whole).toContain('"rule":"concurrent-sessions"');
      const seen = watchSettling();
      expect(await findings(inputs, 0, true)).toBe(whole);
      expect(seen.settled).toBeGreaterThan(10);
      expect(seen.cameBack).toBe(cameBack);
    }, 60_000);
  }

  it('leave no spill file behind when the run stops with an error', async () => {
    const spills: string[] = [];
    const ready = Spill.prototype.ready;
    vi.spyOn(Spill.prototype, 'ready').mockImplementation(function (this: Spill) {
      const made = ready.call(this);
      if (this.path !== null && !spills.includes(this.path)) spills.push(this.path);
      return made;
    });
    // The finding limit stops the run once the month is well under way, after days were settled.
    const staging = tempDir();
    const error = await findings(LOGS, 0, true, 12, staging).catch((failure: unknown) => failure);
    expect(String(error)).toMatch(/more than 12 findings/);
    expect(spills).toHaveLength(1);
    // In the folder given (the command gives its staging folder), and gone.
    expect(dirname(dirname(spills[0]!))).toBe(staging);
    expect(existsSync(dirname(spills[0]!))).toBe(false);
  });

  it('give the findings of the whole month with two workers', async () => {
    for (const [, inputs] of orders) expect(await findings(inputs, 2, true)).toBe(await findings(inputs, 2, false));
  }, 60_000);
});
