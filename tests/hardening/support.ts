/**
 * What the hardening properties share: an engine with every built-in rule active (reference data read by the
 * real loaders) plus the every-lookup test rule, and a reading of a chunked file into what became of each
 * line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { addStats, emptyStats, evaluateLineChunk, lineParserFor, type ChunkResult, type Reject } from '../../src/engine/chunk.js';
import { BUILTIN_RULES, buildEngine, type Engine } from '../../src/engine/setup.js';
import { EXCERPT_LIMIT } from '../../src/input/lines.js';
import type { Mapping, RecordSource } from '../../src/input/mapping.js';
import { countLines } from '../../src/input/sources.js';
import { loadAuthz, loadCaseload, loadUsers, loadWatchlist } from '../../src/reference/loaders.js';
import { unpackPosition } from '../../src/rule-api/position.js';
import { renderFindings, type RawFinding } from '../../src/rule-api/runner.js';
import type { Finding, Layout, ReferenceData } from '../../src/rule-api/types.js';
import type { Intended } from './generators.js';

export const EVERY_LOOKUP = new URL('./every-lookup-rule.js', import.meta.url).href;

/** A folder for the generated files of a test file, removed after its tests. */
export function scratchFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'suwinet-hardening-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A scratch folder, and the reference data of `referenceData` read into it before the tests of the file. */
export function withReference(): { dir: string; reference(): ReferenceData } {
  const dir = scratchFolder();
  let reference: ReferenceData | undefined;
  beforeAll(() => {
    reference = referenceData(dir);
  });
  return { dir, reference: () => reference! };
}

/**
 * A municipality's reference exports for the generated logins and BSNs, read by the real loaders: with them
 * every built-in rule runs, so that findings of all kinds are compared across chunkings.
 */
function referenceData(dir: string): ReferenceData {
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    return path;
  };
  return {
    cases: loadCaseload(
      write('caseload.csv', [
        'bsn;zaaknummer;team;medewerker;startdatum;einddatum',
        '111222333;Z-1;inkomen;0057_gsd_voorbeeld_mb;01-01-2026;',
        '249566758;Z-2;schuldhulp;0111_wgs_voorbeeld_mv;2026-03-28;2026-03-29',
        '683938861;Z-3;inkomen;0070_gsd_voorbeeld_ky;2025-01-01;2026-03-27',
      ]),
    ),
    users: loadUsers(
      write('users.csv', [
        'login,name,team,roles,start_date,end_date,bsn',
        '0057_gsd_voorbeeld_mb,Mira Bakker,inkomen,BASIS_GSD|FR0999001|R1,2014-03-05,,319072356',
        '0095_gsd_voorbeeld_tm,Thijs de Vries,inkomen,BASIS_GSD|FR0999002|R1,2020-01-01,2026-03-28,',
        '0111_wgs_voorbeeld_mv,Mo Vos,schuldhulp,BASIS_GSD|FR0999003|R1,2019-06-01,,768510338',
        '0070_gsd_voorbeeld_ky,Karin Yılmaz,handhaving,BASIS_GSD|FR0999001|R1,2021-02-10,,',
      ]),
    ),
    authz: loadAuthz(write('authz.csv', ['role,page', 'BASIS_GSD,gba-zoek', 'FR0999001,bijstandsregelingen', 'FR0999001,uwv-polis'])),
    watchlist: loadWatchlist(write('watchlist.csv', ['bsn,label', '111111110,Wethouder sociaal domein'])),
  };
}

/**
 * Engines of a run with every built-in rule and the every-lookup test rule, one per mapping (undefined for
 * the BKWI layouts), built before the tests of the file.
 */
export function withEngines<Name extends string>(mappings: Record<Name, Mapping | undefined>): (name: Name) => Engine {
  const { reference } = withReference();
  const engines = new Map<Name, Engine>();
  beforeAll(async () => {
    for (const [name, mapping] of Object.entries(mappings) as Array<[Name, Mapping | undefined]>) {
      engines.set(name, await buildEngine({ format: 'auto', mapping, timezone: 'Europe/Amsterdam', reference: reference(), ruleModules: [BUILTIN_RULES, EVERY_LOOKUP] }));
    }
  });
  return (name) => engines.get(name)!;
}

/** What became of one line: a lookup (its canonical projection), a reject, or a blank line. */
export type Outcome =
  | ({ kind: 'lookup' } & Intended)
  | { kind: 'reject'; reason: string; excerpt: string }
  | { kind: 'blank' };

/** A file as the engine read it. */
export interface Reading {
  lines: number;
  lookups: number;
  blank: number;
  rejects: Reject[];
  /** What each line that was not blank became, by line number. */
  outcomes: Map<number, Outcome>;
  findings: Finding[];
}

/**
 * What each line that was not blank became: the lookups (by line) and the rejects. A line read twice, or
 * read and rejected, fails the test.
 */
export function outcomesOf(lookups: Iterable<[number, Intended]>, rejects: readonly Reject[]): Map<number, Outcome> {
  const outcomes = new Map<number, Outcome>();
  for (const [line, lookup] of lookups) {
    expect(outcomes.has(line), `line ${line} read twice`).toBe(false);
    outcomes.set(line, { kind: 'lookup', ...lookup });
  }
  for (const { line, reason, excerpt } of rejects) {
    expect(outcomes.has(line), `line ${line} both read and rejected, or rejected twice`).toBe(false);
    outcomes.set(line, { kind: 'reject', reason, excerpt });
  }
  return outcomes;
}

/** The lookup each every-lookup finding stands for, with its line. */
function* lookupsOf(raw: readonly RawFinding[]): Generator<[number, Intended]> {
  for (const finding of raw) {
    if (finding.rule !== 'every-lookup') continue;
    expect(finding.count, 'one lookup per line').toBe(1);
    const page = finding.data['page'];
    yield [unpackPosition(finding.evidence[0]!).line, { time: finding.from, user: finding.user, bsn: finding.bsn, page: page === '-' ? null : String(page) }];
  }
}

/**
 * What chunk results add up to, merged in input order as the engine merges them. For header CSV and JSON
 * arrays the reader counts the lines (`lines`: of the records, without the header), and blank is what is
 * neither a lookup nor a reject, as the engine works it out.
 */
export function readingOf(engine: Engine, file: string, results: readonly ChunkResult[], lines?: number): Reading {
  const { runner } = engine;
  const total = runner.createPartial();
  const stats = emptyStats();
  const rejects: Reject[] = [];
  for (const result of results) {
    addStats(stats, result.stats);
    rejects.push(...result.stats.rejects);
    runner.merge(total, result.partial);
  }
  const raw = runner.finish(total);
  const outcomes = outcomesOf(lookupsOf(raw), rejects);
  return {
    lines: lines ?? stats.lines,
    lookups: stats.lookups,
    blank: lines === undefined ? stats.blank : lines - stats.lookups - rejects.length,
    rejects,
    outcomes,
    findings: renderFindings(raw, engine.rules, engine.calendar, [file]),
  };
}

/**
 * Reads a line-oriented file (SI Classic, v5, NDJSON) given as chunks that end on line boundaries, the way
 * the engine does: each chunk parsed on its own, partials merged in input order. `firstLine` > 1 reads a
 * piece of a file on its own (then it is not at the start of the file).
 */
export function readChunks(engine: Engine, layout: Layout, forced: boolean, chunks: readonly Uint8Array[], firstLine = 1): Reading {
  const origin: RecordSource = { layout, file: `generated.${layout}`, source: 0 };
  const results: ChunkResult[] = [];
  let line = firstLine;
  for (const chunk of chunks) {
    const parse = lineParserFor(origin, forced, engine.parse);
    const result = evaluateLineChunk(chunk, line, line === 1, origin, parse, engine.runner);
    expect(result.stats.lines, 'lines of a chunk').toBe(countLines(chunk));
    results.push(result);
    line += result.stats.lines;
  }
  return readingOf(engine, origin.file, results);
}

/**
 * Invariants 2 and 5: every line from `firstLine` on is counted once, as a lookup, a reject or a blank line;
 * rejected lines lie within the file; excerpts, and reasons (which may quote a field), are at most 200
 * characters.
 */
export function expectEveryLineOnce(reading: Reading, lines: number, firstLine = 1): void {
  expect(reading.lines).toBe(lines);
  expect(reading.blank).toBeGreaterThanOrEqual(0);
  expect(reading.lookups + reading.rejects.length + reading.blank).toBe(lines);
  expect(reading.outcomes.size).toBe(reading.lookups + reading.rejects.length);
  for (const line of reading.outcomes.keys()) {
    expect(line).toBeGreaterThanOrEqual(firstLine);
    expect(line).toBeLessThan(firstLine + lines);
  }
  for (const reject of reading.rejects) {
    expect(reject.excerpt.length).toBeLessThanOrEqual(EXCERPT_LIMIT);
    expect(reject.reason.length, reject.reason.slice(0, 300)).toBeLessThanOrEqual(EXCERPT_LIMIT);
  }
}

/** What line `line` became: blank when it was neither read nor rejected. */
export function outcomeOf(reading: Reading, line: number): Outcome {
  return reading.outcomes.get(line) ?? { kind: 'blank' };
}
