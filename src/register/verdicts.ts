import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ReferenceDataError } from '../errors.js';
import { VERDICTS, type Verdict } from '../output/worklists.js';
import { RowProblems } from '../reference/table.js';
import { MS_PER_DAY, parseDay } from '../time/civil.js';
import { ZoneClock } from '../time/zone.js';
import type { Register } from './db.js';
import { registerTimezone } from './runs.js';
import { readWorklistFile } from './worklist-file.js';

/** Optional columns a team leader may add: who judged, and when (otherwise the file's time counts). */
const JUDGED_BY_COLUMNS = ['beoordelaar', 'beoordeeld door'];
const JUDGED_AT_COLUMNS = ['datum', 'datum oordeel', 'beoordeeld op'];

/** `Niet-gerechtvaardigd `, `niet_gerechtvaardigd` → `niet gerechtvaardigd`; null when it is no verdict. */
export function parseVerdict(text: string): Verdict | null {
  const normal = text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  return (VERDICTS as readonly string[]).includes(normal) ? (normal as Verdict) : null;
}

const CLOCK_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A date (and time) as a spreadsheet writes it, in local time: `2026-11-03`, `2026-11-03 14:05`, or day
 * first as Dutch Excel does, `3-11-2026 14:05` (also with `/`). Returns the instant, or null.
 */
export function parseSpreadsheetDate(text: string, clock: ZoneClock): number | null {
  const [date = '', time, ...rest] = text.trim().split(/[ T]+/);
  const day = parseDay(date);
  if (day === null || rest.length > 0) return null;
  if (time === undefined) return clock.instantOf(day * MS_PER_DAY);
  const match = CLOCK_TIME.exec(time);
  const [hour, minute, second] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3] ?? 0)];
  if (!match || hour > 23 || minute > 59 || second > 59) return null;
  return clock.instantOf(day * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000);
}

/**
 * The team whose worklist a file is: its name without `.csv`, or the longest team name it starts with when
 * the team leader added something after it (`inkomen (ingevuld).csv`, `inkomen_2026-04.csv`).
 */
function teamOfFile(path: string, teams: readonly string[]): string | null {
  const name = basename(path).replace(/\.(csv|txt)$/i, '').toLowerCase();
  const candidates = teams.filter((team) => name === team || (name.startsWith(team) && /[^a-z0-9]/.test(name[team.length]!)));
  return candidates.sort((a, b) => b.length - a.length)[0] ?? null;
}

export interface VerdictImport {
  file: string;
  team: string;
  /** Verdicts that were new or changed. */
  recorded: number;
  /** Verdicts the register already held. */
  unchanged: number;
  /** Rows without an oordeel: still open. */
  open: number;
}

interface VerdictRow {
  line: number;
  findingId: string;
  oordeel: Verdict;
  toelichting: string | null;
  judgedBy: string | null;
  judgedAt: string;
}

/**
 * Reads one filled-in worklist back into the register. Every row is checked first (a known finding, on this
 * team's list, a valid oordeel, a readable date); one bad row refuses the whole file, with every problem as
 * file:line, and nothing of it is applied. A valid file is applied in one transaction. A verdict the
 * register already holds is not recorded again, so importing a file twice changes nothing; a changed verdict
 * is added, and the earlier one stays in the history.
 */
export function importVerdicts(db: Register, path: string): VerdictImport {
  const { columns, rows } = readWorklistFile(path);
  const teams = db.prepare(`SELECT DISTINCT team FROM run_findings ORDER BY team`).pluck().all() as string[];
  const team = teamOfFile(path, teams);
  if (team === null) {
    throw new ReferenceDataError(`${path}: not the worklist of a team in the register`, [], {
      hint: `name the file after its team, as analyze wrote it: ${teams.map((name) => `${name}.csv`).join(', ') || '(no runs recorded yet)'}`,
    });
  }
  const missing = ['id', 'oordeel'].filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new ReferenceDataError(`${path}: missing column ${missing.join(', ')}`, [], { hint: 'give back the worklist with its header row' });
  }
  const clock = new ZoneClock(registerTimezone(db));
  const fileTime = clock.format(Math.floor(statSync(path).mtimeMs / 1000) * 1000);
  const cell = (cells: ReadonlyMap<string, string>, names: readonly string[]) =>
    names.map((name) => cells.get(name)?.trim() ?? '').find((value) => value !== '') ?? '';
  const listsOf = db.prepare(`SELECT DISTINCT team FROM run_findings WHERE finding_id = ? ORDER BY team`).pluck();
  const purged = db.prepare(`SELECT purge_id IS NOT NULL FROM findings WHERE id = ?`).pluck();
  const problems = new RowProblems('worklist', path, 'correct the file and import it again: nothing of it was applied');
  const verdicts = new Map<string, VerdictRow>();
  let open = 0;
  for (const { line, cells } of rows) {
    const findingId = cell(cells, ['id']);
    const written = cell(cells, ['oordeel']);
    const listedOn = listsOf.all(findingId) as string[];
    if (listedOn.length === 0) {
      problems.add(line, findingId === '' ? 'no id' : `finding ${findingId} is not in the register${looksLikeANumber(findingId)}`);
      continue;
    }
    if (!listedOn.includes(team)) {
      problems.add(line, `finding ${findingId} is on the worklist of team ${listedOn.join(', ')}, not ${team}`);
      continue;
    }
    if (written === '') {
      open++;
      continue;
    }
    const oordeel = parseVerdict(written);
    if (oordeel === null) {
      problems.add(line, `oordeel '${written}' is not one of ${VERDICTS.join(', ')}`);
      continue;
    }
    const dateText = cell(cells, JUDGED_AT_COLUMNS);
    const instant = dateText === '' ? null : parseSpreadsheetDate(dateText, clock);
    if (dateText !== '' && instant === null) {
      problems.add(line, `datum '${dateText}' is not a date (write 3-11-2026 14:05 or 2026-11-03)`);
      continue;
    }
    // A finding past its retention keeps its oordeel, and no longer the personal data around it.
    const personal = purged.get(findingId) !== 1;
    const verdict: VerdictRow = {
      line,
      findingId,
      oordeel,
      toelichting: personal ? cell(cells, ['toelichting']) || null : null,
      judgedBy: personal ? cell(cells, JUDGED_BY_COLUMNS) || null : null,
      judgedAt: instant === null ? fileTime : clock.format(instant),
    };
    const earlier = verdicts.get(findingId);
    if (earlier && (earlier.oordeel !== verdict.oordeel || earlier.toelichting !== verdict.toelichting)) {
      problems.add(line, `finding ${findingId} is also on line ${earlier.line}, with another verdict`);
      continue;
    }
    verdicts.set(findingId, verdict);
  }
  problems.throwIfAny();

  const current = db.prepare(`SELECT oordeel, toelichting FROM current_verdicts WHERE finding_id = ?`);
  const known = db.prepare(`SELECT 1 FROM verdicts WHERE finding_id = ? AND oordeel = ? AND toelichting IS ? AND judged_at = ?`);
  const insert = db.prepare(
    `INSERT INTO verdicts (finding_id, oordeel, toelichting, judged_by, judged_at, source) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  let recorded = 0;
  db.transaction(() => {
    for (const verdict of verdicts.values()) {
      const now = current.get(verdict.findingId) as { oordeel: string; toelichting: string | null } | undefined;
      const same = now !== undefined && now.oordeel === verdict.oordeel && now.toelichting === verdict.toelichting;
      if (same || known.get(verdict.findingId, verdict.oordeel, verdict.toelichting, verdict.judgedAt)) continue;
      insert.run(verdict.findingId, verdict.oordeel, verdict.toelichting, verdict.judgedBy, verdict.judgedAt, `${basename(path)}:${verdict.line}`);
      recorded++;
    }
  }).immediate();
  return { file: path, team, recorded, unchanged: verdicts.size - recorded, open };
}

/**
 * A hint when an id reads as a number (`1,23457E+15`). Ids start with `f`, so no spreadsheet makes one of
 * ours; a number here was typed or pasted over the id.
 */
function looksLikeANumber(id: string): string {
  return /^[\d.,]+(e\+?\d+)?$/i.test(id)
    ? ' (the spreadsheet turned the id into a number: open the worklist with the id column as text, or copy the id from findings.csv)'
    : '';
}
