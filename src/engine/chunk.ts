import { classicParser, startsWithInfo } from '../input/classic.js';
import { EXCERPT_LIMIT, excerptOf, forEachLine } from '../input/lines.js';
import type { RecordReader, RecordSource } from '../input/mapping.js';
import { textAt, type Interner, type RecordParser, type Reject } from '../input/record.js';
import type { StructuredItem } from '../input/structured.js';
import { v5Parser } from '../input/v5.js';
import type { RulePartial, RuleRunner } from '../rule-api/runner.js';
import type { Layout, Lookup } from '../rule-api/types.js';
import type { ZoneClock } from '../time/zone.js';
import { IndicatorCollector, type IndicatorPartial } from './indicators.js';
import { SampleCollector, type SamplePartial, type SampleSettings } from './sample.js';

export type { Reject };

/** What one chunk of one file held. Plain data; chunk stats add up to file stats. */
export interface ChunkStats {
  lines: number;
  blank: number;
  lookups: number;
  byLayout: Partial<Record<Layout, number>>;
  rejects: Reject[];
  /** Earliest and latest lookup instants, or null without lookups. */
  first: number | null;
  last: number | null;
}

/** The shared, per-thread parts of parsing: time zone, interned strings, the mapping. */
export interface ParseSetup {
  clock: ZoneClock;
  intern: Interner;
  /** Reader factory compiled from the mapping, for NDJSON lines and JSON values; absent without mapping. */
  mapped?: (origin: RecordSource) => RecordReader;
}

/**
 * The record parser for a file. Auto-detected BKWI files accept both BKWI layouts line by line, because a
 * municipality that migrated mid-month may hand over one concatenated file; a forced `--format` accepts
 * only its own layout. NDJSON lines go through JSON.parse and the mapping.
 */
export function lineParserFor(origin: RecordSource, forced: boolean, setup: ParseSetup): RecordParser {
  const context = { clock: setup.clock, intern: setup.intern, file: origin.file, source: origin.source };
  if (origin.layout === 'ndjson') {
    if (!setup.mapped) throw new Error('NDJSON needs a mapping');
    const read = setup.mapped(origin);
    return (text, start, end, line) => {
      let value: unknown;
      try {
        value = JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end));
      } catch (error) {
        return `invalid JSON: ${(error as Error).message}`;
      }
      return read(value, line);
    };
  }
  const classic = classicParser(context);
  const v5 = v5Parser(context);
  if (forced) return origin.layout === 'classic' ? classic : v5;
  return (text, start, end, line, bytes) => {
    if (startsWithInfo(text, start)) return classic(text, start, end, line, bytes);
    if (text.charCodeAt(start) === 53 && text.charCodeAt(start + 1) === 44) return v5(text, start, end, line, bytes);
    return 'neither an SI Classic nor a v5 record';
  };
}

export function emptyStats(): ChunkStats {
  return { lines: 0, blank: 0, lookups: 0, byLayout: {}, rejects: [], first: null, last: null };
}

/** What evaluating a chunk gives: counts and rejects, the rules' partial state, the indicators. */
export interface ChunkResult {
  stats: ChunkStats;
  partial: RulePartial;
  indicators: IndicatorPartial;
  /** Candidates for the steekproef, when one was asked for. */
  sample?: SamplePartial;
  /** The chunk's bytes, handed back by the worker that evaluated them, for reuse. */
  bytes?: Uint8Array;
}

/**
 * Lookups parsed before the rules run on them, after the rules have warmed what they will read (see
 * RuleRunner.warm): enough for cache misses to overlap, few enough for the lookups to stay in the cache.
 * Parsing a batch and then running the rules on it, rule by rule (RuleRunner.addBatch), is itself faster
 * than taking turns line by line (the code of each stays hot): side by side, one at a time took 14% longer
 * on v5 and 10% on SI Classic than 32; 16 was as fast, 64 and 128 slower.
 */
const LOOKUP_BATCH = 32;

/**
 * What evaluating one chunk builds, whatever the chunk holds (lines or parsed records): counts and rejects,
 * the rules' partial state, the indicators and the steekproef candidates.
 */
class ChunkEvaluator {
  private readonly stats = emptyStats();
  private readonly partial: RulePartial;
  private readonly indicators: IndicatorCollector;
  private readonly sampler: SampleCollector | null;
  private readonly offHours: number;
  /**
   * Lookups parsed and not yet added (see LOOKUP_BATCH), and per lookup of them whether a rule reported it,
   * and whether the off-hours rule did.
   */
  private readonly batch: Lookup[] = [];
  private batched = 0;
  private readonly reported = new Uint8Array(LOOKUP_BATCH);
  private readonly offHoursReported = new Uint8Array(LOOKUP_BATCH);

  constructor(
    private readonly origin: RecordSource,
    private readonly runner: RuleRunner,
    sample: SampleSettings | undefined,
  ) {
    this.partial = runner.createPartial();
    this.indicators = new IndicatorCollector(runner.calendar);
    this.sampler = sample ? new SampleCollector(sample) : null;
    this.offHours = runner.indexOf('off-hours');
  }

  lookup(result: Lookup): void {
    this.batch[this.batched++] = result;
    if (this.batched === LOOKUP_BATCH) this.flush();
  }

  /** Adds the batch: warmed, then rule by rule, then counted and sampled lookup by lookup, in input order. */
  private flush(): void {
    const { batch, batched, stats } = this;
    this.runner.warm(batch, batched);
    this.runner.addBatch(this.partial, batch, batched, this.reported, this.offHours, this.offHoursReported);
    // Counted in locals and stored once per batch: the first and last instants are doubles, and storing one
    // in an object's field boxes it anew each time; a batch's lookups mostly share one layout.
    let { first, last } = stats;
    let layout: Layout | null = null;
    let ofLayout = 0;
    for (let at = 0; at < batched; at++) {
      const result = batch[at]!;
      if (result.layout !== layout) {
        if (layout !== null) stats.byLayout[layout] = (stats.byLayout[layout] ?? 0) + ofLayout;
        layout = result.layout;
        ofLayout = 0;
      }
      ofLayout++;
      if (first === null || result.time < first) first = result.time;
      if (last === null || result.time > last) last = result.time;
      if (this.reported[at] === 0) this.sampler?.add(result);
      this.indicators.add(result, this.offHoursReported[at] === 1);
    }
    if (layout !== null) stats.byLayout[layout] = (stats.byLayout[layout] ?? 0) + ofLayout;
    stats.lookups += batched;
    stats.first = first;
    stats.last = last;
    this.batched = 0;
  }

  reject(line: number, reason: string, excerpt: string): void {
    // A reason may quote a field of the line (a date of 10 MB): it is cut like the excerpt, so that no reject
    // carries more than 200 characters of a line into rejects.csv or onto stderr.
    this.stats.rejects.push({ file: this.origin.file, line, reason: excerptOf(reason), excerpt });
  }

  blank(): void {
    this.stats.blank++;
  }

  result(lines: number): ChunkResult {
    this.flush();
    this.stats.lines = lines;
    this.runner.compact(this.partial);
    return { stats: this.stats, partial: this.partial, indicators: this.indicators.finish(), sample: this.sampler?.finish() };
  }
}

/**
 * Evaluates one chunk of a line-oriented file (SI Classic, v5, NDJSON): decode, parse, normalise, run the
 * rules into a fresh partial. Pure apart from its result, so it can run in any thread.
 */
export function evaluateLineChunk(
  bytes: Uint8Array,
  firstLine: number,
  atFileStart: boolean,
  origin: RecordSource,
  parse: RecordParser,
  runner: RuleRunner,
  sample?: SampleSettings,
): ChunkResult {
  const chunk = new ChunkEvaluator(origin, runner, sample);
  const lines = forEachLine(bytes, firstLine, atFileStart, {
    record(text, start, end, line, pieceBytes) {
      const result = parse(text, start, end, line, pieceBytes);
      if (typeof result !== 'string') chunk.lookup(result);
      // 200 characters of UTF-8 are at most 800 bytes: the line is decoded that far (see textAt).
      else chunk.reject(line, result, excerptOf(textAt(text, start, Math.min(end, start + 4 * EXCERPT_LIMIT), pieceBytes)));
    },
    // The BKWI parsers read every field through textAt; JSON.parse reads the whole line as text.
    utf8Bytes: origin.layout !== 'ndjson',
    blank: () => chunk.blank(),
    reject: (line, reason, excerpt) => chunk.reject(line, reason, excerpt),
  }, origin.encoding);
  return chunk.result(lines);
}

/**
 * The result of one line rejected before any parser saw it (a line too long to hold in memory), so that it
 * takes its place in input order among the chunks. `countsLine` is false for header CSV, whose lines are
 * counted by the reader.
 */
export function rejectedLine(origin: RecordSource, runner: RuleRunner, line: number, reason: string, excerpt: string, countsLine: boolean): ChunkResult {
  const chunk = new ChunkEvaluator(origin, runner, undefined);
  chunk.reject(line, reason, excerpt);
  return chunk.result(countsLine ? 1 : 0);
}

/** Evaluates a batch of records from a CSV or JSON-array file (their lines are counted by the reader). */
export function evaluateRecords(
  items: readonly StructuredItem[],
  origin: RecordSource,
  read: RecordReader,
  runner: RuleRunner,
  sample?: SampleSettings,
): ChunkResult {
  const chunk = new ChunkEvaluator(origin, runner, sample);
  for (const item of items) {
    const result = item.kind === 'reject' ? item.reason : read(item.value, item.line);
    if (typeof result !== 'string') chunk.lookup(result);
    else chunk.reject(item.line, result, item.excerpt());
  }
  return chunk.result(0);
}

/** Adds chunk stats into file stats (rejects are handed out separately and not kept). */
export function addStats(into: ChunkStats, from: ChunkStats): void {
  into.lines += from.lines;
  into.blank += from.blank;
  into.lookups += from.lookups;
  for (const [layout, lookups] of Object.entries(from.byLayout) as Array<[Layout, number]>) {
    into.byLayout[layout] = (into.byLayout[layout] ?? 0) + lookups;
  }
  if (from.first !== null && (into.first === null || from.first < into.first)) into.first = from.first;
  if (from.last !== null && (into.last === null || from.last > into.last)) into.last = from.last;
}
