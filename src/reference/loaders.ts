import { isValidBsn, normaliseBsn } from '../rule-api/bsn.js';
import { hashBsn } from '../rule-api/runner.js';
import type { ReferenceData, RegisteredUser } from '../rule-api/types.js';
import { parseDay } from '../time/civil.js';
import { splitRoles } from '../input/record.js';
import { CaseloadBuilder } from './caseload.js';
import { RowProblems, readTable, type ColumnAliases, type TableRow } from './table.js';

const BSN = ['bsn', 'burgerservicenummer', 'burgerservicenr', 'bsn_nummer'];
const START = ['start_date', 'startdatum', 'begindatum', 'start', 'begin', 'ingangsdatum', 'datum_in_dienst'];
const END = ['end_date', 'einddatum', 'eind', 'end', 'datum_uit_dienst'];
const TEAM = ['team', 'afdeling'];

const HASHED_BSN = /^[0-9a-f]{64}$/i;

/**
 * A BSN column's value. With a hash key (`--hash-key-file`), the register and watchlist may hold keyed
 * hashes (HMAC-SHA256 hex) instead of BSNs; plain BSNs in such a file are hashed on reading, so that every
 * BSN of the file is held in the same form.
 */
function requiredBsn<C extends string>(row: TableRow<C>, column: C, problems: RowProblems, hashKey?: string): string | null {
  const text = row.get(column);
  if (hashKey !== undefined && HASHED_BSN.test(text)) return text.toLowerCase();
  const bsn = normaliseBsn(text);
  if (bsn === null || !isValidBsn(bsn)) {
    const expected = hashKey === undefined ? '' : ' nor a keyed hash (64 hex digits)';
    problems.add(row.line, text === '' ? 'BSN is empty' : `'${text}' is not a valid BSN (11-check)${expected}`);
    return null;
  }
  return hashKey === undefined ? bsn : hashBsn(bsn, hashKey);
}

function optionalDay<C extends string>(row: TableRow<C>, column: C, label: string, problems: RowProblems): number | null | undefined {
  const text = row.get(column);
  if (text === '') return null;
  const day = parseDay(text);
  if (day === null) {
    problems.add(row.line, `${label} '${text}' is not a date (YYYY-MM-DD or DD-MM-YYYY)`);
    return undefined;
  }
  return day;
}

/** Start and end of a period; `undefined` when the row is bad (already reported). */
function period<C extends string>(
  row: TableRow<C>,
  start: C,
  end: C,
  problems: RowProblems,
  startRequired: boolean,
): { start: number | null; end: number | null } | undefined {
  const first = optionalDay(row, start, 'start date', problems);
  const last = optionalDay(row, end, 'end date', problems);
  if (first === undefined || last === undefined) return undefined;
  if (first === null && startRequired) {
    problems.add(row.line, 'start date is empty');
    return undefined;
  }
  if (first !== null && last !== null && last < first) {
    problems.add(row.line, 'end date is before start date');
    return undefined;
  }
  return { start: first, end: last };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type CaseColumn = 'bsn' | 'case_id' | 'team' | 'worker' | 'start_date' | 'end_date';
const CASE_COLUMNS: ColumnAliases<CaseColumn> = {
  bsn: BSN,
  case_id: ['case_id', 'caseid', 'case', 'zaak', 'zaaknummer', 'zaak_id', 'zaakid', 'dossier', 'dossiernummer'],
  team: TEAM,
  worker: ['worker', 'medewerker', 'behandelaar', 'klantmanager', 'consulent', 'casemanager'],
  start_date: START,
  end_date: END,
};

/** The caseload: every BSN the municipality has a service relationship with, and when. */
export function loadCaseload(path: string): NonNullable<ReferenceData['cases']> {
  const problems = new RowProblems('caseload', path);
  const cases = new CaseloadBuilder();
  for (const row of readTable(path, 'caseload', CASE_COLUMNS, ['bsn', 'start_date'], problems)) {
    const bsn = requiredBsn(row, 'bsn', problems);
    const dates = period(row, 'start_date', 'end_date', problems, true);
    if (bsn === null || dates === undefined) continue;
    cases.add(Number(bsn), row.get('case_id') || null, row.get('team') || null, row.get('worker') || null, dates.start!, dates.end);
  }
  problems.throwIfAny();
  return cases.build();
}

type UserColumn = 'login' | 'name' | 'team' | 'roles' | 'start_date' | 'end_date' | 'bsn';
const USER_COLUMNS: ColumnAliases<UserColumn> = {
  login: ['login', 'gebruikersnaam', 'gebruiker', 'inlognaam', 'account', 'user', 'username', 'user_id'],
  name: ['name', 'naam', 'volledige_naam', 'weergavenaam'],
  team: TEAM,
  roles: ['roles', 'role', 'rollen', 'rol'],
  start_date: START,
  end_date: END,
  bsn: BSN,
};

/** The user register (HR): logins with team, roles, employment period and own BSN. */
export function loadUsers(path: string, hashKey?: string): NonNullable<ReferenceData['users']> {
  const problems = new RowProblems('user register', path);
  const users = new Map<string, RegisteredUser[]>();
  for (const row of readTable(path, 'user register', USER_COLUMNS, ['login'], problems)) {
    const login = row.get('login');
    if (login === '') {
      problems.add(row.line, 'login is empty');
      continue;
    }
    const dates = period(row, 'start_date', 'end_date', problems, false);
    const bsn = row.get('bsn') === '' ? null : requiredBsn(row, 'bsn', problems, hashKey);
    if (dates === undefined || (bsn === null && row.get('bsn') !== '')) continue;
    push(users, login, {
      login,
      name: row.get('name') || null,
      team: row.get('team') || null,
      roles: splitRoles(row.get('roles')),
      start: dates.start,
      end: dates.end,
      bsn,
    });
  }
  problems.throwIfAny();
  return users;
}

type AuthzColumn = 'role' | 'page';
const AUTHZ_COLUMNS: ColumnAliases<AuthzColumn> = {
  role: ['role', 'rol'],
  page: ['page', 'pagina', 'paginas', 'dienst'],
};

/** The authorisation matrix: which pages each role may use. */
export function loadAuthz(path: string): NonNullable<ReferenceData['authz']> {
  const problems = new RowProblems('authorisation matrix', path);
  const authz = new Map<string, Set<string>>();
  for (const row of readTable(path, 'authorisation matrix', AUTHZ_COLUMNS, ['role', 'page'], problems)) {
    const role = row.get('role');
    const page = row.get('page');
    if (role === '' || page === '') {
      problems.add(row.line, role === '' ? 'role is empty' : 'page is empty');
      continue;
    }
    const pages = authz.get(role) ?? new Set<string>();
    pages.add(page);
    authz.set(role, pages);
  }
  problems.throwIfAny();
  return authz;
}

type WatchColumn = 'bsn' | 'label';
const WATCH_COLUMNS: ColumnAliases<WatchColumn> = {
  bsn: BSN,
  label: ['label', 'omschrijving', 'reden', 'categorie', 'toelichting'],
};

/** The watchlist: BSNs that deserve attention whenever they are looked up, with a label. */
export function loadWatchlist(path: string, hashKey?: string): NonNullable<ReferenceData['watchlist']> {
  const problems = new RowProblems('watchlist', path);
  const watchlist = new Map<string, string>();
  for (const row of readTable(path, 'watchlist', WATCH_COLUMNS, ['bsn'], problems)) {
    const bsn = requiredBsn(row, 'bsn', problems, hashKey);
    if (bsn !== null) watchlist.set(bsn, row.get('label') || 'watchlist');
  }
  problems.throwIfAny();
  return watchlist;
}
