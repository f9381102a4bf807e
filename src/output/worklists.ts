import { hashBsn } from '../rule-api/runner.js';
import { maskBsn } from '../rule-api/bsn.js';
import { localDayOfIso, registerRowFor } from '../rule-api/register.js';
import type { Finding, ReferenceData } from '../rule-api/types.js';
import { BOM, csvRow } from './csv.js';
import { HISTORY_LABELS, type FindingHistory, type History } from './history.js';

/** How BSNs appear in the outputs people read: masked by default, full, or as the keyed hash. */
export type BsnForm = 'full' | 'masked' | 'hashed';

/** Team of findings whose employee is not in the register (or has no team there). */
export const UNKNOWN_TEAM = 'onbekend';

export const WORKLIST_COLUMNS = [
  'id',
  'tijdstip',
  'medewerker',
  'naam',
  'regel',
  'ernst',
  'bsn',
  'aantal',
  'reden',
  'toelichting',
  'oordeel',
] as const;

/** What a team leader may write in the `oordeel` column. */
export const VERDICTS = ['gerechtvaardigd', 'niet gerechtvaardigd', 'onbekend'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** With a register, the worklists say before `toelichting` where each finding stands (nieuw, herhaling, …). */
const HISTORY_COLUMN = 'historie';

/**
 * A row of a worklist: what the team leader sees of one finding or one sampled lookup. With a register it
 * has the history column, and an already judged finding comes with its verdict filled in.
 */
function row(cells: {
  id: string;
  time: string;
  user: string;
  name: string | null;
  rule: string;
  severity: string | null;
  bsn: string | null;
  count: number;
  reason: string;
  history?: FindingHistory;
}, delimiter: string): string {
  const { history } = cells;
  return csvRow(
    [
      cells.id, cells.time, cells.user, cells.name, cells.rule, cells.severity, cells.bsn, cells.count, cells.reason,
      ...(history === undefined ? [] : [HISTORY_LABELS.nl[history.mark]]),
      history?.verdict?.toelichting ?? null,
      history?.verdict?.oordeel ?? null,
    ],
    delimiter,
  );
}


/** A file name for a team: lower case letters, digits and hyphens. */
function fileNameOf(team: string): string {
  const slug = team
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? UNKNOWN_TEAM : slug;
}

/** `2026-04-02T14:12:02.502+02:00` → `2026-04-02 14:12:02`: local time as Excel reads it. */
export function excelTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

export function bsnFor(bsn: string | null, form: BsnForm, hashKey: string | undefined): string | null {
  if (bsn === null) return null;
  if (form === 'full') return bsn;
  if (form === 'hashed') return hashBsn(bsn, hashKey!);
  return maskBsn(bsn);
}

/**
 * Worklists for team leaders: per team of the employee (from the user register; `onbekend` when unknown), the
 * team's findings with empty columns `toelichting` and `oordeel` (one of VERDICTS) to fill in. Returns file
 * name → content, in team order. The content is made row by row as it is read (and can be read again), for
 * writePrivateFile to write as it comes: a month in which a reference file does not fit the logs has a
 * worklist of a hundred megabytes and more.
 */
export function buildWorklists(
  findings: readonly Finding[],
  settings: {
    users: ReferenceData['users'];
    titles: ReadonlyMap<string, string>;
    bsn: BsnForm;
    hashKey?: string;
    delimiter: string;
    /** From `analyze --register`: each finding's history, shown in an extra column. */
    history?: History;
  },
): Map<string, Iterable<string>> {
  const columns = settings.history === undefined ? WORKLIST_COLUMNS : [...WORKLIST_COLUMNS.slice(0, -2), HISTORY_COLUMN, ...WORKLIST_COLUMNS.slice(-2)];
  const byTeam = new Map<string, Finding[]>();
  for (const finding of findings) {
    const team = registerRowFor(settings.users?.get(finding.user), localDayOfIso(finding.from))?.team ?? UNKNOWN_TEAM;
    const list = byTeam.get(team);
    if (list === undefined) byTeam.set(team, [finding]);
    else list.push(finding);
  }
  function* rows(team: readonly Finding[]): Generator<string> {
    yield BOM + csvRow(columns, settings.delimiter);
    for (const finding of team) {
      yield row(
        {
          id: finding.id,
          time: excelTime(finding.from),
          user: finding.user,
          name: registerRowFor(settings.users?.get(finding.user), localDayOfIso(finding.from))?.name ?? null,
          rule: settings.titles.get(finding.rule) ?? finding.rule,
          severity: finding.severity,
          bsn: bsnFor(finding.bsn, settings.bsn, settings.hashKey),
          count: finding.count,
          reason: finding.message,
          history: settings.history?.get(finding.id),
        },
        settings.delimiter,
      );
    }
  }
  const files = new Map<string, Iterable<string>>();
  for (const team of [...byTeam.keys()].sort()) {
    let name = `${fileNameOf(team)}.csv`;
    for (let suffix = 2; files.has(name); suffix++) name = `${fileNameOf(team)}-${suffix}.csv`;
    const list = byTeam.get(team)!;
    files.set(name, { [Symbol.iterator]: () => rows(list) });
  }
  return files;
}

/**
 * sample.csv: the steekproef in the worklist format, so that it is verified like findings are. Each row is one
 * lookup without findings, with where it was logged.
 */
export function buildSampleList(
  sample: ReadonlyArray<{ time: number; user: string; userName: string | null; bsn: string | null; page: string | null; source: number; line: number }>,
  settings: {
    users: ReferenceData['users'];
    files: readonly string[];
    format: (instant: number) => string;
    bsn: BsnForm;
    hashKey?: string;
    delimiter: string;
  },
): string {
  let text = BOM + csvRow(WORKLIST_COLUMNS, settings.delimiter);
  sample.forEach((lookup, index) => {
    const citizen = lookup.bsn === null ? 'een zoekvraag zonder BSN' : `BSN ${maskBsn(lookup.bsn)}`;
    const page = lookup.page === null ? '' : ` op pagina ${lookup.page}`;
    text += row(
      {
        id: `steekproef-${index + 1}`,
        time: excelTime(settings.format(lookup.time)),
        user: lookup.user,
        name: registerRowFor(settings.users?.get(lookup.user), localDayOfIso(settings.format(lookup.time)))?.name ?? lookup.userName,
        rule: 'Steekproef',
        severity: null,
        bsn: bsnFor(lookup.bsn, settings.bsn, settings.hashKey),
        count: 1,
        reason: `Steekproef: raadpleging van ${citizen}${page}, regel ${lookup.line} van ${settings.files[lookup.source] ?? '?'}; ga na of er een reden voor was`,
      },
      settings.delimiter,
    );
  });
  return text;
}
