import { BOM, csvRow, type Cell } from '../output/csv.js';
import { bars, escapeHtml, htmlPage, table } from '../output/report.js';
import { excelTime } from '../output/worklists.js';
import { ZoneClock } from '../time/zone.js';
import type { Register } from './db.js';
import { registerTimezone, ruleTitles } from './runs.js';

/** The run whose figures count for a month: the latest one that read lookups of that month. */
interface RunOfRecord {
  id: string;
  folder: string;
  toolVersion: string;
  /** Local time. */
  finishedAt: string;
  files: Array<{ kind: string; file: string; bytes: number; sha256: string }>;
  skipped: Array<{ rule: string; reason: string }>;
}

export interface MonthAccount {
  month: string;
  run: RunOfRecord | null;
  /** Runs of the month before the run of record (analysed again, for instance after a corrected caseload). */
  earlierRuns: number;
  lookups: number;
  findings: number;
  perRule: ReadonlyMap<string, number>;
  justified: number;
  unjustified: number;
  unknown: number;
  /** Findings without a verdict. */
  open: number;
  /** Judged `niet gerechtvaardigd` and about an identifiable citizen: to be assessed as a data breach. */
  breachCandidates: number;
  /** Findings whose personal data was purged (their counts are still here). */
  purged: number;
}

export interface YearAccount {
  year: number;
  months: MonthAccount[];
  /** Every rule id that ran or found something in the year, in id order. */
  rules: string[];
  titles: ReadonlyMap<string, string>;
  purges: Array<{ before: string; purgedAt: string; findings: number; verdicts: number }>;
}

/**
 * The year's accounting for ENSIA, from the register: per month whether it was checked, on which files
 * (with their SHA-256), how many lookups, what was found per rule, and how far the follow-up got. A month's
 * figures come from its run of record (the latest run that read mostly this month); the findings counted are that run's findings that started in the
 * month. Nothing depends on the clock: the same register gives the same account.
 */
export function yearAccount(db: Register, year: number): YearAccount {
  const clock = new ZoneClock(registerTimezone(db));
  const runsOf = db.prepare(
    // A run counts for the month most of its lookups fall in: an April log with a line of 31 March is not
    // March's run of record. Of a month's own runs, the latest counts.
    `SELECT r.id, r.folder, r.tool_version AS toolVersion, r.finished_at AS finishedAt, rm.lookups,
       rm.lookups = (SELECT max(other.lookups) FROM run_months other WHERE other.run_id = rm.run_id) AS own
     FROM run_months rm JOIN runs r ON r.id = rm.run_id WHERE rm.month = ? ORDER BY own DESC, r.finished_at DESC, r.id DESC`,
  );
  const filesOf = db.prepare(`SELECT kind, file, bytes, sha256 FROM run_files WHERE run_id = ? ORDER BY position`);
  const skippedOf = db.prepare(`SELECT rule, reason FROM run_rules WHERE run_id = ? AND status = 'skipped' ORDER BY rule`);
  const rulesOf = db.prepare(`SELECT rule FROM run_rules WHERE run_id = ? AND status = 'run'`).pluck();
  const findingsOf = db.prepare(
    `SELECT f.rule, f.citizen, f.purge_id IS NOT NULL AS purged, v.oordeel
     FROM run_findings rf JOIN findings f ON f.id = rf.finding_id LEFT JOIN current_verdicts v ON v.finding_id = f.id
     WHERE rf.run_id = ? AND f.month = ?`,
  );
  const rules = new Set<string>();
  const months: MonthAccount[] = [];
  for (let index = 1; index <= 12; index++) {
    const month = `${year}-${String(index).padStart(2, '0')}`;
    const runs = runsOf.all(month) as Array<{ id: string; folder: string; toolVersion: string; finishedAt: string; lookups: number }>;
    const latest = runs[0];
    const account: MonthAccount = {
      month,
      run: null,
      earlierRuns: Math.max(0, runs.length - 1),
      lookups: latest?.lookups ?? 0,
      findings: 0,
      perRule: new Map(),
      justified: 0,
      unjustified: 0,
      unknown: 0,
      open: 0,
      breachCandidates: 0,
      purged: 0,
    };
    if (latest) {
      account.run = {
        id: latest.id,
        folder: latest.folder,
        toolVersion: latest.toolVersion,
        finishedAt: excelTime(clock.format(Date.parse(latest.finishedAt))),
        files: filesOf.all(latest.id) as RunOfRecord['files'],
        skipped: skippedOf.all(latest.id) as RunOfRecord['skipped'],
      };
      for (const rule of rulesOf.all(latest.id) as string[]) rules.add(rule);
      const perRule = new Map<string, number>();
      for (const finding of findingsOf.all(latest.id, month) as Array<{ rule: string; citizen: number; purged: number; oordeel: string | null }>) {
        rules.add(finding.rule);
        perRule.set(finding.rule, (perRule.get(finding.rule) ?? 0) + 1);
        account.findings++;
        if (finding.oordeel === 'gerechtvaardigd') account.justified++;
        else if (finding.oordeel === 'niet gerechtvaardigd') account.unjustified++;
        else if (finding.oordeel === 'onbekend') account.unknown++;
        else account.open++;
        if (finding.oordeel === 'niet gerechtvaardigd' && finding.citizen === 1) account.breachCandidates++;
        if (finding.purged === 1) account.purged++;
      }
      account.perRule = perRule;
    }
    months.push(account);
  }
  const purges = (
    db.prepare(`SELECT before, purged_at AS purgedAt, findings, verdicts FROM purges ORDER BY purged_at, id`).all() as YearAccount['purges']
  ).map((purge) => ({ ...purge, purgedAt: excelTime(clock.format(Date.parse(purge.purgedAt))) }));
  return { year, months, rules: [...rules].sort(), titles: ruleTitles(db), purges };
}

/** The share of findings with a verdict, rounded down (100% only when every finding is judged); null without findings. */
function judgedShare(account: Pick<MonthAccount, 'findings' | 'open'>, decimalComma: boolean): string | null {
  if (account.findings === 0) return null;
  const tenths = Math.floor((1000 * (account.findings - account.open)) / account.findings);
  const text = `${Math.floor(tenths / 10)}.${tenths % 10}%`;
  return decimalComma ? text.replace('.', ',') : text;
}

/** The year's totals, as a month without a run. */
function totals(account: YearAccount): MonthAccount {
  const sum = (pick: (month: MonthAccount) => number) => account.months.reduce((total, month) => total + pick(month), 0);
  const perRule = new Map(account.rules.map((rule) => [rule, sum((month) => month.perRule.get(rule) ?? 0)]));
  return {
    month: String(account.year),
    run: null,
    earlierRuns: sum((month) => month.earlierRuns),
    lookups: sum((month) => month.lookups),
    findings: sum((month) => month.findings),
    perRule,
    justified: sum((month) => month.justified),
    unjustified: sum((month) => month.unjustified),
    unknown: sum((month) => month.unknown),
    open: sum((month) => month.open),
    breachCandidates: sum((month) => month.breachCandidates),
    purged: sum((month) => month.purged),
  };
}

const WORDS = {
  nl: {
    title: 'Jaarverantwoording gebruikscontrole Suwinet',
    made: 'Gemaakt met suwinet-audit {version} uit het register',
    summary: 'Samenvatting',
    monthsChecked: 'Maanden gecontroleerd',
    perMonth: 'Per maand',
    month: 'Maand',
    checked: 'Gecontroleerd',
    yes: 'ja',
    no: 'nee',
    lookups: 'Raadplegingen',
    findings: 'Bevindingen',
    judged: 'Met oordeel',
    share: 'Aandeel met oordeel',
    justified: 'Gerechtvaardigd',
    unjustified: 'Niet gerechtvaardigd',
    unknown: 'Onbekend',
    open: 'Zonder oordeel',
    breach: 'Datalekkandidaten',
    purged: 'Geschoond',
    findingsPerMonth: 'Bevindingen per maand',
    perRule: 'Bevindingen per regel en maand',
    rule: 'Regel',
    total: 'Totaal',
    runs: 'Controles en invoerbestanden',
    run: 'Run (SHA-256 van manifest.json)',
    finished: 'Afgerond',
    folder: 'Map',
    version: 'Versie',
    earlier: 'Eerdere runs',
    kind: 'Soort',
    file: 'Bestand',
    bytes: 'Bytes',
    skipped: 'Overgeslagen regels',
    reason: 'Reden',
    retention: 'Bewaartermijn (AVG)',
    retentionText:
      'Een schoning verwijdert van bevindingen die vóór de datum eindigden de medewerker, het BSN, de omschrijving en het bewijs, en van hun oordelen de toelichting en de beoordelaar. De aantallen in dit overzicht blijven.',
    purgedAt: 'Uitgevoerd op',
    before: 'Bevindingen vóór',
    verdicts: 'Oordelen',
    noPurges: 'Er is niet geschoond.',
    definitions: 'Begrippen',
    definitionsText: [
      'Een maand is gecontroleerd wanneer een run raadplegingen uit die maand las. Telt een maand meer runs, dan gelden de cijfers van de laatste.',
      'Met oordeel: de teamleider vulde gerechtvaardigd, niet gerechtvaardigd of onbekend in. Het aandeel is naar beneden afgerond.',
      'Datalekkandidaten: bevindingen over een burger (met BSN) die als niet gerechtvaardigd zijn beoordeeld; de privacyfunctionaris beoordeelt of ze binnen 72 uur bij de Autoriteit Persoonsgegevens gemeld moeten worden.',
    ],
  },
  en: {
    title: 'Suwinet usage control: the year accounted for',
    made: 'Made with suwinet-audit {version} from the register',
    summary: 'Summary',
    monthsChecked: 'Months checked',
    perMonth: 'Per month',
    month: 'Month',
    checked: 'Checked',
    yes: 'yes',
    no: 'no',
    lookups: 'Lookups',
    findings: 'Findings',
    judged: 'With a verdict',
    share: 'Share with a verdict',
    justified: 'Justified',
    unjustified: 'Unjustified',
    unknown: 'Unknown',
    open: 'Without a verdict',
    breach: 'Data-breach candidates',
    purged: 'Purged',
    findingsPerMonth: 'Findings per month',
    perRule: 'Findings per rule and month',
    rule: 'Rule',
    total: 'Total',
    runs: 'Runs and input files',
    run: 'Run (SHA-256 of manifest.json)',
    finished: 'Finished',
    folder: 'Folder',
    version: 'Version',
    earlier: 'Earlier runs',
    kind: 'Kind',
    file: 'File',
    bytes: 'Bytes',
    skipped: 'Rules skipped',
    reason: 'Reason',
    retention: 'Retention (GDPR)',
    retentionText:
      'A purge erases, of findings that ended before its date, the employee, the BSN, the message and the evidence, and of their verdicts the explanation and who judged. The counts in this account remain.',
    purgedAt: 'Performed on',
    before: 'Findings before',
    verdicts: 'Verdicts',
    noPurges: 'Nothing was purged.',
    definitions: 'Definitions',
    definitionsText: [
      'A month is checked when a run read lookups of that month. When a month has several runs, the latest counts.',
      'With a verdict: the team leader entered gerechtvaardigd, niet gerechtvaardigd or onbekend. The share is rounded down.',
      'Data-breach candidates: findings about a citizen (with a BSN) judged niet gerechtvaardigd; the privacy officer assesses whether they must be reported to the Autoriteit Persoonsgegevens within 72 hours.',
    ],
  },
} as const;

/** How far the follow-up of a month (or the year) got, in the order of the columns that show it. */
function followUp(month: MonthAccount, decimalComma: boolean): Cell[] {
  return [
    month.findings - month.open,
    judgedShare(month, decimalComma),
    month.justified,
    month.unjustified,
    month.unknown,
    month.open,
    month.breachCandidates,
    month.purged,
  ];
}

/** The yearly report as one self-contained HTML file, in the style and with the safeguards of report.html. */
export function yearHtml(account: YearAccount, lang: 'nl' | 'en', version: string): string {
  const w = WORDS[lang];
  const year = totals(account);
  const checked = account.months.filter((month) => month.run !== null);
  const title = (rule: string) => account.titles.get(rule) ?? rule;
  const figures = [w.month, w.checked, w.lookups, w.findings, w.judged, w.share, w.justified, w.unjustified, w.unknown, w.open, w.breach, w.purged];
  const body = `<h1>${escapeHtml(w.title)} ${account.year}</h1>
<p>${escapeHtml(w.made.replace('{version}', version))}</p>
<h2 id="summary">${escapeHtml(w.summary)}</h2>
<div class="kpi"><div>${escapeHtml(w.monthsChecked)}<b>${checked.length} / 12</b></div><div>${escapeHtml(w.lookups)}<b>${year.lookups}</b></div><div>${escapeHtml(w.findings)}<b>${year.findings}</b></div><div>${escapeHtml(w.share)}<b>${escapeHtml(judgedShare(year, lang === 'nl') ?? '–')}</b></div><div class="sev-high">${escapeHtml(w.unjustified)}<b>${year.unjustified}</b></div><div class="sev-high">${escapeHtml(w.breach)}<b>${year.breachCandidates}</b></div></div>
<h2 id="months">${escapeHtml(w.perMonth)}</h2>
${table(
  figures,
  [...account.months.map((month) => [month, month.run ? w.yes : w.no] as const), [year, `${checked.length} / 12`] as const].map(([month, done]) =>
    [month.month, done, month.lookups, month.findings, ...followUp(month, lang === 'nl')].map((cell) => cell ?? '–'),
  ),
)}
${bars(account.months.map((month) => ({ label: month.month, value: month.findings })), w.findingsPerMonth)}
<h2 id="rules">${escapeHtml(w.perRule)}</h2>
${table(
  [w.rule, ...account.months.map((month) => month.month.slice(5)), w.total],
  account.rules.map((rule) => [title(rule), ...account.months.map((month) => (month.run ? (month.perRule.get(rule) ?? 0) : '–')), year.perRule.get(rule) ?? 0]),
)}
<h2 id="runs">${escapeHtml(w.runs)}</h2>
${table(
  [w.month, w.run, w.finished, w.folder, w.version, w.earlier],
  checked.map((month) => [month.month, month.run!.id, month.run!.finishedAt, month.run!.folder, month.run!.toolVersion, month.earlierRuns]),
)}
${table(
  [w.month, w.kind, w.file, w.bytes, 'SHA-256'],
  checked.flatMap((month) => month.run!.files.map((file) => [month.month, file.kind, file.file, file.bytes, file.sha256])),
)}
<h3>${escapeHtml(w.skipped)}</h3>
${table([w.month, w.rule, w.reason], checked.flatMap((month) => month.run!.skipped.map((rule) => [month.month, rule.rule, rule.reason])))}
<h2 id="retention">${escapeHtml(w.retention)}</h2>
<p>${escapeHtml(w.retentionText)}</p>
${account.purges.length === 0 ? `<p>${escapeHtml(w.noPurges)}</p>` : table([w.purgedAt, w.before, w.findings, w.verdicts], account.purges.map((purge) => [purge.purgedAt, purge.before, purge.findings, purge.verdicts]))}
<h2 id="definitions">${escapeHtml(w.definitions)}</h2>
${w.definitionsText.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n')}
`;
  // Months and dates stay on one line in the wide tables.
  return htmlPage(lang, `${w.title} ${account.year}`, body, 'td:first-child{white-space:nowrap}');
}

/**
 * The yearly report as CSV for Excel (BOM, `;`, formulas made inert): a row per month and one for the year,
 * a column per rule, the input files with their SHA-256 in one cell. Labels are Dutch, like the worklists.
 */
export function yearCsv(account: YearAccount, delimiter = ';'): string {
  const year = totals(account);
  const header = [
    'maand', 'gecontroleerd', 'run', 'afgerond', 'invoerbestanden', 'raadplegingen', 'bevindingen',
    ...account.rules.map((rule) => `bevindingen ${rule}`),
    'met oordeel', 'aandeel met oordeel', 'gerechtvaardigd', 'niet gerechtvaardigd', 'onbekend', 'zonder oordeel', 'datalekkandidaten', 'geschoond',
  ];
  const row = (month: MonthAccount, checked: string): Cell[] => [
    month.month,
    checked,
    month.run?.id ?? null,
    month.run?.finishedAt ?? null,
    month.run?.files.map((file) => `${file.kind} ${file.file} ${file.sha256}`).join(' | ') ?? null,
    month.lookups,
    month.findings,
    ...account.rules.map((rule) => month.perRule.get(rule) ?? 0),
    ...followUp(month, true),
  ];
  const checked = account.months.filter((month) => month.run !== null).length;
  return (
    BOM +
    csvRow(header, delimiter) +
    [...account.months.map((month) => row(month, month.run ? 'ja' : 'nee')), row(year, `${checked}/12`)].map((cells) => csvRow(cells, delimiter)).join('')
  );
}
