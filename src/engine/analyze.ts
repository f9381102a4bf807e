import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { InputError, InterruptedError, UsageError, WorkerError } from '../errors.js';
import { detectDelimiter, detectLayout } from '../input/detect.js';
import {
  countLines,
  expandInputs,
  ChunkBuffers,
  contentAfter,
  lineChunks,
  openInput,
  peek,
  prepend,
  type Fingerprint,
  type InputSource,
  type OverlongLine,
} from '../input/sources.js';
import { excerptOf } from '../input/lines.js';
import type { RecordSource } from '../input/mapping.js';
import { decodeText, detectEncoding, invalidReason, utf8Stream, type Encoding, type EncodingChoice } from '../input/encoding.js';
import { csvHeader, jsonArrayRecords } from '../input/structured.js';
import { packPosition } from '../rule-api/position.js';
import { flaggedLookups, referenceWarnings, renderFindings } from '../rule-api/runner.js';
import type { Finding, Layout } from '../rule-api/types.js';
import { holidaysTabled, holidayTableInThread, type Calendar, type HolidayTable } from '../time/calendar.js';
import { addStats, emptyStats, evaluateRecords, rejectedLine, type ChunkResult, type ChunkStats, type Reject } from './chunk.js';
import { emptyTotal, finishIndicators, mergeIndicators, type Indicators } from './indicators.js';
import { drawSample, mergeSample, type SampleCandidate, type SamplePartial } from './sample.js';
import { buildEngine, type Engine, type EngineSettings } from './setup.js';
import type { RulePlan } from '../rule-api/runner.js';
import { WORKER_LIMITS } from './heap.js';
import { startWorkers, type WorkerPool } from './pool.js';
import { runTask, type ChunkTask } from './task.js';

/**
 * Chunks of 8 MiB: every chunk costs the worker a partial state to compact and send, and the main thread one
 * to merge. Against 4 MiB (2 M lookups, 2 workers, alternating): classic 6.74 -> 6.05 s and v5 4.56 ->
 * 4.33 with the core rules, 11.5 -> 10.4 and 7.4 -> 6.9 with every rule, for 10-12 MB more at the peak with
 * the core rules (chunks in flight) and 20-25 with every rule.
 */
export const DEFAULT_CHUNK_SIZE = 8 << 20;
/**
 * No log line is anywhere near this long: a longer one (a file without line breaks, binary junk) is rejected
 * without being held in memory, and a CSV record still inside quotes after this many bytes is cut.
 */
export const MAX_LINE = 64 << 20;
/** Enough of a file to see past a few junk lines at the top and tell its layout. */
const SNIFF_BYTES = 64 << 10;
/**
 * Chunks in flight: one per worker and one waiting for the first worker that is done, while the main thread
 * reads and merges. Each holds its buffer and, once evaluated, its result. Two per worker held one 8 MiB
 * chunk more for two workers, and gained no time (2 M lookups, alternating runs, medians of 4): v5 2.69 s
 * either way, SI Classic 3.58 against 3.55, with every rule 3.62 against 3.63 and 5.92 either way. One
 * waiting peaked 5–11 MiB lower: SI Classic 261 against 250 MiB, v5 261 against 254, with every rule 324
 * against 318 and 312 against 308, a 1 GB v5 file 289–298 against 280–291. None waiting was slower (the 1
 * GB v5 file 4.92 s against 4.62): a worker that is done waits for the next chunk to be read.
 */
function chunksInFlight(workers: number): number {
  return Math.max(1, workers) + 1;
}

export interface AnalyzeSettings extends EngineSettings {
  inputs: readonly string[];
  chunkSize?: number;
  /** Worker threads; 0 evaluates everything in the main thread. */
  workers: number;
  /** Character encoding of the inputs: `auto` (default) tells each file's own from its first 64 KiB. */
  encoding?: EncodingChoice;
  /** Most findings a run holds before it stops (default: findingLimit(), from the heap's size; smaller in tests). */
  maxFindings?: number;
  /** Longest line held in memory (default MAX_LINE; smaller in tests). */
  maxLine?: number;
  /** Finish windows as the input is read (default true; see RuleRunner.settleWindows). Off in tests, to compare. */
  settleWindows?: boolean;
  /** Where the lookups of settled windows wait (see Spill): the command gives its staging folder; default the temp folder. */
  spillFolder?: string;
}

/**
 * How far before the earliest line of the chunk just read a later line may still arrive without bringing
 * back lookups that were let go (see RuleRunner.settleWindows): logs of several servers are merged with a
 * lag of seconds to minutes. The earliest line, not the latest: one line dated days ahead (a weekend
 * lookup filed among the week's, a clock that was wrong) would otherwise settle the days in between.
 */
const LAG = 3600 * 1000;

/**
 * About what one finding takes in the main thread's heap from its hit group to its rendered form and output
 * rows, with room to spare: months of 0.8 and 1.7 million findings (a caseload and an authorisation matrix
 * that did not fit the logs) took 1.2 to 1.45 KB a finding.
 */
const BYTES_PER_FINDING = 2000;

/**
 * The most findings a run can hold: beyond, the main thread would run out of heap and Node would end the
 * process with a fatal error and a native stack trace. Only reference data or settings that do not fit the
 * logs make that many (a real month has thousands). With Node's default heap on a 24 GB machine, about
 * 2 million; a larger heap (`NODE_OPTIONS=--max-old-space-size=…`) raises it.
 */
export function findingLimit(heapLimit = getHeapStatistics().heap_size_limit): number {
  return Math.floor(heapLimit / BYTES_PER_FINDING);
}

/** The error of a run that made more findings than it can hold, naming the reference data that likely does not fit. */
function tooManyFindings(limit: number, lookups: number, plan: RulePlan, flagged: readonly number[]): InputError {
  const suspects = referenceWarnings(plan, flagged, lookups);
  return new InputError(`more than ${limit} findings after ${lookups} lookups: more than this run can hold in memory; nothing was written`, {
    problems: suspects,
    hint:
      (suspects.length > 0 ? 'fix the reference data named above; ' : 'check the reference data and the rules\' settings; ') +
      `a real month has thousands of findings. To analyse it all the same, give Node more heap: NODE_OPTIONS=--max-old-space-size=${Math.ceil((2 * limit * BYTES_PER_FINDING) / 2 ** 20)}`,
  });
}

export interface Progress {
  /** Raw bytes analysed so far, over all inputs: read up to the end of the last chunk merged. */
  bytes: number;
  /** Size of all inputs, null when one is standard input. */
  totalBytes: number | null;
  lookups: number;
}

export interface AnalyzeEvents {
  /** Each rejected line, in input order, as soon as it is known (rejects are not kept in memory). */
  reject(reject: Reject): void;
  /** Advice worth telling the user (e.g. slow layouts). */
  notice(message: string): void;
  /** A file in an input folder that is not a log and is not analysed. */
  skip(file: string, reason: string): void;
  /** After each chunk is merged. */
  progress?(progress: Progress): void;
}

export interface FileReport extends Fingerprint {
  file: string;
  layout: Layout;
  encoding: Encoding;
  lines: number;
  lookups: number;
  rejects: number;
  blank: number;
  /** Lookups per layout actually read (a concatenated file may hold both BKWI layouts). */
  layouts: Partial<Record<Layout, number>>;
}

/** A file found in an input folder that is not a log: not analysed, but named and hashed for the evidence. */
export interface SkippedFile extends Fingerprint {
  file: string;
  reason: string;
}

export interface AnalysisResult {
  /** The inputs analysed, in input order. */
  files: FileReport[];
  skipped: SkippedFile[];
  findings: Finding[];
  plan: RulePlan;
  calendar: Calendar;
  lookups: number;
  rejects: number;
  /** Earliest and latest lookup instants, null without lookups. */
  first: number | null;
  last: number | null;
  indicators: Indicators;
  /** The steekproef, when one was asked for. */
  sample: SampleCandidate[] | null;
  /** Reference data that does not seem to fit the logs (see referenceWarnings). */
  warnings: string[];
}

const MAPPED: ReadonlySet<Layout> = new Set(['csv', 'ndjson', 'json']);

/** Everything checked and set up before any output is written: settings errors surface first. */
export interface PreparedAnalysis {
  settings: AnalyzeSettings;
  engine: Engine;
  sources: InputSource[];
  /** The size of each input, null for standard input. */
  sizes: Array<number | null>;
  totalBytes: number | null;
  /** The days off for the workers, computed in a thread of their own (null without workers). */
  holidays: Promise<HolidayTable | null> | null;
  /** The workers, when started before the settings were known (see WorkerPool): analyze configures and stops them. */
  pool: WorkerPool | null;
}

/**
 * Validates the settings and sets up the run: the main thread's engine (calendar, rule plan with options
 * checked against their schemas, mapping) and the list of inputs (a missing input fails here).
 */
export async function prepareAnalysis(
  settings: AnalyzeSettings,
  holidays = startHolidayTable(settings),
  pool: WorkerPool | null = null,
): Promise<PreparedAnalysis> {
  if (pool !== null && pool.size !== settings.workers) throw new Error(`a pool of ${pool.size} workers for a run of ${settings.workers}`);
  const engine = await buildEngine(settings);
  const sources = await expandInputs(settings.inputs);
  const sizes = sources.map((source) => (source.path === null ? null : statSync(source.path).size));
  const totalBytes = sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + size!, 0);
  return { settings, engine, sources, sizes, totalBytes, holidays, pool };
}

/**
 * The days off the workers get, computed in a short-lived thread while the main thread goes on (loading the
 * reference data, building the engine); null without workers, and when the years are in the table of Dutch
 * holidays (the main thread then hands the workers that). A caller that starts it before it loads the
 * reference data gives it to prepareAnalysis.
 */
export function startHolidayTable(settings: Pick<AnalyzeSettings, 'workers' | 'timezone' | 'holidays'>): Promise<HolidayTable | null> | null {
  // Years in the table of Dutch holidays need no library, and no thread to load it in.
  if (settings.workers === 0 || holidaysTabled(likelyYears())) return null;
  return holidayTableInThread({ timezone: settings.timezone, holidays: settings.holidays }, likelyYears());
}

/** Per-input bookkeeping while its chunks are in flight. */
interface FileState {
  layout: Layout;
  encoding: Encoding;
  /** Lines rejected as invalid UTF-8: many of them hint at a Windows-1252 file. */
  invalidUtf8: number;
  stats: ChunkStats;
  rejects: number;
  fingerprint?: Fingerprint;
  /** For header CSV, the line count comes from the parser (records may span lines). */
  header: boolean;
}

/**
 * Reads every input once, in order, and evaluates the rules: bytes → chunk → worker (parser → rules →
 * partial state) → merge in input order → findings. The main thread only reads, gunzips, hashes and cuts;
 * one chunk per worker and one more are in flight at most (chunksInFlight), and reading waits while they
 * are. Results do not depend on the number of workers or the chunk size.
 */
export async function analyze(prepared: PreparedAnalysis, events: AnalyzeEvents, signal?: AbortSignal): Promise<AnalysisResult> {
  const { settings, engine, sources } = prepared;
  const chunkSize = settings.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { runner, calendar } = engine;
  const total = runner.createPartial();
  /** Per input, by position; null for a file skipped as no log. */
  const files: Array<FileState | null> = [];
  const skipped: SkippedFile[] = [];
  /**
   * Chunks in flight, in input order. `readAt` is how far the run had read (of all inputs) when the chunk was
   * cut: progress reports that once the chunk is analysed, so that bytes and lookups tell of the same point
   * (bytes read ran up to the chunks in flight ahead, and the 100% line of `--progress` lacked their lookups).
   */
  const pending: Array<{ source: number; result: Promise<ChunkResult>; bytes?: Uint8Array; readAt: number }> = [];
  const limit = chunksInFlight(settings.workers);
  const progress: Progress = { bytes: 0, totalBytes: prepared.totalBytes, lookups: 0 };
  let bytesBefore = 0;
  let reading: { bytesRead(): number } | null = null;
  const readSoFar = () => bytesBefore + (reading?.bytesRead() ?? 0);
  /** Where the file being read ends, of all inputs (Infinity for standard input). */
  let fileEnd = Infinity;
  /**
   * How far a chunk cut now has read: as far as reading has got, short of the end of its file. Reading can
   * be at the end before the last chunks are cut (gzip reads ahead, a file may end where a buffer does);
   * only the file's last chunk, marked when its file is done, reaches the end.
   */
  const cutAt = () => Math.min(readSoFar(), fileEnd - 1);
  const atFileEnd = (source: number) => {
    const last = pending.at(-1);
    if (last?.source === source) last.readAt = readSoFar();
  };
  let rejects = 0;
  // Stopped at the end, whatever happens (see the finally below): a pool keeps the process alive.
  const pool = prepared.pool ?? startWorkers(settings.workers);
  // Every chunk in flight holds a buffer; the next one is read into the buffer of one that is done (see lineChunks).
  const buffers = new ChunkBuffers(chunkSize, limit, pool !== null);

  const checkInterrupt = () => {
    if (signal?.aborted) throw new InterruptedError('interrupted; nothing was written');
  };
  const indicators = emptyTotal();
  const candidates: SamplePartial = new Map();
  const maxFindings = settings.maxFindings ?? findingLimit();
  const take = (source: number, chunk: ChunkResult) => {
    const file = files[source]!; // a skipped file has no chunks
    addStats(file.stats, chunk.stats);
    for (const reject of chunk.stats.rejects) {
      events.reject(reject);
      if (reject.reason === invalidReason('utf-8')) file.invalidUtf8++;
    }
    file.rejects += chunk.stats.rejects.length;
    rejects += chunk.stats.rejects.length;
    progress.lookups += chunk.stats.lookups;
    runner.merge(total, chunk.partial, chunk.stats.first);
    if (total.hits.size > maxFindings) throw tooManyFindings(maxFindings, progress.lookups, engine.plan, total.flagged);
    if (chunk.stats.first !== null && settings.settleWindows !== false) runner.settleWindows(total, chunk.stats.first - LAG, { folder: settings.spillFolder });
    mergeIndicators(indicators, chunk.indicators);
    if (chunk.sample && settings.sample) mergeSample(candidates, chunk.sample, settings.sample);
  };
  const showProgress = (readAt: number) => {
    progress.bytes = readAt;
    events.progress?.(progress);
  };
  const settle = async () => {
    const next = pending.shift()!;
    let result: ChunkResult;
    try {
      result = await next.result;
    } catch (error) {
      checkInterrupt();
      const failure = pool?.failure ?? (error as Error);
      throw new WorkerError(`a worker failed while reading ${sources[next.source]!.name}: ${failure.message}`, {
        hint: workerFailureHint(failure),
        cause: error,
      });
    }
    take(next.source, result);
    // A worker hands back bytes that were transferred to it; shared ones, and those of a run without
    // workers, never left.
    const done = result.bytes ?? next.bytes;
    if (done) buffers.give(done);
    showProgress(next.readAt);
  };
  const maxLine = settings.maxLine ?? MAX_LINE;
  const tooLong = `line of ${maxLine >= 1 << 20 ? `${maxLine / (1 << 20)} MiB` : `${maxLine / 1024} KiB`} or more, skipped (no log line is that long)`;
  /** Takes an overlong line's reject into the results in input order, as its line number comes up. */
  const overlongLine = (origin: RecordSource, nextLine: () => number, countsLine: boolean) => (line: OverlongLine) => {
    const excerpt = excerptOf(decodeText(line.start, origin.encoding ?? 'utf-8'));
    pending.push({ source: origin.source, result: Promise.resolve(rejectedLine(origin, runner, nextLine(), tooLong, excerpt, countsLine)), readAt: cutAt() });
  };
  const submit = async (source: number, task: ChunkTask) => {
    checkInterrupt();
    const result = pool ? pool.run(task) : runTask(engine, task);
    result.catch(() => undefined); // awaited in order by settle(); this only keeps it from counting as unhandled
    pending.push({ source, result, bytes: task.bytes, readAt: cutAt() });
    while (pending.length >= limit) await settle();
  };

  try {
    pool?.configure({ ...engineSettingsOf(settings), holidayTable: (await prepared.holidays) ?? calendar.holidayTable(likelyYears()) });
    for (const [source, input] of sources.entries()) {
      checkInterrupt();
      const opened = openInput(input, undefined, signal);
      reading = opened;
      fileEnd = bytesBefore + (prepared.sizes[source] ?? Infinity);
      const { head, rest, whole } = await peek(opened.content, SNIFF_BYTES);
      const encoding = encodingOf(input.name, head, whole, settings.encoding ?? 'auto');
      const headText = decodeText(head, encoding);
      const layout = settings.format === 'auto' ? detectLayout(headText, input.name, settings.mapping) : settings.format;
      if (layout === null || (head.length === 0 && whole)) {
        const reason = head.length === 0 ? 'the file is empty' : 'cannot tell the layout from its first lines';
        if (!input.inFolder) {
          throw new InputError(`${input.name}: ${reason}`, {
            hint: head.length === 0 ? 'check the delivery' : 'give --format classic|v5|csv|ndjson|json (and --mapping for csv, ndjson and json)',
          });
        }
        // A file found in a folder that is no log (a README, a spreadsheet) is skipped, never silently: it is
        // named on stderr and listed, with its hash, in the summary and the manifest.
        for await (const _ of rest) checkInterrupt();
        skipped.push({ file: input.name, reason, ...opened.fingerprint() });
        events.skip(input.name, reason);
        files.push(null);
        bytesBefore += opened.bytesRead();
        reading = null;
        continue;
      }
      if (MAPPED.has(layout) && !settings.mapping) {
        throw new UsageError(`${input.name}: layout ${layout} needs a mapping`, {
          hint: 'give --mapping map.json naming the column of each field (see "Reading other layouts" in the README)',
        });
      }
      const origin = { file: input.name, source, layout, encoding };
      const file: FileState = { layout, encoding, invalidUtf8: 0, stats: emptyStats(), rejects: 0, header: layout === 'csv' };
      files.push(file);

      if (layout === 'json') {
        // A JSON array is one value: it is streamed element by element here, in order with the other inputs.
        events.notice(`${input.name}: a JSON array is read slowly; export NDJSON (one object per line) for large files`);
        while (pending.length > 0) await settle();
        const read = engine.parse.mapped!(origin);
        for await (const batch of jsonArrayRecords(utf8Stream(prepend(head, rest), encoding), input.name)) {
          checkInterrupt();
          take(source, evaluateRecords(batch, origin, read, runner, settings.sample));
          // The parser reads ahead of its records too: only the last batch reaches the end (see cutAt).
          showProgress(cutAt());
        }
        showProgress(readSoFar());
        file.stats.lines = file.stats.lookups + file.rejects;
      } else if (layout === 'csv') {
        const headerEnd = head.indexOf(0x0a) + 1;
        if (headerEnd === 0 && head.length >= SNIFF_BYTES) throw new InputError(`${input.name}: the header line is longer than 64 KiB`);
        const headerLine = decodeText(head.subarray(0, headerEnd || head.length), encoding).replace(/\r?\n$/, '');
        const delimiter = settings.mapping!.delimiter ?? detectDelimiter(headerLine);
        const columns = csvHeader(headerLine, delimiter);
        let line = 2;
        const overlong = overlongLine(origin, () => line++, false);
        for await (const bytes of lineChunks(contentAfter(head.subarray(headerEnd || head.length), rest, opened), chunkSize, { quoteAware: true, maxLine, overlong, buffers })) {
          const lines = countLines(bytes);
          await submit(source, { kind: 'csv', bytes, firstLine: line, origin, delimiter, columns });
          line += lines;
        }
        file.stats.lines = line - 1;
      } else {
        let line = 1;
        const overlong = overlongLine(origin, () => line++, true);
        for await (const bytes of lineChunks(contentAfter(head, rest, opened), chunkSize, { maxLine, overlong, buffers })) {
          const lines = countLines(bytes);
          const forced = settings.format !== 'auto';
          await submit(source, { kind: 'lines', bytes, firstLine: line, atFileStart: line === 1, origin, forced });
          line += lines;
        }
      }
      atFileEnd(source);
      file.fingerprint = opened.fingerprint();
      bytesBefore += file.fingerprint.bytes;
      reading = null;
    }
    while (pending.length > 0) await settle();
    for (const [source, file] of files.entries()) {
      if (file !== null && file.invalidUtf8 > 0 && file.encoding === 'utf-8') {
        events.notice(`${sources[source]!.name}: ${file.invalidUtf8} line(s) are not valid UTF-8; if the file is Windows-1252, give --encoding windows-1252`);
      }
    }
  } catch (error) {
    runner.release(total);
    throw error;
  } finally {
    await pool?.destroy();
  }

  const totals = emptyStats();
  const reports = files.flatMap((file, source): FileReport[] => {
    if (file === null) return [];
    const { stats } = file;
    if (file.header) {
      // Header CSV: lines were counted by the reader; what is neither lookup nor reject (header, blank rows).
      stats.blank = Math.max(0, stats.lines - 1 - stats.lookups - file.rejects);
    }
    addStats(totals, stats);
    return [
      {
        file: sources[source]!.name,
        layout: file.layout,
        encoding: file.encoding,
        lines: stats.lines,
        lookups: stats.lookups,
        rejects: file.rejects,
        blank: stats.blank,
        layouts: stats.byLayout,
        ...file.fingerprint!,
      },
    ];
  });
  const raw = runner.finish(total);
  const warnings = referenceWarnings(engine.plan, flaggedLookups(engine.plan, total.flagged, raw), totals.lookups);
  let sample: SampleCandidate[] | null = null;
  if (settings.sample) {
    // Per-lookup findings kept their lookups out of the candidates; windowed ones are known only now.
    const covered = new Set(raw.flatMap((finding) => finding.evidence));
    sample = drawSample(candidates, settings.sample, (source, line) => covered.has(packPosition({ source, line })));
  }
  // `raw` is emptied as it is rendered.
  const findings = renderFindings(
    raw,
    engine.rules,
    calendar,
    sources.map((input) => input.name),
    true,
  );
  const offHours = engine.plan.active.findIndex((rule) => rule.definition.meta.id === 'off-hours');
  return {
    files: reports,
    skipped,
    findings,
    plan: engine.plan,
    calendar,
    lookups: totals.lookups,
    rejects,
    first: totals.first,
    last: totals.last,
    indicators: finishIndicators(indicators, offHours < 0 ? null : total.flagged[offHours]!),
    sample,
    warnings,
  };
}

/** What to do about a worker that failed: one that ran out of its heap fails again the same way. */
export function workerFailureHint(failure: Error): string {
  if ((failure as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `a worker may hold ${WORKER_LIMITS.maxOldGenerationSizeMb} MB; run with --workers 0 (no such limit) or a smaller --chunk-size, and check plugins for state that grows with every lookup`;
  }
  return 'run again; if it fails again, run with --workers 0 --debug and report the message';
}

/**
 * The years whose days off the workers get from the main thread: this year's month is analysed early next
 * year, and an auditor may re-run the year before. A log of another year still works: a worker then loads
 * the holiday library itself.
 */
function likelyYears(): number[] {
  const year = new Date().getFullYear();
  return [year - 2, year - 1, year, year + 1];
}

/** The encoding of an input: the one asked for, or the one its start shows; a UTF-16 file stops the run. */
function encodingOf(name: string, head: Buffer, whole: boolean, choice: EncodingChoice): Encoding {
  if (choice !== 'auto') return choice;
  try {
    return detectEncoding(head, whole);
  } catch (error) {
    throw new InputError(`${name}: ${(error as Error).message}`);
  }
}

/** The engine settings alone (plain data for the workers), without the run's inputs and knobs. */
function engineSettingsOf(settings: AnalyzeSettings): EngineSettings {
  const { format, mapping, timezone, holidays, reference, ruleModules, declarativeRules, only, enable, disable, severities, ruleOptions, period, bsnHashKey, sample } =
    settings;
  return { format, mapping, timezone, holidays, reference, ruleModules, declarativeRules, only, enable, disable, severities, ruleOptions, period, bsnHashKey, sample };
}
