import { BOM, csvRow, type Cell } from '../output/csv.js';
import { excelTime } from '../output/worklists.js';
import { parseDay } from '../time/civil.js';
import { ZoneClock } from '../time/zone.js';
import type { Register } from './db.js';
import { registerTimezone, ruleTitles } from './runs.js';
import { textTable } from './text-table.js';

/** A finding without a verdict, sent out longer ago than the allowed number of days. */
export interface OverdueFinding {
  id: string;
  team: string;
  login: string;
  rule: string;
  severity: string;
  /** The finding's first lookup, local time. */
  from: string;
  /** The local date its run was recorded: when the worklist went out. */
  since: string;
  daysOpen: number;
}

export interface RepeatOffender {
  login: string;
  team: string;
  rule: string;
  months: string[];
  findings: number;
  unjustified: number;
}

export interface RegisterStatus {
  today: string;
  days: number;
  /** Findings without a verdict, of which `overdue` are open longer than `days`. */
  open: number;
  overdue: OverdueFinding[];
  unjustified: Array<{ team: string; login: string; findings: number }>;
  repeats: RepeatOffender[];
  titles: ReadonlyMap<string, string>;
}

/**
 * Where follow-up stands: findings without a verdict for more than `days` days (counted from the day their
 * run was recorded), findings judged `niet gerechtvaardigd` per team and employee, and employees with
 * findings of the same rule in more than one month. Purged findings are left out: their employee is no
 * longer known. Depends only on the register and `today`, so the same register gives the same answer.
 */
export function registerStatus(db: Register, options: { today: string; days: number }): RegisterStatus {
  const clock = new ZoneClock(registerTimezone(db));
  const today = parseDay(options.today)!;
  const open = db
    .prepare(
      `SELECT f.id, f.team, f.login, f.rule, f.severity, f.from_time AS "from", r.finished_at AS recorded
       FROM findings f JOIN runs r ON r.id = f.first_run
       WHERE f.purge_id IS NULL AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.finding_id = f.id)
       ORDER BY f.team, f.from_time, f.id`,
    )
    .all() as Array<Omit<OverdueFinding, 'since' | 'daysOpen'> & { recorded: string }>;
  const overdue = open
    .map(({ recorded, ...finding }) => {
      const since = clock.format(Date.parse(recorded)).slice(0, 10);
      return { ...finding, since, daysOpen: today - parseDay(since)! };
    })
    .filter((finding) => finding.daysOpen > options.days)
    .sort((a, b) => b.daysOpen - a.daysOpen || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0) || (a.id < b.id ? -1 : 1));
  const unjustified = db
    .prepare(
      `SELECT f.team, f.login, count(*) AS findings FROM findings f JOIN current_verdicts v ON v.finding_id = f.id
       WHERE f.purge_id IS NULL AND v.oordeel = 'niet gerechtvaardigd'
       GROUP BY f.team, f.login ORDER BY f.team, findings DESC, f.login`,
    )
    .all() as RegisterStatus['unjustified'];
  const repeats = (
    db
      .prepare(
        `SELECT f.login, f.rule, group_concat(DISTINCT f.month) AS months, count(*) AS findings,
           sum(v.oordeel IS 'niet gerechtvaardigd') AS unjustified,
           (SELECT g.team FROM findings g WHERE g.login = f.login ORDER BY g.from_time DESC, g.id LIMIT 1) AS team
         FROM findings f LEFT JOIN current_verdicts v ON v.finding_id = f.id
         WHERE f.purge_id IS NULL AND f.login <> '*'
         GROUP BY f.login, f.rule HAVING count(DISTINCT f.month) > 1`,
      )
      .all() as Array<Omit<RepeatOffender, 'months'> & { months: string }>
  )
    .map((row) => ({ ...row, months: row.months.split(',').sort() }))
    .sort((a, b) => b.months.length - a.months.length || b.findings - a.findings || (a.login < b.login ? -1 : a.login > b.login ? 1 : a.rule < b.rule ? -1 : 1));
  return { today: options.today, days: options.days, open: open.length, overdue, unjustified, repeats, titles: ruleTitles(db) };
}

/** Today's local date, in the register's time zone. */
export function localToday(db: Register): string {
  return new ZoneClock(registerTimezone(db)).format(Date.now()).slice(0, 10);
}

/** The status on the terminal: three tables. Logins are shown (the controller follows up with them); BSNs never. */
export function statusText(status: RegisterStatus): string {
  const title = (rule: string) => status.titles.get(rule) ?? rule;
  const sections = [
    `Open findings without a verdict for more than ${status.days} days on ${status.today}: ${status.overdue.length} (of ${status.open} open)`,
    textTable(
      ['days', 'since', 'team', 'employee', 'rule', 'severity', 'time', 'id'],
      status.overdue.map((finding) => [finding.daysOpen, finding.since, finding.team, finding.login, title(finding.rule), finding.severity, excelTime(finding.from), finding.id]),
    ),
    `Findings judged niet gerechtvaardigd, per team and employee: ${status.unjustified.reduce((sum, row) => sum + row.findings, 0)}`,
    textTable(['team', 'employee', 'findings'], status.unjustified.map((row) => [row.team, row.login, row.findings])),
    `Repeat offenders (the same rule in more than one month): ${status.repeats.length}`,
    textTable(
      ['employee', 'team', 'rule', 'months', 'findings', 'niet gerechtvaardigd'],
      status.repeats.map((row) => [row.login, row.team, title(row.rule), row.months.join(' '), row.findings, row.unjustified]),
    ),
  ];
  return sections.filter((section) => section !== '').join('\n') + '\n';
}

export const STATUS_CSV_COLUMNS = ['onderdeel', 'team', 'medewerker', 'regel', 'ernst', 'tijdstip', 'sinds', 'dagen open', 'maanden', 'aantal', 'niet gerechtvaardigd', 'id'] as const;

/**
 * The status as one CSV for Excel (BOM, `;`, formulas made inert), a row per item; `onderdeel` tells the three
 * parts apart: `open`, `niet gerechtvaardigd`, `herhaling`.
 */
export function statusCsv(status: RegisterStatus, delimiter = ';'): string {
  const title = (rule: string) => status.titles.get(rule) ?? rule;
  const rows: Cell[][] = [
    ...status.overdue.map((finding) => ['open', finding.team, finding.login, title(finding.rule), finding.severity, excelTime(finding.from), finding.since, finding.daysOpen, null, 1, null, finding.id]),
    ...status.unjustified.map((row) => ['niet gerechtvaardigd', row.team, row.login, null, null, null, null, null, null, row.findings, row.findings, null]),
    ...status.repeats.map((row) => ['herhaling', row.team, row.login, title(row.rule), null, null, null, null, row.months.join(' '), row.findings, row.unjustified, null]),
  ];
  return BOM + csvRow(STATUS_CSV_COLUMNS, delimiter) + rows.map((row) => csvRow(row, delimiter)).join('');
}
