/**
 * Properties of the reference loaders (caseload, user register, authorisation matrix, watchlist): on any bytes
 * they return data or throw a ReferenceDataError naming the file (and the line, for a bad row or broken
 * quoting), never another exception; valid exports are read as meant whatever their separator, header
 * names, BOM, quoting and line ends.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceDataError } from '../../src/errors.js';
import { loadAuthz, loadCaseload, loadUsers, loadWatchlist } from '../../src/reference/loaders.js';
import { PROBLEM_LIMIT } from '../../src/reference/table.js';
import { LOGINS, PROPERTY_TIMEOUT, TEN_MB, anyDamage, damage, runs, showBytes } from './generators.js';
import { scratchFolder } from './support.js';

const scratch = scratchFolder();

let written = 0;
function fileOf(bytes: Buffer): string {
  const path = join(scratch, `reference-${++written}.csv`);
  writeFileSync(path, bytes);
  return path;
}

/** A key for `--hash-key-file`: the register and the watchlist may then hold keyed hashes of BSNs. */
const HASH_KEY = 'sleutel-van-de-security-officer';

const LOADERS = {
  // As a Map, to compare: the caseload is columns that read as one.
  caseload: (path: string) => new Map(loadCaseload(path)),
  users: (path: string) => loadUsers(path),
  authz: loadAuthz,
  watchlist: (path: string) => loadWatchlist(path),
  'users (hashed BSNs)': (path: string) => loadUsers(path, HASH_KEY),
  'watchlist (hashed BSNs)': (path: string) => loadWatchlist(path, HASH_KEY),
};
type Kind = keyof typeof LOADERS;

/** Loads the bytes as each kind of reference file: data, or a ReferenceDataError that names file and line. */
function loadAll(bytes: Buffer, kinds = Object.keys(LOADERS) as Kind[]): void {
  const path = fileOf(bytes);
  for (const kind of kinds) {
    try {
      LOADERS[kind](path);
    } catch (error) {
      expect(error, `${kind}: ${(error as Error).message}`).toBeInstanceOf(ReferenceDataError);
      expectNamesFileAndLine(error as ReferenceDataError, path, bytes);
    }
  }
}

/** A file-level problem names the file; a bad row or broken quoting names `file:line`, a line of the file. */
function expectNamesFileAndLine(error: ReferenceDataError, path: string, bytes: Buffer): void {
  const lines = bytes.toString('latin1').split('\n').length;
  const lineOf = (text: string) => Number(text.slice(path.length + 1).split(':', 1)[0]);
  expect(error.message).toContain(path);
  if (error.problems.length > 0) {
    expect(error.problems.length).toBeLessThanOrEqual(PROBLEM_LIMIT);
    for (const problem of error.problems) {
      expect(problem.startsWith(`${path}:`), problem).toBe(true);
      expect(lineOf(problem)).toBeGreaterThanOrEqual(2);
      expect(lineOf(problem)).toBeLessThanOrEqual(lines);
    }
  } else if (!/: (file is empty|missing column .*|no such file or folder|permission denied)$/.test(error.message)) {
    const at = error.message.indexOf(`${path}:`);
    expect(at, `no line in: ${error.message.slice(0, 300)}`).toBeGreaterThan(0);
    const line = lineOf(error.message.slice(at));
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines);
  }
}

// ---- valid exports, as municipal systems write them ----

const VALID_BSNS = ['111222333', '249566758', '111111110', '683938861', '12345672', '319072356'];
const TEAMS = ['inkomen', 'schuldhulp', 'Werk & Inkomen, team 2', 'handhaving "fraude"', ''];

const day = fc.integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2026, 11, 31) / 86_400_000 });
/** A day written as `YYYY-MM-DD` or `DD-MM-YYYY`, and its day number. */
const writtenDay = fc.tuple(day, fc.boolean()).map(([number, dutch]) => {
  const iso = new Date(number * 86_400_000).toISOString().slice(0, 10);
  return { number, text: dutch ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : iso };
});
/** A period: a start, and an end on or after it, or open. */
const period = fc.tuple(writtenDay, fc.option(fc.nat({ max: 2000 }))).map(([start, length]) => {
  if (length === null) return { start, end: null };
  const iso = new Date((start.number + length) * 86_400_000).toISOString().slice(0, 10);
  return { start, end: { number: start.number + length, text: iso } };
});

/** A reference table: its columns (any accepted header name for each) and rows, and what loading must give. */
interface Table {
  kind: 'caseload' | 'users' | 'authz' | 'watchlist';
  header: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  expected: unknown;
}

function groupBy<T>(entries: Array<[string, T]>): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const [key, value] of entries) map.set(key, [...(map.get(key) ?? []), value]);
  return map;
}

const caseloadTable: fc.Arbitrary<Table> = fc
  .tuple(
    fc.constantFrom(['bsn', 'case_id', 'team', 'worker', 'start_date', 'end_date'], ['Burgerservicenummer', 'Zaaknummer', 'Afdeling', 'Klantmanager', 'Begindatum', 'Einddatum']),
    fc.array(fc.tuple(fc.constantFrom(...VALID_BSNS), fc.constantFrom('Z-1', 'Z2026-481844', ''), fc.constantFrom(...TEAMS), fc.constantFrom(...LOGINS, ''), period), { maxLength: 12 }),
  )
  .map(([header, rows]) => ({
    kind: 'caseload' as const,
    header,
    rows: rows.map(([bsn, caseId, team, worker, { start, end }]) => [bsn, caseId, team, worker, start.text, end?.text ?? '']),
    expected: groupBy(
      rows.map(([bsn, caseId, team, worker, { start, end }]) => [
        bsn.padStart(9, '0'),
        { caseId: caseId || null, team: team || null, worker: worker || null, start: start.number, end: end?.number ?? null },
      ]),
    ),
  }));

const usersTable: fc.Arbitrary<Table> = fc
  .tuple(
    fc.constantFrom(['login', 'name', 'team', 'roles', 'start_date', 'end_date', 'bsn'], ['Gebruikersnaam', 'Naam', 'Afdeling', 'Rollen', 'Startdatum', 'Einddatum', 'BSN']),
    fc.array(
      fc.tuple(
        fc.constantFrom(...LOGINS),
        fc.constantFrom('Mira Bakker', 'Vries, Thijs de', 'Özlem Çelik', ''),
        fc.constantFrom(...TEAMS),
        fc.subarray(['BASIS_GSD', 'FR0999001', 'R1']),
        fc.constantFrom('&', ',', '|'),
        fc.option(period),
        fc.option(fc.constantFrom(...VALID_BSNS)),
      ),
      { maxLength: 12 },
    ),
  )
  .map(([header, rows]) => ({
    kind: 'users' as const,
    header,
    rows: rows.map(([login, name, team, roles, joiner, dates, bsn]) => [login, name, team, roles.join(joiner), dates?.start.text ?? '', dates?.end?.text ?? '', bsn ?? '']),
    expected: groupBy(
      rows.map(([login, name, team, roles, , dates, bsn]) => [
        login,
        { login, name: name || null, team: team || null, roles, start: dates?.start.number ?? null, end: dates?.end?.number ?? null, bsn: bsn?.padStart(9, '0') ?? null },
      ]),
    ),
  }));

const authzTable: fc.Arbitrary<Table> = fc
  .tuple(
    fc.constantFrom(['role', 'page'], ['Rol', 'Pagina']),
    fc.array(fc.tuple(fc.constantFrom('BASIS_GSD', 'FR0999001', 'R1'), fc.constantFrom('gba-zoek', 'uwv-polis', 'rdw-zoek')), { maxLength: 12 }),
  )
  .map(([header, rows]) => {
    const expected = new Map<string, Set<string>>();
    for (const [role, page] of rows) expected.set(role, new Set([...(expected.get(role) ?? []), page]));
    return { kind: 'authz' as const, header, rows, expected };
  });

const watchlistTable: fc.Arbitrary<Table> = fc
  .tuple(
    fc.constantFrom(['bsn', 'label'], ['Burgerservicenummer', 'Omschrijving']),
    fc.array(fc.tuple(fc.constantFrom(...VALID_BSNS), fc.constantFrom('Wethouder', 'Bekende Nederlander, "tv"', '')), { maxLength: 12 }),
  )
  .map(([header, rows]) => ({
    kind: 'watchlist' as const,
    header,
    rows,
    expected: new Map(rows.map(([bsn, label]) => [bsn.padStart(9, '0'), label || 'watchlist'])),
  }));

/** A table written as a spreadsheet exports it: a separator, maybe a BOM, quotes where needed or always, mixed line ends. */
const exportedTable = fc
  .tuple(
    fc.oneof(caseloadTable, usersTable, authzTable, watchlistTable),
    fc.constantFrom(',', ';', '\t'),
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 3 }),
  )
  .map(([table, separator, bom, quoteAll, ends]) => {
    const cell = (value: string) => (quoteAll || /[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const lines = [table.header, ...table.rows].map((cells) => cells.map(cell).join(separator));
    const bytes = Buffer.from((bom ? '\uFEFF' : '') + lines.map((line, index) => line + ends[index % ends.length]).join(''), 'utf8');
    return Object.assign({ table, bytes }, { [fc.toStringMethod]: () => `${table.kind} ${showBytes(bytes)}` });
  });

describe('reference loaders', () => {
  it('read a valid export as meant, whatever its separator, header names, BOM, quoting and line ends', () => {
    fc.assert(
      fc.property(exportedTable, ({ table, bytes }) => {
        expect(LOADERS[table.kind](fileOf(bytes))).toEqual(table.expected);
      }),
      runs(300),
    );
  }, PROPERTY_TIMEOUT);

  it('return data or throw a ReferenceDataError naming file and line, on damaged exports', () => {
    fc.assert(
      fc.property(exportedTable, anyDamage, ({ bytes }, changes) => {
        loadAll(damage(bytes, changes));
      }),
      runs(300),
    );
  }, PROPERTY_TIMEOUT);

  it('return data or throw a ReferenceDataError naming the file, on arbitrary bytes', () => {
    const bytes = fc.uint8Array({ maxLength: 400 }).map((array) => Object.assign(Buffer.from(array), { [fc.toStringMethod]: () => showBytes(array) }));
    fc.assert(
      fc.property(bytes, (junk) => {
        loadAll(junk);
      }),
      runs(300),
    );
  }, PROPERTY_TIMEOUT);

  it('name a bad row or broken quoting by its own line, after cells that hold line breaks', () => {
    const labels = fc.array(fc.constantFrom('Wethouder', 'regel 1\r\nregel 2', 'regel 1\nregel 2', 'a\r\nb\r\nc'), { maxLength: 6 });
    const bad = fc.constantFrom(
      { row: '123456789,ongeldig', problem: "'123456789' is not a valid BSN (11-check)" },
      { row: '111222333,half"quoted', problem: null },
    );
    fc.assert(
      fc.property(labels, bad, fc.nat(), fc.constantFrom('\n', '\r\n'), (names, { row, problem }, at, end) => {
        const rows = names.map((label) => `111222333,"${label}"`);
        const position = at % (rows.length + 1);
        rows.splice(position, 0, row);
        const path = fileOf(Buffer.from(['bsn,label', ...rows].map((line) => line + end).join('')));
        const line = 2 + rows.slice(0, position).reduce((lines, text) => lines + text.split('\n').length, 0);
        let error: unknown;
        try {
          loadWatchlist(path);
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(ReferenceDataError);
        if (problem === null) expect((error as Error).message).toMatch(new RegExp(`^watchlist ${path}:${line}: Invalid Opening Quote`));
        else expect((error as ReferenceDataError).problems).toEqual([`${path}:${line}: ${problem}`]);
      }),
      runs(200),
    );
  }, PROPERTY_TIMEOUT);

  it('stop a row of 10 MB without hanging, naming file and line', () => {
    fc.assert(
      fc.property(exportedTable, fc.nat(), ({ table, bytes }, at) => {
        const text = bytes.toString('utf8');
        const end = text.indexOf('\n') + 1;
        const where = end + (at % Math.max(1, text.length - end));
        // Its own loader only: csv-parse takes about a second for 10 MB on this machine.
        loadAll(Buffer.from(`${text.slice(0, where)}${TEN_MB}${text.slice(where)}`, 'utf8'), [table.kind]);
      }),
      { ...runs(3), endOnFailure: true },
    );
  }, PROPERTY_TIMEOUT);
});
