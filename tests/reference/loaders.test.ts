import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReferenceDataError } from '../../src/errors.js';
import { loadAuthz, loadCaseload, loadUsers, loadWatchlist } from '../../src/reference/loaders.js';
import { PROBLEM_LIMIT } from '../../src/reference/table.js';
import { dayNumber } from '../../src/time/civil.js';

const root = mkdtempSync(join(tmpdir(), 'suwinet-reference-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function csv(lines: string[], { bom = false, eol = '\n' } = {}): string {
  const path = join(root, `table-${++count}.csv`);
  writeFileSync(path, (bom ? '\uFEFF' : '') + lines.join(eol) + eol);
  return path;
}

function failure(load: () => unknown): ReferenceDataError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ReferenceDataError);
    return error as ReferenceDataError;
  }
  throw new Error('expected a ReferenceDataError');
}

const day = (y: number, m: number, d: number) => dayNumber(y, m, d)!;

describe('loadCaseload', () => {
  const expected = new Map([
    ['111222333', [{ caseId: 'Z-1', team: 'Inkomen', worker: 'K. Manager', start: day(2026, 1, 1), end: null }]],
    [
      '012345672',
      [
        { caseId: null, team: null, worker: null, start: day(2025, 2, 1), end: day(2025, 12, 31) },
        { caseId: 'Z-3', team: 'Schuldhulp', worker: null, start: day(2026, 3, 1), end: day(2026, 3, 1) },
      ],
    ],
  ]);

  it('reads English headers with commas, ISO dates, no BOM', () => {
    const path = csv([
      'bsn,case_id,team,worker,start_date,end_date',
      '111222333,Z-1,Inkomen,K. Manager,2026-01-01,',
      '12345672,,,,2025-02-01,2025-12-31',
      '012345672,Z-3,Schuldhulp,,2026-03-01,2026-03-01',
    ]);
    expect(new Map(loadCaseload(path))).toEqual(expected);
  });

  it('reads Dutch headers with semicolons, Dutch dates, a BOM, CRLF and spaces', () => {
    const path = csv(
      [
        'Burgerservicenummer ; Zaaknummer ; Afdeling ; Klantmanager ; Begindatum ; Einddatum',
        '111222333;Z-1;Inkomen;K. Manager;01-01-2026;',
        ' 12345672 ;;;;1/2/2025;31-12-2025',
        '',
        '012345672;Z-3;Schuldhulp;;01-03-2026;1-3-2026',
      ],
      { bom: true, eol: '\r\n' },
    );
    expect(new Map(loadCaseload(path))).toEqual(expected);
  });

  it('reads a file with LF and CRLF line ends mixed (two exports pasted together)', () => {
    // Found by the hardening properties: csv-parse took the first line end it met as the only one.
    const path = join(root, 'mixed.csv');
    writeFileSync(path, 'bsn,case_id,team,worker,start_date,end_date\r\n111222333,Z-1,Inkomen,K. Manager,2026-01-01,\n12345672,,,,2025-02-01,2025-12-31\r\n');
    expect(new Map(loadCaseload(path))).toEqual(
      new Map([
        ['111222333', [{ caseId: 'Z-1', team: 'Inkomen', worker: 'K. Manager', start: day(2026, 1, 1), end: null }]],
        ['012345672', [{ caseId: null, team: null, worker: null, start: day(2025, 2, 1), end: day(2025, 12, 31) }]],
      ]),
    );
  });

  it('accepts startdatum and ingangsdatum, and no end-date column at all', () => {
    expect(new Map(loadCaseload(csv(['bsn;startdatum', '111222333;2026-01-01'])))).toEqual(
      new Map([['111222333', [{ caseId: null, team: null, worker: null, start: day(2026, 1, 1), end: null }]]]),
    );
    expect(loadCaseload(csv(['BSN;Ingangsdatum', '111222333;2026-01-01'])).get('111222333')![0]!.start).toBe(day(2026, 1, 1));
  });

  it('lists every bad row as file:line: reason', () => {
    const path = csv([
      'bsn;zaaknummer;startdatum;einddatum',
      '111222333;Z-1;2026-01-01;',
      '123456789;Z-2;2026-01-01;',
      ';Z-3;2026-01-01;',
      'abc;Z-4;2026-01-01;',
      '111222333;Z-5;2026-02-30;',
      '111222333;Z-6;2026-03-01;2026-02-28',
      '111222333;Z-7;2026-01-01',
      '111222333;Z-8;2026-01-01;;extra',
      '111222333;Z-9;;2026-01-01',
      '111222333;Z-10;01-13-2026;',
      '000000000;Z-11;2026-01-01;',
    ]);
    const error = failure(() => loadCaseload(path));
    expect(error.message).toBe(`caseload ${path} has 10 bad row(s)`);
    expect(error.problems).toEqual([
      `${path}:3: '123456789' is not a valid BSN (11-check)`,
      `${path}:4: BSN is empty`,
      `${path}:5: 'abc' is not a valid BSN (11-check)`,
      `${path}:6: start date '2026-02-30' is not a date (YYYY-MM-DD or DD-MM-YYYY)`,
      `${path}:7: end date is before start date`,
      `${path}:8: expected 4 columns, found 3`,
      `${path}:9: expected 4 columns, found 5`,
      `${path}:10: start date is empty`,
      `${path}:11: start date '01-13-2026' is not a date (YYYY-MM-DD or DD-MM-YYYY)`,
      `${path}:12: '000000000' is not a valid BSN (11-check)`,
    ]);
    expect(error.exitCode).toBe(2);
  });

  it('reports both problems of a row with a bad BSN and a bad date', () => {
    const path = csv(['bsn;startdatum;einddatum', '123456789;2026-01-01;2025-01-01']);
    expect(failure(() => loadCaseload(path)).problems).toEqual([
      `${path}:2: '123456789' is not a valid BSN (11-check)`,
      `${path}:2: end date is before start date`,
    ]);
  });

  it('cuts the reason of a problem that quotes a huge cell to 200 characters', () => {
    const path = csv(['bsn;start_date', `${'9'.repeat(100_000)};2026-01-01`]);
    const [problem] = failure(() => loadCaseload(path)).problems;
    // The reason is cut (here inside the quoted cell); file and line stay whole.
    expect(problem).toBe(`${path}:2: '${'9'.repeat(199)}`);
  });

  it('lists the first 20 of 25 bad rows, in line order', () => {
    const rows = Array.from({ length: 24 }, () => '123456789;2026-01-01');
    const path = csv(['bsn;start_date', ...rows, '111222333;2026-01-01;2026-12-31']);
    const error = failure(() => loadCaseload(path));
    expect(PROBLEM_LIMIT).toBe(20);
    expect(error.message).toBe(`caseload ${path} has 25 bad row(s) (first 20 listed)`);
    expect(error.problems).toEqual(Array.from({ length: 20 }, (_, index) => `${path}:${index + 2}: '123456789' is not a valid BSN (11-check)`));
  });

  it('stops on a missing required column, naming it and the accepted headers', () => {
    const path = csv(['bsn;einddatum', '111222333;2026-01-01']);
    const error = failure(() => loadCaseload(path));
    expect(error.message).toBe(`caseload ${path}: missing column start_date`);
    expect(error.problems).toEqual([]);
    expect(error.hint).toMatch(/start_date \(start_date, startdatum, begindatum/);
    const both = failure(() => loadCaseload(csv(['zaak;team', 'Z-1;Inkomen'])));
    expect(both.message).toMatch(/missing column bsn, start_date$/);
  });

  it('stops on a missing or empty file', () => {
    const missing = join(root, 'missing.csv');
    expect(failure(() => loadCaseload(missing)).message).toBe(`caseload ${missing}: no such file or folder`);
    const empty = join(root, 'empty.csv');
    writeFileSync(empty, '\uFEFF');
    expect(failure(() => loadCaseload(empty)).message).toBe(`caseload ${empty}: file is empty`);
  });
});

describe('loadUsers', () => {
  it('reads English headers, roles split on & , and |, open periods and an own BSN', () => {
    const path = csv([
      'login,name,team,roles,start_date,end_date,bsn',
      '0057_gsd_voorbeeld_mb,mira bakker,Inkomen,"BASIS_GSD,FR0999001",2024-01-01,,111222333',
      '0095_gsd_voorbeeld_tm,"vries, thijs de",Handhaving,BASIS_GSD&R1|WE_GSD,,2025-06-30,',
      '0057_gsd_voorbeeld_mb,mira bakker,Schuldhulp,R1,2022-01-01,2023-12-31,12345672',
    ]);
    expect(loadUsers(path)).toEqual(
      new Map([
        [
          '0057_gsd_voorbeeld_mb',
          [
            { login: '0057_gsd_voorbeeld_mb', name: 'mira bakker', team: 'Inkomen', roles: ['BASIS_GSD', 'FR0999001'], start: day(2024, 1, 1), end: null, bsn: '111222333' },
            { login: '0057_gsd_voorbeeld_mb', name: 'mira bakker', team: 'Schuldhulp', roles: ['R1'], start: day(2022, 1, 1), end: day(2023, 12, 31), bsn: '012345672' },
          ],
        ],
        [
          '0095_gsd_voorbeeld_tm',
          [{ login: '0095_gsd_voorbeeld_tm', name: 'vries, thijs de', team: 'Handhaving', roles: ['BASIS_GSD', 'R1', 'WE_GSD'], start: null, end: day(2025, 6, 30), bsn: null }],
        ],
      ]),
    );
  });

  it('reads Dutch headers (gebruikersnaam, naam, afdeling, rol, startdatum, einddatum) with a BOM', () => {
    const path = csv(['Gebruikersnaam;Naam;Afdeling;Rol;Startdatum;Einddatum', 'u1;Anouk Smit;Schuldhulp;BASIS_GSD, R1 ;01-04-2026;30-04-2026'], { bom: true });
    expect(loadUsers(path).get('u1')).toEqual([
      { login: 'u1', name: 'Anouk Smit', team: 'Schuldhulp', roles: ['BASIS_GSD', 'R1'], start: day(2026, 4, 1), end: day(2026, 4, 30), bsn: null },
    ]);
  });

  it('lists bad rows', () => {
    const path = csv(['login;roles;start_date;end_date;bsn', ';R1;;;', 'u2;R1;2026-13-01;;', 'u3;R1;2026-05-01;2026-04-30;', 'u4;R1;;;123456789', 'u5;R1;;;111222333', 'u6;R1']);
    const error = failure(() => loadUsers(path));
    expect(error.message).toBe(`user register ${path} has 5 bad row(s)`);
    expect(error.problems).toEqual([
      `${path}:2: login is empty`,
      `${path}:3: start date '2026-13-01' is not a date (YYYY-MM-DD or DD-MM-YYYY)`,
      `${path}:4: end date is before start date`,
      `${path}:5: '123456789' is not a valid BSN (11-check)`,
      `${path}:7: expected 5 columns, found 2`,
    ]);
  });

  it('needs a login column', () => {
    expect(failure(() => loadUsers(csv(['naam;team', 'x;y']))).message).toMatch(/missing column login$/);
  });
});

describe('loadAuthz', () => {
  it('reads role and page, in English or Dutch, collecting pages per role', () => {
    const expected = new Map([
      ['BASIS_GSD', new Set(['bijstandsregelingen', 'gba-zoek'])],
      ['FR0999001', new Set(['uwv-polis'])],
    ]);
    expect(loadAuthz(csv(['role,page', 'BASIS_GSD,bijstandsregelingen', 'BASIS_GSD,gba-zoek', 'FR0999001,uwv-polis', 'BASIS_GSD,gba-zoek']))).toEqual(expected);
    expect(loadAuthz(csv(['Rol;Pagina', 'BASIS_GSD;bijstandsregelingen', 'BASIS_GSD;gba-zoek', 'FR0999001;uwv-polis'], { bom: true, eol: '\r\n' }))).toEqual(expected);
  });

  it('lists rows without role or page', () => {
    const path = csv(['rol;pagina', ';gba-zoek', 'R1;', 'R1;gba-zoek']);
    expect(failure(() => loadAuthz(path)).problems).toEqual([`${path}:2: role is empty`, `${path}:3: page is empty`]);
  });

  it('needs both columns', () => {
    expect(failure(() => loadAuthz(csv(['rol', 'R1']))).message).toMatch(/missing column page$/);
  });
});

describe('loadWatchlist', () => {
  it('reads bsn and label, in English or Dutch, padding 8-digit BSNs and labelling empty labels', () => {
    const expected = new Map([
      ['683938861', 'bekende Nederlander'],
      ['012345672', 'watchlist'],
    ]);
    expect(loadWatchlist(csv(['bsn,label', '683938861,bekende Nederlander', '12345672,']))).toEqual(expected);
    expect(loadWatchlist(csv(['Burgerservicenummer;Omschrijving', '683938861;bekende Nederlander', '012345672;'], { bom: true }))).toEqual(expected);
  });

  it('lists invalid BSNs', () => {
    const path = csv(['bsn;omschrijving', '683938862;typo', '68393886;te kort?', '1234567890;te lang']);
    expect(failure(() => loadWatchlist(path)).problems).toEqual([
      `${path}:2: '683938862' is not a valid BSN (11-check)`,
      `${path}:3: '68393886' is not a valid BSN (11-check)`,
      `${path}:4: '1234567890' is not a valid BSN (11-check)`,
    ]);
  });

  it('names rows and broken quoting by their own line after labels that hold line breaks', () => {
    // Found by the hardening properties: csv-parse counts a CRLF inside quotes as two lines.
    const rows = ['bsn,label', '683938861,"regel 1\r\nregel 2\r\nregel 3"', '683938862,typo'];
    const bad = csv(rows, { eol: '\r\n' });
    expect(failure(() => loadWatchlist(bad)).problems).toEqual([`${bad}:5: '683938862' is not a valid BSN (11-check)`]);
    const broken = csv([...rows.slice(0, 2), '683938861,half"quoted'], { eol: '\r\n' });
    expect(failure(() => loadWatchlist(broken)).message).toMatch(new RegExp(`^watchlist ${broken}:5: Invalid Opening Quote: a quote is found on field 1, value is`));
  });
});
