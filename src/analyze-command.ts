import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { analyze, prepareAnalysis, startHolidayTable, type AnalysisResult, type PreparedAnalysis, type Progress } from './engine/analyze.js';
import { startWorkers } from './engine/pool.js';
import { tightenHeaps } from './engine/heap.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_RULES } from './engine/setup.js';
import { ConfigError, EXIT, UsageError } from './errors.js';
import type { EncodingChoice } from './input/encoding.js';
import { buildReport } from './output/report.js';
import type { History, HistoryMark } from './output/history.js';
import { withRegister } from './register/db.js';
import { findingHistory } from './register/history.js';
import { readRunFolder, recordRun } from './register/runs.js';
import type { DeclarativeRuleSet } from './rule-api/declarative.js';
import { applySuppressions, suppressedJsonl, type Suppression } from './output/suppressions.js';
import { buildSampleList, buildWorklists, type BsnForm } from './output/worklists.js';
import { describeFsError, estimatedLogBytes, expandInputs } from './input/sources.js';
import { loadMapping } from './input/mapping.js';
import type { Reject } from './input/record.js';
import type { FailOn } from './options.js';
import { findingsCsv, findingsJsonl, rejectCsvRow, rejectsCsvHeader } from './output/findings.js';
import {
  closeStream,
  createStagingFolder,
  lockOutput,
  makePrivateFolder,
  type OutputModes,
  openPrivateStream,
  prepareOutputFolder,
  publish,
  removeCreatedFolder,
  writePrivateFile,
  writingOutputs,
} from './output/folder.js';
import { MANIFEST, outputHashes, type Manifest } from './output/manifest.js';
import { buildSummary, rulesOf, type ReferenceFileReport } from './output/summary.js';
import { loadAuthz, loadCaseload, loadUsers, loadWatchlist } from './reference/loaders.js';
import { severityRank, type Finding, type Layout, type ReferenceData, type Severity } from './rule-api/types.js';
import { VERSION } from './version.js';

export interface AnalyzeCommand {
  inputs: string[];
  out: string;
  force: boolean;
  format: 'auto' | Layout;
  /** Character encoding of the inputs, or `auto` per file. */
  encoding: EncodingChoice;
  mapping?: string;
  cases?: string;
  users?: string;
  authz?: string;
  watchlist?: string;
  /** File holding the HMAC key under which the register and watchlist hold BSNs. */
  hashKeyFile?: string;
  period: 'month' | 'run';
  timezone: string;
  holidays: string[];
  workdays: string[];
  rules?: string[];
  enable: string[];
  /** From the config file: rules switched off, and severities instead of the rules' own. */
  disable: string[];
  severities: Record<string, Severity>;
  /** The config file, when one was given. */
  config?: string;
  /** Approved exceptions (from the config file). */
  suppressions: Suppression[];
  ruleOptions: Record<string, Record<string, unknown>>;
  failOn: FailOn;
  maxRejectRate: number;
  chunkSize: number;
  /** Worker threads; `auto`: one per core, none for an input that is faster without (see autoWorkers). */
  workers: number | 'auto';
  csvDelimiter: string;
  /** How BSNs appear in the worklists. */
  bsn: BsnForm;
  /** The command line, for the manifest. */
  argv: string[];
  /** Module URLs of the rules: the built-in ones and each plugin. */
  ruleModules: string[];
  /** The config's declarative rules, when a config was given. */
  declarativeRules?: DeclarativeRuleSet;
  /** Permissions of the outputs. */
  modes: OutputModes;
  /** Language of the report. */
  lang: 'nl' | 'en';
  /** The steekproef: its size and seed (the seed is chosen at random when not given). */
  sample?: { size: number; seed: number };
  quiet: boolean;
  progress: boolean;
  /** The follow-up register: findings are marked against it, and the run is recorded in it. */
  register?: string;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Rejected lines shown on the terminal; the rest are in rejects.csv. */
const REJECTS_SHOWN = 10;

/** The HMAC key: the key file's text without surrounding white space. */
function readHashKey(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let key: string;
  try {
    key = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`--hash-key-file ${path}: ${describeFsError(error)}`);
  }
  if (key.length < 16) throw new ConfigError(`--hash-key-file ${path}: the key is shorter than 16 characters`, { hint: 'use a long random key, e.g. openssl rand -hex 32' });
  return key;
}

interface LoadedReference {
  data: ReferenceData;
  files: ReferenceFileReport[];
}

function loadReference(command: AnalyzeCommand, hashKey: string | undefined): LoadedReference {
  const data: ReferenceData = {};
  const files: ReferenceFileReport[] = [];
  const load = <K extends keyof ReferenceData>(
    kind: K,
    path: string | undefined,
    loader: (path: string) => NonNullable<ReferenceData[K]>,
  ) => {
    if (path === undefined) return;
    const loaded = loader(path);
    data[kind] = loaded;
    const bytes = readFileSync(path);
    files.push({ kind, file: path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, entries: loaded.size });
  };
  load('cases', command.cases, loadCaseload);
  load('users', command.users, (path) => loadUsers(path, hashKey));
  load('authz', command.authz, loadAuthz);
  load('watchlist', command.watchlist, (path) => loadWatchlist(path, hashKey));
  return { data, files };
}

/** On two cores or fewer, the size of log up to which a run is faster without workers (see autoWorkers). */
export const ALONE_ON_TWO_CORES = 192 << 20;

/**
 * The worker threads `--workers auto` takes for `bytes` of log (null: not known): one per core, but none
 * for a month that the main thread reads faster on its own.
 * - Never when the whole input fits in one chunk: one worker would do the work while the main thread
 *   waits, and starting the workers took longer than the work (a month of 30,000 lines: 1.05 s and 190 MB
 *   with two workers, 0.89 s and 145 MB without).
 * - On two cores, not below ALONE_ON_TWO_CORES either. Two workers and the main thread then share two
 *   cores, and each chunk's state is copied to the main thread and merged there. Two workers against none,
 *   3 runs each: v5 with every rule, 70 MB took 1.65–1.86 s against 1.60–1.70, 140 MB 2.17–2.34 against
 *   2.19–2.46, 180 MB 2.33–2.36 against 2.50–2.68, 235 MB 3.10–3.20 against 3.33–3.77; the core rules on v5
 *   140 MB 1.57–1.65 against 1.49–1.68, 180 MB 1.60–1.73 against 1.70–1.89, 235 MB 1.87–2.00 against
 *   2.04–2.12. SI Classic breaks even later: 180 MB 1.50–1.58 against 1.47–1.58 (every rule 2.18–2.28
 *   against 2.18–2.22), 235 MB 1.70–1.79 against 1.82–1.93. Without workers the peak was 75–95 MiB lower.
 *   The limit was 128 MiB, then 224 until chunks went to the workers in shared memory. More cores were not
 *   measured: they keep the one chunk.
 */
export function autoWorkers(bytes: number | null, chunkSize: number, cores: number): number {
  const alone = cores <= 2 ? Math.max(chunkSize, ALONE_ON_TWO_CORES) : chunkSize;
  return bytes !== null && bytes <= alone ? 0 : cores;
}

/** The worker threads of a run: as given, or for `auto` as autoWorkers says. */
async function workersFor(command: AnalyzeCommand): Promise<number> {
  if (command.workers !== 'auto') return command.workers;
  return autoWorkers(estimatedLogBytes(await expandInputs(command.inputs)), command.chunkSize, availableParallelism());
}

/** Why a run found no lookups: a forced --format that does not fit the files is the usual cause. */
function noLookupsReason(rejects: number, command: AnalyzeCommand): string {
  if (rejects === 0) return 'no lookups in the input';
  const forced = command.format === 'auto' ? '' : `; is --format ${command.format} right? Without --format, each file's layout is detected`;
  return `no lookups in the input: all ${rejects} line(s) were rejected (see ${command.out}/rejects.csv)${forced}`;
}

function exitOf(result: AnalysisResult, findings: readonly Finding[], command: AnalyzeCommand): { code: number; reason: string } {
  const considered = result.lookups + result.rejects;
  const rate = considered === 0 ? 0 : result.rejects / considered;
  if (result.lookups === 0) return { code: EXIT.input, reason: noLookupsReason(result.rejects, command) };
  if (rate > command.maxRejectRate) {
    return {
      code: EXIT.input,
      reason: `${percent(rate)} of the lines were rejected, above --max-reject-rate ${percent(command.maxRejectRate)}`,
    };
  }
  if (command.failOn !== 'never') {
    const threshold = severityRank(command.failOn);
    const failing = findings.filter((finding) => severityRank(finding.severity) >= threshold).length;
    if (failing > 0) return { code: EXIT.findings, reason: `${failing} finding(s) at or above ${command.failOn}` };
  }
  return { code: EXIT.ok, reason: 'no findings at or above --fail-on' };
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/**
 * `analyze`: reference data first (a bad reference file stops the run before any log is read), then one
 * pass over the logs, then the outputs, written into a staging folder and moved into place at the end.
 * Returns the exit code.
 */
export async function runAnalyze(command: AnalyzeCommand, io: Io): Promise<number> {
  const startedAt = new Date();
  const mapping = command.mapping === undefined ? undefined : loadMapping(command.mapping);
  const hashKey = readHashKey(command.hashKeyFile);
  if (command.bsn === 'hashed' && hashKey === undefined) {
    throw new UsageError('--bsn hashed needs --hash-key-file', { hint: 'give the key file the security officer keeps' });
  }
  const holidays = { add: command.holidays, remove: command.workdays };
  const workers = await workersFor(command);
  // The workers start now and wait for their settings, while the reference data is read (see WorkerPool).
  // analyze stops them; this is for a run that fails before it gets there.
  const pool = startWorkers(workers);
  try {
    // Started before the reference data is read, so that it is done by the time the workers get their settings.
    const holidayTable = startHolidayTable({ workers, timezone: command.timezone, holidays });
    const reference = loadReference(command, hashKey);
    // The command owns the process: its heaps may be kept tight (see tightenHeaps). Only now: set before the
    // caseload was read, it left that reading's garbage twice the room, and a month of 2,000 lines peaked at
    // 185 MB instead of 169.
    tightenHeaps();
    // A register that cannot be opened (or is of a newer version) stops the run before any log is read.
    if (command.register !== undefined) withRegister(command.register, { create: true }, () => undefined);
    const prepared = await prepareAnalysis({
      inputs: command.inputs,
      format: command.format,
      encoding: command.encoding,
      mapping,
      timezone: command.timezone,
      holidays,
      reference: reference.data,
      ruleModules: command.ruleModules,
      declarativeRules: command.declarativeRules,
      only: command.rules,
      enable: command.enable,
      disable: command.disable,
      severities: command.severities,
      ruleOptions: command.ruleOptions,
      period: command.period,
      bsnHashKey: hashKey,
      sample: command.sample,
      chunkSize: command.chunkSize,
      workers,
    }, holidayTable, pool);
    const lock = await lockOutput(command.out, startedAt, command.modes);
    try {
      const created = await prepareOutputFolder(command.out, command.force, command.modes);
      try {
        const staging = await createStagingFolder(command.out, command.modes);
        const notices: string[] = staging.removed.map((path) => `removed ${path}, left behind by an interrupted run`);
        if (lock.takenOver) {
          const { pid, startedAt: since } = lock.takenOver;
          notices.unshift(`took over the lock of run ${pid} (started ${since}), which is no longer running`);
        }
        return await writingOutputs(staging.path, command.out, () => analyzeInto(command, io, { prepared, reference, hashKey, startedAt, staging: staging.path, notices }));
      } catch (error) {
        if (created) await removeCreatedFolder(command.out);
        throw error;
      }
    } finally {
      await lock.release();
    }
  } finally {
    await pool?.destroy();
  }
}

/**
 * The run itself, once the output folder is locked and the staging folder made: read and evaluate, write the
 * outputs into the staging folder, then publish them.
 */
async function analyzeInto(
  command: AnalyzeCommand,
  io: Io,
  run: { prepared: PreparedAnalysis; reference: LoadedReference; hashKey: string | undefined; startedAt: Date; staging: string; notices: string[] },
): Promise<number> {
  const { prepared, reference, hashKey, startedAt, notices } = run;
  const { staging } = run;

  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const meter = progressMeter(command, io, prepared.totalBytes);
  const shown: Reject[] = [];
  const rejects = openPrivateStream(staging, 'rejects.csv', command.modes);
  let result: AnalysisResult;
  let analysed = false;
  try {
    rejects.write(rejectsCsvHeader(command.csvDelimiter));
    try {
      result = await analyze(
        // The spill of settled windows goes into the staging folder: on the output's disk, and removed with it.
        { ...prepared, settings: { ...prepared.settings, spillFolder: staging } },
        {
          reject(reject) {
            rejects.write(rejectCsvRow(reject, command.csvDelimiter));
            if (shown.length < REJECTS_SHOWN) shown.push(reject);
          },
          notice(message) {
            notices.push(message);
          },
          skip(file, reason) {
            // Printed even with --quiet, as rejected lines are: a file was not analysed.
            io.err(`warning: ${file}: skipped: ${reason}\n`);
          },
          progress: meter?.update,
        },
        interrupt.signal,
      );
      analysed = true;
    } finally {
      meter?.done(analysed);
      await closeStream(rejects);
    }
  } finally {
    // A failed run's staging folder is removed by writingOutputs.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const { calendar } = result;
  // Approved exceptions leave the findings, worklists and report, and are written to suppressed.jsonl.
  const suppression = applySuppressions(result.findings, command.suppressions, {
    today: calendar.formatDate(Date.now()),
    users: reference.data.users,
  });
  const findings = suppression.kept;
  const history = command.register === undefined ? undefined : withRegister(command.register, { create: true }, (db) => findingHistory(db, findings));
  const exit = exitOf(result, findings, command);
  const period =
    result.first === null || result.last === null ? null : { from: calendar.format(result.first), to: calendar.format(result.last) };
  await writePrivateFile(staging, 'findings.jsonl', findingsJsonl(findings), command.modes);
  await writePrivateFile(staging, 'findings.csv', findingsCsv(findings, command.csvDelimiter), command.modes);
  await writePrivateFile(staging, SUPPRESSED_FILE, suppressedJsonl(suppression.suppressed), command.modes);
  const worklists = buildWorklists(findings, {
    users: reference.data.users,
    titles: new Map(result.plan.active.map((rule) => [rule.definition.meta.id, rule.definition.meta.title])),
    bsn: command.bsn,
    hashKey,
    delimiter: command.csvDelimiter,
    history,
  });
  if (result.sample !== null) {
    const sampleList = buildSampleList(result.sample, {
      users: reference.data.users,
      files: result.files.map((file) => file.file),
      format: (instant) => calendar.format(instant),
      bsn: command.bsn,
      hashKey,
      delimiter: command.csvDelimiter,
    });
    await writePrivateFile(staging, 'sample.csv', sampleList, command.modes);
  }
  await writePrivateFile(
    staging,
    'report.html',
    buildReport({
      lang: command.lang,
      version: VERSION,
      period,
      files: result.files,
      skipped: result.skipped,
      reference: reference.files,
      plan: result.plan,
      findings: findings,
      indicators: result.indicators,
      warnings: result.warnings,
      users: reference.data.users,
      lookups: result.lookups,
      rejects: result.rejects,
      bsn: command.bsn,
      hashKey,
      settings: { timezone: command.timezone, period: command.period, failOn: command.failOn, bsn: command.bsn, lang: command.lang },
      history,
    }),
    command.modes,
  );
  await makePrivateFolder(join(staging, 'worklists'), command.modes);
  for (const [name, content] of worklists) await writePrivateFile(join(staging, 'worklists'), name, content, command.modes);
  const finishedAt = new Date();
  const settings = {
    format: command.format,
    encoding: command.encoding,
    mapping: command.mapping ?? null,
    timezone: command.timezone,
    holidays: { add: command.holidays, remove: command.workdays },
    period: command.period,
    // Whether the register holds keyed hashes; never the key itself.
    hashedBsns: hashKey !== undefined,
    rules: command.rules ?? null,
    enable: command.enable,
    disable: command.disable,
    severities: command.severities,
    config: command.config ?? null,
    suppressions: {
      applied: suppression.suppressed.length,
      // Past their date: no longer applied.
      expired: suppression.expired,
    },
    ruleOptions: command.ruleOptions,
    failOn: command.failOn,
    maxRejectRate: command.maxRejectRate,
    csvDelimiter: command.csvDelimiter,
    bsn: command.bsn,
    // The declarative rules are part of what was checked: the auditor sees them here, not only their ids.
    declarativeRules: command.declarativeRules?.rules ?? [],
    plugins: command.ruleModules.filter((url) => url !== BUILTIN_RULES).map((url) => fileURLToPath(url)),
    // The seed is recorded so that the same sample can be drawn again.
    sample: command.sample ?? null,
    // Only with a register, so that a run without one writes what it always wrote.
    ...(command.register === undefined ? {} : { register: command.register }),
  };
  await writePrivateFile(
    staging,
    'summary.json',
    buildSummary({
      version: VERSION,
      period,
      files: result.files,
      skipped: result.skipped,
      reference: reference.files,
      lookups: result.lookups,
      rejects: result.rejects,
      findings: findings,
      plan: result.plan,
      indicators: result.indicators,
      warnings: result.warnings,
      settings,
      exit,
      run: {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        workers: prepared.settings.workers,
        chunkSize: command.chunkSize,
        node: process.version,
      },
    }),
    command.modes,
  );
  const manifest: Manifest = {
    tool: { name: 'suwinet-audit', version: VERSION, node: process.version },
    commandLine: command.argv,
    settings,
    rules: rulesOf(result.plan),
    period,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    inputs: result.files.map(({ file, bytes, sha256, layout, lines, lookups, rejects: rejected }) => ({
      file,
      bytes,
      sha256,
      layout,
      lines,
      lookups,
      rejects: rejected,
    })),
    skipped: result.skipped.map(({ file, reason, bytes, sha256 }) => ({ file, reason, bytes, sha256 })),
    reference: reference.files,
    outputs: await outputHashes(staging),
  };
  await writePrivateFile(staging, MANIFEST, JSON.stringify(manifest, null, 2) + '\n', command.modes);
  await publish(staging, command.out, command.sample ? [SAMPLE_FILE, ...OUTPUT_FILES] : OUTPUT_FILES, MANIFEST);
  // A run whose reference data does not fit the logs would fill the register with findings that nobody
  // should judge (790,000 for a month of two million lookups), and no run can be taken out of it again.
  const keptOut = command.register !== undefined && result.warnings.length > 0;
  const recorded =
    command.register === undefined || keptOut
      ? null
      : withRegister(command.register, { create: true }, (db) => recordRun(db, readRunFolder(command.out)));

  // Also with --quiet: a scheduled job's log is where a wrong reference file is noticed first.
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  if (keptOut) {
    io.err(
      `warning: not recorded in the register ${command.register}, because of the warning above; run again with the right reference data, ` +
        `or record this run as it is with: suwinet-audit register add ${command.out} --register ${command.register}\n`,
    );
  }
  for (const expired of suppression.expired) {
    io.err(`warning: suppression '${expired.reason}' expired on ${expired.until} and no longer applies\n`);
  }
  for (const reject of shown) io.err(`${reject.file}:${reject.line}: rejected: ${reject.reason}\n`);
  if (result.rejects > shown.length) io.err(`… and ${result.rejects - shown.length} more rejected line(s) in ${command.out}/rejects.csv\n`);
  if (exit.code === EXIT.input) io.err(`suwinet-audit: ${exit.reason}\n`);
  if (!command.quiet) {
    for (const notice of notices) io.err(`notice: ${notice}\n`);
    for (const notice of skippedRuleNotices(result.plan.skipped)) io.err(`notice: ${notice}\n`);
    io.out(report(result, findings, suppression.suppressed.length, period, command));
    if (history && recorded) io.out(registerLine(command.register!, history, recorded.newFindings));
  }
  return exit.code;
}

/**
 * One notice per reason a rule was skipped, naming its rules: `--rules off-hours` leaves fourteen rules out
 * for one reason, and a line for each buried the notices that matter (a rule that needs reference data).
 */
function skippedRuleNotices(skipped: ReadonlyArray<{ id: string; reason: string }>): string[] {
  const byReason = new Map<string, string[]>();
  for (const { id, reason } of skipped) {
    const ids = byReason.get(reason);
    if (ids) ids.push(id);
    else byReason.set(reason, [id]);
  }
  return [...byReason].map(([reason, ids]) => `${ids.length === 1 ? 'rule' : 'rules'} ${ids.join(', ')} skipped: ${reason}`);
}

const OUTPUT_FILES = ['findings.jsonl', 'findings.csv', 'suppressed.jsonl', 'rejects.csv', 'report.html', 'worklists', 'summary.json', MANIFEST];
const SAMPLE_FILE = 'sample.csv';
const SUPPRESSED_FILE = 'suppressed.jsonl';

/** With `--progress` and an input of unknown size (standard input): a line this often (ms), and at the end. */
const UNSIZED_PROGRESS_EVERY = 10_000;

/**
 * Progress on stderr: one updating line on a terminal (bytes read of total, lookups/s, time left), or with
 * `--progress` one line per 10% (for the logs of scheduled jobs; for standard input, whose size is not
 * known, one line every 10 s and one when all is read). Nothing with `--quiet` or when stderr is not a
 * terminal. `done` is told whether the whole input was analysed.
 */
function progressMeter(
  command: AnalyzeCommand,
  io: Io,
  totalBytes: number | null,
): { update: (progress: Progress) => void; done: (analysed: boolean) => void } | null {
  const terminal = Boolean(process.stderr.isTTY) && !command.progress;
  if (command.quiet || (!terminal && !command.progress)) return null;
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = 0;
  let since: ProgressPoint | null = null;
  let lastLine = started;
  let latest: Progress | null = null;
  const line = (progress: Progress) => {
    const now = { at: Date.now(), bytes: progress.bytes };
    const rate = Math.round(progress.lookups / Math.max(0.001, (now.at - started) / 1000));
    const read = `${mebibytes(progress.bytes)}${totalBytes === null ? '' : ` of ${mebibytes(totalBytes)}`} MiB`;
    const seconds = totalBytes === null || since === null ? null : secondsLeft(since, now, totalBytes);
    return `read ${read}, ${progress.lookups} lookups (${rate}/s)${seconds === null ? '' : `, about ${seconds} s left`}`;
  };
  return {
    update(progress) {
      // The rate of reading counts from the first chunk merged (see secondsLeft), whether or not it is shown.
      since ??= { at: Date.now(), bytes: progress.bytes };
      if (terminal) {
        if (Date.now() - lastDraw < 200) return;
        lastDraw = Date.now();
        io.err(`\r${line(progress)}\x1b[K`);
        return;
      }
      if (totalBytes === null) {
        latest = { ...progress };
        if (Date.now() - lastLine < UNSIZED_PROGRESS_EVERY) return;
        lastLine = Date.now();
        io.err(`progress: ${line(progress)}\n`);
        return;
      }
      const tenth = totalBytes ? Math.floor((10 * progress.bytes) / totalBytes) : 0;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        io.err(`progress: ${line(progress)}\n`);
      }
    },
    done(analysed) {
      if (terminal) io.err('\r\x1b[K');
      // A sized input's last line is its 100%; standard input's says here that all of it was read.
      else if (analysed && totalBytes === null && latest !== null) io.err(`progress: ${line(latest)}, all read\n`);
    },
  };
}

/** How far a run had read (bytes of all inputs) at an instant (ms). */
export interface ProgressPoint {
  at: number;
  bytes: number;
}

/**
 * The seconds left to read `totalBytes`, at the rate since `since` (the first progress of the run); null
 * until there is a rate, and at the end. The time before the first progress (starting, reading the
 * reference data, the workers' first chunks) does not come again: counted in, it made the first estimates
 * of a 2-second month two to four times too long.
 */
export function secondsLeft(since: ProgressPoint, now: ProgressPoint, totalBytes: number): number | null {
  const read = now.bytes - since.bytes;
  if (read <= 0 || now.at <= since.at || now.bytes >= totalBytes) return null;
  return Math.ceil(((now.at - since.at) / 1000 / read) * (totalBytes - now.bytes));
}

/** The register's line in the closing report: how the findings stand, and that the run was recorded. */
function registerLine(path: string, history: History, newFindings: number): string {
  const marks = [...history.values()].map((entry) => entry.mark);
  const count = (mark: HistoryMark) => marks.filter((candidate) => candidate === mark).length;
  return `register ${path}: ${count('new')} new, ${count('repeat')} repeat, ${count('already judged')} already judged; run recorded with ${newFindings} finding(s) not seen before\n`;
}

function mebibytes(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);
}

function report(
  result: AnalysisResult,
  findings: readonly Finding[],
  suppressed: number,
  period: { from: string; to: string } | null,
  command: AnalyzeCommand,
): string {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  const bySeverity = ['critical', 'high', 'medium', 'low', 'info']
    .filter((severity) => counts.has(severity))
    .map((severity) => `${severity} ${counts.get(severity)}`)
    .join(', ');
  const lines = [
    `read ${result.files.length} file(s): ${result.lookups} lookups, ${result.rejects} rejected line(s)` +
      (period ? `, ${period.from.slice(0, 10)} to ${period.to.slice(0, 10)}` : ''),
    `found ${findings.length} finding(s)${bySeverity ? ` (${bySeverity})` : ''}${suppressed > 0 ? `, ${suppressed} suppressed` : ''}`,
    `outputs in ${command.out}/: report.html, findings.jsonl, findings.csv, suppressed.jsonl, rejects.csv, worklists/ (one per team), summary.json, manifest.json`,
  ];
  return lines.join('\n') + '\n';
}
