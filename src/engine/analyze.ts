import { UsageError, InputError } from '../errors.js';
import { detectDelimiter, detectLayout } from '../input/detect.js';
import { createMappedReader, type Mapping } from '../input/mapping.js';
import { expandInputs, lineChunks, openInput, peek, type Fingerprint, type InputSource } from '../input/sources.js';
import { csvRecords, jsonArrayRecords } from '../input/structured.js';
import { RuleRunner, planRules, renderFindings, type RulePlan } from '../rule-api/runner.js';
import type { AnyRule, Finding, Layout, ReferenceData } from '../rule-api/types.js';
import { Calendar, type HolidayAdjustments } from '../time/calendar.js';
import {
  addStats,
  emptyStats,
  evaluateLineChunk,
  evaluateRecords,
  lineParserFor,
  type ChunkStats,
  type RecordReader,
  type Reject,
} from './chunk.js';

export const DEFAULT_CHUNK_SIZE = 4 << 20;
/** Enough of a file to see past a few junk lines at the top and tell its layout. */
const SNIFF_BYTES = 64 << 10;

export interface AnalyzeSettings {
  inputs: readonly string[];
  /** `auto` detects each file's layout from its first lines. */
  format: 'auto' | Layout;
  mapping?: Mapping;
  timezone: string;
  holidays?: HolidayAdjustments;
  reference: ReferenceData;
  rules: readonly AnyRule[];
  only?: readonly string[];
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
  chunkSize?: number;
}

export interface AnalyzeEvents {
  /** Each rejected line, in input order, as soon as it is known (rejects are not kept in memory). */
  reject(reject: Reject): void;
  /** Advice worth telling the user (e.g. slow layouts). */
  notice(message: string): void;
}

export interface FileReport extends Fingerprint {
  file: string;
  layout: Layout;
  lines: number;
  lookups: number;
  rejects: number;
  blank: number;
  /** Lookups per layout actually read (a concatenated file may hold both BKWI layouts). */
  layouts: Partial<Record<Layout, number>>;
}

export interface AnalysisResult {
  files: FileReport[];
  findings: Finding[];
  plan: RulePlan;
  calendar: Calendar;
  lookups: number;
  rejects: number;
  /** Earliest and latest lookup instants, null without lookups. */
  first: number | null;
  last: number | null;
}

const MAPPED: ReadonlySet<Layout> = new Set(['csv', 'ndjson', 'json']);

/** Everything checked and set up before any output is written: settings errors surface first. */
export interface PreparedAnalysis {
  settings: AnalyzeSettings;
  calendar: Calendar;
  plan: RulePlan;
  runner: RuleRunner;
  sources: InputSource[];
  /** Record readers compiled from the mapping: for flat CSV records and for JSON values. */
  readers: { csv?: RecordReader; json?: RecordReader };
}

/**
 * Validates the settings and sets up the run: calendar (time zone, holidays), rule plan (options checked
 * against their schemas), mapping, and the list of inputs (a missing input fails here).
 */
export async function prepareAnalysis(settings: AnalyzeSettings): Promise<PreparedAnalysis> {
  const calendar = new Calendar({ timezone: settings.timezone, holidays: settings.holidays });
  const plan = planRules(settings.rules, {
    only: settings.only,
    options: settings.ruleOptions,
    reference: settings.reference,
    calendar,
  });
  const readers = settings.mapping
    ? {
        csv: createMappedReader(settings.mapping, settings.timezone, true),
        json: createMappedReader(settings.mapping, settings.timezone, false),
      }
    : {};
  const sources = await expandInputs(settings.inputs);
  return { settings, calendar, plan, runner: new RuleRunner(plan.active, calendar), sources, readers };
}

/**
 * Reads every input once, in order, and evaluates the rules: bytes → chunk → parser → rules → partial
 * state → merge → findings. Chunks are evaluated independently and merged in input order, so the result
 * does not depend on the chunk size.
 */
export async function analyze(prepared: PreparedAnalysis, events: AnalyzeEvents): Promise<AnalysisResult> {
  const { settings, calendar, plan, runner, sources, readers } = prepared;
  const chunkSize = settings.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const total = runner.createPartial();
  const totals = emptyStats();
  const files: FileReport[] = [];
  let rejects = 0;

  for (const [source, input] of sources.entries()) {
    const opened = openInput(input);
    const { head, all } = await peek(opened.content, SNIFF_BYTES);
    const headText = head.toString('utf8');
    const layout = settings.format === 'auto' ? detectLayout(headText, input.name, settings.mapping) : settings.format;
    if (layout === null) {
      throw new InputError(`${input.name}: cannot tell the layout from its first lines`, {
        hint: 'give --format classic|v5|csv|ndjson|json (and --mapping for csv, ndjson and json)',
      });
    }
    if (MAPPED.has(layout) && !settings.mapping) {
      throw new UsageError(`${input.name}: layout ${layout} needs a mapping`, {
        hint: 'give --mapping map.json naming the column of each field (see "Reading other layouts" in the README)',
      });
    }
    const origin = { file: input.name, source, layout };
    const stats = emptyStats();
    let fileRejects = 0;
    const take = (chunk: { stats: ChunkStats; partial: typeof total }) => {
      addStats(stats, chunk.stats);
      for (const reject of chunk.stats.rejects) events.reject(reject);
      rejects += chunk.stats.rejects.length;
      fileRejects += chunk.stats.rejects.length;
      runner.merge(total, chunk.partial);
    };

    if (layout === 'csv') {
      const firstLine = headText.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
      const delimiter = settings.mapping!.delimiter ?? detectDelimiter(firstLine);
      const progress = { lastLine: 0 };
      for await (const batch of csvRecords(all, delimiter, progress)) {
        take(evaluateRecords(batch, origin, readers.csv!, runner));
      }
      stats.lines = progress.lastLine;
      stats.blank = Math.max(0, stats.lines - 1 - stats.lookups - fileRejects);
    } else if (layout === 'json') {
      events.notice(`${input.name}: a JSON array is read slowly; export NDJSON (one object per line) for large files`);
      for await (const batch of jsonArrayRecords(all, input.name)) {
        take(evaluateRecords(batch, origin, readers.json!, runner));
      }
      stats.lines = stats.lookups + fileRejects;
    } else {
      const parse = lineParserFor(layout, settings.format !== 'auto', calendar.clock, readers.json);
      let line = 1;
      for await (const bytes of lineChunks(all, chunkSize)) {
        const chunk = evaluateLineChunk(bytes, line, line === 1, origin, parse, runner);
        line += chunk.stats.lines;
        take(chunk);
      }
    }
    addStats(totals, stats);
    files.push({
      file: input.name,
      layout,
      lines: stats.lines,
      lookups: stats.lookups,
      rejects: fileRejects,
      blank: stats.blank,
      layouts: stats.byLayout,
      ...opened.fingerprint(),
    });
  }

  const findings = renderFindings(
    runner.finish(total),
    settings.rules,
    calendar,
    sources.map((input) => input.name),
  );
  return { files, findings, plan, calendar, lookups: totals.lookups, rejects, first: totals.first, last: totals.last };
}
