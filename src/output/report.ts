import type { FileReport, SkippedFile } from '../engine/analyze.js';
import type { Indicators } from '../engine/indicators.js';
import { compareText, type RulePlan } from '../rule-api/runner.js';
import { SEVERITIES, severityRank, type Finding, type ReferenceData, type Severity } from '../rule-api/types.js';
import { registerRowFor } from '../rule-api/register.js';
import type { ReferenceFileReport } from './summary.js';
import { HISTORY_LABELS, type History } from './history.js';
import { bsnFor, excelTime, type BsnForm } from './worklists.js';

/**
 * report.html: one self-contained file for the controller and management. No scripts, no external fonts or
 * images, and a Content-Security-Policy that forbids every request: it opens offline from a file share and
 * cannot leak what it shows. Charts are inline SVG. Every user-supplied string is escaped.
 */
export interface ReportInput {
  lang: 'nl' | 'en';
  version: string;
  period: { from: string; to: string } | null;
  files: readonly FileReport[];
  skipped?: readonly SkippedFile[];
  reference: readonly ReferenceFileReport[];
  plan: RulePlan;
  findings: readonly Finding[];
  indicators: Indicators;
  /** Reference data that does not seem to fit the logs (see referenceWarnings): shown above everything. */
  warnings: readonly string[];
  users: ReferenceData['users'];
  lookups: number;
  rejects: number;
  bsn: BsnForm;
  hashKey?: string;
  settings: Record<string, unknown>;
  /** From `analyze --register`: each finding's history; employees with a repeat come first. */
  history?: History;
}

const WORDS = {
  nl: {
    title: 'Gebruikscontrole Suwinet',
    period: 'Periode',
    summary: 'Samenvatting',
    lookups: 'Raadplegingen',
    rejected: 'Afgekeurde regels',
    findings: 'Bevindingen',
    perRule: 'Bevindingen per regel',
    rule: 'Regel',
    total: 'Totaal',
    indicators: 'Indicatoren',
    offHours: 'Aandeel buiten kantoortijd',
    nonBsn: 'Aandeel zoekvragen zonder BSN',
    nonBsnUsers: 'Aandeel gebruikers met zoekvragen zonder BSN',
    topUsers: 'Meeste raadplegingen per gebruiker',
    topBsns: "Meest geraadpleegde BSN's (verschillende gebruikers)",
    pages: 'Raadplegingen per pagina',
    roles: 'Gebruikers per rol',
    heatmap: 'Raadplegingen per uur van de week (kader: kantoortijd 06:00–19:00, ma–vr)',
    perDay: 'Raadplegingen per dag (oranje: buiten kantoortijd)',
    volume: 'Raadplegingen per gebruiker (twintig drukste) tegen de mediaan van het team (oranje streep)',
    dossiers: 'Dossiers per medewerker (meeste risico eerst)',
    employee: 'Medewerker',
    time: 'Tijdstip',
    severity: 'Ernst',
    message: 'Omschrijving',
    evidence: 'Bewijs (bestand:regel)',
    scope: 'Reikwijdte en methode',
    skippedFiles: 'Overgeslagen bestanden (geen log)',
    inputs: 'Invoerbestanden',
    referenceFiles: 'Referentiebestanden',
    rulesRun: 'Uitgevoerde regels en instellingen',
    rulesSkipped: 'Overgeslagen regels',
    settings: 'Instellingen',
    file: 'Bestand',
    layout: 'Formaat',
    bytes: 'Bytes',
    lines: 'Regels',
    none: 'Geen bevindingen.',
    days: ['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'],
    generated: 'Gemaakt met',
    count: 'Aantal',
    users: 'Gebruikers',
    reason: 'Reden',
    page: 'Pagina',
    role: 'Rol',
    history: 'Historie',
    warning: 'Let op',
    dossiersWithHistory: 'Dossiers per medewerker (herhalingen eerst, dan meeste risico)',
    more: (count: number) =>
      `En nog ${count} bevinding(en) van deze medewerker, van lagere ernst of later: alle bevindingen staan in findings.csv en in de werklijst van het team.`,
  },
  en: {
    title: 'Suwinet usage control',
    period: 'Period',
    summary: 'Summary',
    lookups: 'Lookups',
    rejected: 'Rejected lines',
    findings: 'Findings',
    perRule: 'Findings per rule',
    rule: 'Rule',
    total: 'Total',
    indicators: 'Indicators',
    offHours: 'Share outside office hours',
    nonBsn: 'Share of searches without a BSN',
    nonBsnUsers: 'Share of users searching without a BSN',
    topUsers: 'Most lookups per user',
    topBsns: 'Most consulted BSNs (different users)',
    pages: 'Lookups per page',
    roles: 'Users per role',
    heatmap: 'Lookups per hour of the week (frame: office hours 06:00–19:00, Mon–Fri)',
    perDay: 'Lookups per day (orange: outside office hours)',
    volume: 'Lookups per user (the twenty busiest) against their team median (orange line)',
    dossiers: 'Dossiers per employee (highest risk first)',
    employee: 'Employee',
    time: 'Time',
    severity: 'Severity',
    message: 'Description',
    evidence: 'Evidence (file:line)',
    scope: 'Scope and method',
    skippedFiles: 'Skipped files (not a log)',
    inputs: 'Input files',
    referenceFiles: 'Reference files',
    rulesRun: 'Rules run and their settings',
    rulesSkipped: 'Rules skipped',
    settings: 'Settings',
    file: 'File',
    layout: 'Layout',
    bytes: 'Bytes',
    lines: 'Lines',
    none: 'No findings.',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    generated: 'Made with',
    count: 'Count',
    users: 'Users',
    reason: 'Reason',
    page: 'Page',
    role: 'Role',
    history: 'History',
    warning: 'Warning',
    dossiersWithHistory: 'Dossiers per employee (repeats first, then highest risk)',
    more: (count: number) =>
      `And ${count} more finding(s) of this employee, of lower severity or later: every finding is in findings.csv and in the team's worklist.`,
  },
} as const;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Rows of one employee's dossier in the report, the most severe first. A month in which a reference file does
 * not fit the logs (last year's caseload) makes hundreds of thousands of findings: listed in full, the report
 * was 338 MB for two million lookups, more than a browser opens. The rest is in findings.csv and the worklists.
 */
export const DOSSIER_ROWS = 100;

const RISK: Record<Severity, number> = { info: 0, low: 1, medium: 3, high: 9, critical: 27 };
const share = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(2)}%`);

export function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A horizontal bar chart in SVG. */
export function bars(items: ReadonlyArray<{ label: string; value: number }>, caption: string): string {
  if (items.length === 0) return '';
  const max = Math.max(...items.map((item) => item.value), 1);
  const rows = items
    .map((item, index) => {
      const width = Math.round((item.value / max) * 360);
      const y = index * 22;
      return `<text x="0" y="${y + 15}">${escapeHtml(item.label)}</text><rect x="220" y="${y + 3}" width="${width}" height="16"></rect><text x="${226 + width}" y="${y + 15}">${item.value}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(caption)}" class="chart bars" viewBox="0 0 640 ${items.length * 22 + 4}">${rows}</svg><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** Lookups per hour of the week as a heat map, office hours framed. */
function heatmap(counts: readonly number[], days: readonly string[], caption: string): string {
  const max = Math.max(...counts, 1);
  let cells = '';
  for (let day = 0; day < 7; day++) {
    cells += `<text x="0" y="${day * 18 + 30}">${escapeHtml(days[day])}</text>`;
    for (let hour = 0; hour < 24; hour++) {
      const value = counts[day * 24 + hour] ?? 0;
      const shade = value === 0 ? 0 : 0.15 + 0.85 * (value / max);
      const office = day < 5 && hour >= 6 && hour < 19 ? ' office' : '';
      cells += `<rect class="cell${office}" x="${40 + hour * 22}" y="${day * 18 + 18}" width="20" height="16" fill-opacity="${shade.toFixed(2)}"><title>${escapeHtml(days[day])} ${hour}:00 ${value}</title></rect>`;
    }
  }
  for (let hour = 0; hour < 24; hour += 3) cells += `<text x="${40 + hour * 22}" y="12">${hour}</text>`;
  return `<figure><svg role="img" aria-label="${escapeHtml(caption)}" class="chart heatmap" viewBox="0 0 580 150">${cells}</svg><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** Lookups per day as columns, the part outside office hours on top in another colour. */
function columns(items: ReadonlyArray<{ date: string; lookups: number; offHours: number }>, caption: string): string {
  if (items.length === 0) return '';
  const max = Math.max(...items.map((item) => item.lookups), 1);
  const width = Math.max(4, Math.floor(600 / items.length) - 2);
  const rects = items
    .map((item, index) => {
      const height = Math.round((item.lookups / max) * 120);
      const off = Math.round((item.offHours / max) * 120);
      const x = index * (width + 2);
      const title = `<title>${escapeHtml(item.date)}: ${item.lookups} (${item.offHours} buiten kantoortijd)</title>`;
      return `<rect x="${x}" y="${130 - height}" width="${width}" height="${height}">${title}</rect>` +
        (item.offHours > 0 ? `<rect class="off" x="${x}" y="${130 - height}" width="${width}" height="${Math.max(off, 1)}">${title}</rect>` : '');
    })
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(caption)}" class="chart columns" viewBox="0 0 ${items.length * (width + 2)} 134">${rects}</svg><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** The median of numbers (0 for none). */
function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The busiest users' lookups against the median of their team (from the register; users without a team are
 * compared with everyone): a bar per user, a tick at the team median.
 */
function volumeAgainstPeers(
  perUser: ReadonlyArray<{ user: string; lookups: number }>,
  teamOf: (login: string) => string | null,
  caption: string,
): string {
  if (perUser.length === 0) return '';
  const byTeam = new Map<string, number[]>();
  for (const { user, lookups } of perUser) {
    const team = teamOf(user) ?? '';
    const peers = byTeam.get(team);
    if (peers === undefined) byTeam.set(team, [lookups]);
    else peers.push(lookups);
  }
  const everyone = median(perUser.map((item) => item.lookups));
  const shown = perUser.slice(0, 20);
  const max = Math.max(...shown.map((item) => item.lookups), 1);
  const rows = shown
    .map(({ user, lookups }, index) => {
      const team = teamOf(user);
      const peers = team === null ? everyone : median(byTeam.get(team)!);
      const y = index * 22;
      const width = Math.round((lookups / max) * 360);
      const tick = 220 + Math.round((peers / max) * 360);
      return `<text x="0" y="${y + 15}">${escapeHtml(user)}</text><rect x="220" y="${y + 3}" width="${width}" height="16"></rect>` +
        `<line class="median" x1="${tick}" x2="${tick}" y1="${y}" y2="${y + 22}"><title>mediaan ${escapeHtml(team ?? '')}: ${peers}</title></line>` +
        `<text x="${226 + Math.max(width, tick - 220)}" y="${y + 15}">${lookups} / ${peers}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${escapeHtml(caption)}" class="chart bars" viewBox="0 0 680 ${shown.length * 22 + 4}">${rows}</svg><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1b1b1b;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #154273;color:#154273}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef2f7}.sev-high,.sev-critical{color:#a00;font-weight:600}.sev-medium{color:#a35a00}
svg.chart{width:100%;max-width:720px;height:auto}svg.bars rect,svg.columns rect{fill:#154273}svg.columns rect.off{fill:#e17000}line.median{stroke:#e17000;stroke-width:3}svg text{font-size:11px;fill:#333}
rect.cell{fill:#154273;stroke:#fff}rect.cell.office{stroke:#e17000;stroke-width:1}
.kpi{display:flex;gap:1rem;flex-wrap:wrap}.kpi div{background:#eef2f7;padding:.6rem 1rem;border-radius:4px}.kpi b{display:block;font-size:1.3rem}
.warning{background:#fdecea;border-left:4px solid #a00;padding:.5rem .8rem}
code{word-break:break-all}pre{white-space:pre-wrap}table{table-layout:auto}td{overflow-wrap:anywhere}`;

export function buildReport(input: ReportInput): string {
  const w = WORDS[input.lang];
  const titles = new Map(input.plan.active.map((rule) => [rule.definition.meta.id, rule.definition.meta.title]));
  const bySeverity = SEVERITIES.map((severity) => [severity, input.findings.filter((finding) => finding.severity === severity).length] as const);
  const perRule = [...titles.keys()].map((id) => ({ label: titles.get(id)!, value: input.findings.filter((finding) => finding.rule === id).length }));
  const dossiers = new Map<string, Finding[]>();
  for (const finding of input.findings) {
    const dossier = dossiers.get(finding.user);
    if (dossier === undefined) dossiers.set(finding.user, [finding]);
    else dossier.push(finding);
  }
  const risk = (findings: readonly Finding[]) => findings.reduce((sum, finding) => sum + RISK[finding.severity], 0);
  // A repeat offender is followed up before a first-time finding of more weight: the earlier talk did not help.
  const repeats = (findings: readonly Finding[]) => (findings.some((finding) => input.history?.get(finding.id)?.mark === 'repeat') ? 1 : 0);
  const ordered = [...dossiers].sort(
    (a, b) => repeats(b[1]) - repeats(a[1]) || risk(b[1]) - risk(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const historyCell = (finding: Finding) => {
    const entry = input.history?.get(finding.id);
    return entry === undefined ? '' : `<td class="history-${entry.mark.replace(' ', '-')}">${escapeHtml(HISTORY_LABELS[input.lang][entry.mark])}</td>`;
  };
  const historyHead = input.history === undefined ? '' : `<th>${escapeHtml(w.history)}</th>`;
  const nameOf = (login: string) => input.users?.get(login)?.find((row) => row.name)?.name ?? null;
  const period = input.period ? `${input.period.from.slice(0, 10)} – ${input.period.to.slice(0, 10)}` : '–';

  const dossierHtml =
    ordered.length === 0
      ? `<p>${escapeHtml(w.none)}</p>`
      : ordered
          .map(([login, findings]) => {
            const name = nameOf(login);
            const rows = findings
              .slice()
              .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.from, b.from))
              .slice(0, DOSSIER_ROWS)
              .map(
                (finding) =>
                  `<tr><td>${escapeHtml(excelTime(finding.from))}</td><td>${escapeHtml(titles.get(finding.rule) ?? finding.rule)}</td>` +
                  `<td class="sev-${finding.severity}">${escapeHtml(finding.severity)}</td><td>${escapeHtml(bsnFor(finding.bsn, input.bsn, input.hashKey) ?? '')}</td>` +
                  `${historyCell(finding)}<td>${escapeHtml(finding.message)}</td><td><code>${escapeHtml(
                    finding.evidence
                      .slice(0, 10)
                      .map((evidence) => `${evidence.file}:${evidence.line}`)
                      .join(', ') + (finding.evidenceTotal > 10 ? ` … (${finding.evidenceTotal})` : ''),
                  )}</code></td></tr>`,
              )
              .join('');
            return (
              `<section class="dossier"><h3>${escapeHtml(login)}${name ? ` — ${escapeHtml(name)}` : ''}</h3>` +
              `<table><thead><tr><th>${escapeHtml(w.time)}</th><th>${escapeHtml(w.rule)}</th><th>${escapeHtml(w.severity)}</th><th>BSN</th>` +
              `${historyHead}<th>${escapeHtml(w.message)}</th><th>${escapeHtml(w.evidence)}</th></tr></thead><tbody>${rows}</tbody></table>` +
              (findings.length > DOSSIER_ROWS ? `<p class="more">${escapeHtml(w.more(findings.length - DOSSIER_ROWS))}</p>` : '') +
              '</section>'
            );
          })
          .join('');

  const ind = input.indicators;
  return htmlPage(input.lang, `${w.title} ${period}`, `<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(w.period)}: <b>${escapeHtml(period)}</b> · ${escapeHtml(w.generated)} suwinet-audit ${escapeHtml(input.version)}</p>
<h2 id="summary">${escapeHtml(w.summary)}</h2>
${input.warnings.map((warning) => `<p class="warning">${escapeHtml(w.warning)}: ${escapeHtml(warning)}</p>\n`).join('')}<div class="kpi"><div>${escapeHtml(w.lookups)}<b>${input.lookups}</b></div><div>${escapeHtml(w.rejected)}<b>${input.rejects}</b></div><div>${escapeHtml(w.findings)}<b>${input.findings.length}</b></div>${bySeverity
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `<div class="sev-${severity}">${escapeHtml(severity)}<b>${count}</b></div>`)
    .join('')}${historyCounts(input.history, input.lang)}</div>
${table([w.rule, w.total], perRule.map((item) => [item.label, item.value]))}
${bars(perRule, w.perRule)}
<h2 id="indicators">${escapeHtml(w.indicators)}</h2>
${table([w.indicators, ''], [
    [w.offHours, share(ind.offHoursShare)],
    [w.nonBsn, share(ind.nonBsnShare)],
    [w.nonBsnUsers, share(ind.nonBsnUserShare)],
  ])}
${heatmap(ind.lookupsByHourOfWeek, w.days, w.heatmap)}
${columns(ind.lookupsPerDay, w.perDay)}
${volumeAgainstPeers(ind.lookupsPerUser, (login) => registerRowFor(input.users?.get(login))?.team ?? null, w.volume)}
<h3>${escapeHtml(w.topBsns)}</h3>
${table(['BSN', w.users], ind.topBsns.map((item) => [bsnFor(item.bsn, input.bsn, input.hashKey), item.users]))}
<h3>${escapeHtml(w.pages)}</h3>
${table([w.page, w.count], ind.lookupsPerPage.map((item) => [item.page, item.lookups]))}
<h3>${escapeHtml(w.roles)}</h3>
${table([w.role, w.users], ind.usersPerRole.map((item) => [item.role, item.users]))}
<h2 id="dossiers">${escapeHtml(input.history === undefined ? w.dossiers : w.dossiersWithHistory)}</h2>
${dossierHtml}
<h2 id="scope">${escapeHtml(w.scope)}</h2>
<h3>${escapeHtml(w.inputs)}</h3>
${table([w.file, w.layout, w.bytes, 'SHA-256', w.lines, w.lookups, w.rejected], input.files.map((file) => [file.file, file.layout, file.bytes, file.sha256, file.lines, file.lookups, file.rejects]))}
${input.skipped?.length ? `<h3>${escapeHtml(w.skippedFiles)}</h3>\n${table([w.file, w.reason, w.bytes, 'SHA-256'], input.skipped.map((file) => [file.file, file.reason, file.bytes, file.sha256]))}` : ''}
<h3>${escapeHtml(w.referenceFiles)}</h3>
${table([w.file, '', 'SHA-256', w.count], input.reference.map((file) => [file.file, file.kind, file.sha256, file.entries]))}
<h3>${escapeHtml(w.rulesRun)}</h3>
${table([w.rule, w.severity, w.settings], input.plan.active.map((rule) => [rule.definition.meta.id, rule.severity, JSON.stringify(rule.options)]))}
<h3>${escapeHtml(w.rulesSkipped)}</h3>
${table([w.rule, w.reason], input.plan.skipped.map((rule) => [rule.id, rule.reason]))}
<h3>${escapeHtml(w.settings)}</h3>
<pre>${escapeHtml(JSON.stringify(input.settings, null, 2))}</pre>
`);
}

/** With a register: how many findings are new, repeats and already judged, beside the other key figures. */
function historyCounts(history: History | undefined, lang: 'nl' | 'en'): string {
  if (history === undefined) return '';
  const marks = [...history.values()].map((entry) => entry.mark);
  return (['new', 'repeat', 'already judged'] as const)
    .map((mark) => `<div class="history-${mark.replace(' ', '-')}">${escapeHtml(HISTORY_LABELS[lang][mark])}<b>${marks.filter((m) => m === mark).length}</b></div>`)
    .join('');
}

/**
 * The frame of every HTML report: self-contained, with a Content-Security-Policy that forbids every request,
 * and the house style (plus `style`, a report's own rules).
 */
export function htmlPage(lang: string, title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${style}</style>
</head>
<body>
${body}</body>
</html>
`;
}
