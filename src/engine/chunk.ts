import { parseClassicLine, isClassicLine } from '../input/classic.js';
import { excerptOf, forEachLine } from '../input/lines.js';
import { isRejection, toLookup, type ParseResult, type Reject } from '../input/record.js';
import type { StructuredItem } from '../input/structured.js';
import { isV5Line, parseV5Line } from '../input/v5.js';
import type { RulePartial, RuleRunner } from '../rule-api/runner.js';
import type { Layout } from '../rule-api/types.js';
import type { ZoneClock } from '../time/zone.js';

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

export interface ChunkOrigin {
  file: string;
  source: number;
  /** The layout detected (or forced) for the file. */
  layout: Layout;
}

/** Reads one record of text into canonical fields, tagging the layout it was read as. */
export type LineParser = (text: string) => { layout: Layout; result: ParseResult };
export type RecordReader = (value: unknown) => ParseResult;

/**
 * The line parser for a file. Auto-detected BKWI files accept both BKWI layouts line by line, because a
 * municipality that migrated mid-month may hand over one concatenated file; a forced `--format` accepts
 * only its own layout. NDJSON lines go through JSON.parse and the mapping.
 */
export function lineParserFor(layout: Layout, forced: boolean, clock: ZoneClock, mapped: RecordReader | undefined): LineParser {
  const classic = (text: string) => ({ layout: 'classic' as const, result: parseClassicLine(text, clock) });
  const v5 = (text: string) => ({ layout: 'v5' as const, result: parseV5Line(text, clock) });
  if (layout === 'ndjson') {
    if (!mapped) throw new Error('NDJSON needs a mapping');
    return (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { layout, result: { reason: `invalid JSON: ${(error as Error).message}` } };
      }
      return { layout, result: mapped(value) };
    };
  }
  if (forced) return layout === 'classic' ? classic : v5;
  return (text) => {
    if (isClassicLine(text)) return classic(text);
    if (isV5Line(text)) return v5(text);
    return { layout, result: { reason: 'neither an SI Classic nor a v5 record' } };
  };
}

export function emptyStats(): ChunkStats {
  return { lines: 0, blank: 0, lookups: 0, byLayout: {}, rejects: [], first: null, last: null };
}

function accept(
  stats: ChunkStats,
  runner: RuleRunner,
  partial: RulePartial,
  origin: ChunkOrigin,
  line: number,
  layout: Layout,
  result: ParseResult,
  excerpt: () => string,
): void {
  if (isRejection(result)) {
    stats.rejects.push({ file: origin.file, line, reason: result.reason, excerpt: excerpt() });
    return;
  }
  const lookup = toLookup(result, { layout, file: origin.file, source: origin.source, line });
  stats.lookups++;
  stats.byLayout[layout] = (stats.byLayout[layout] ?? 0) + 1;
  if (stats.first === null || lookup.time < stats.first) stats.first = lookup.time;
  if (stats.last === null || lookup.time > stats.last) stats.last = lookup.time;
  runner.add(partial, lookup);
}

/**
 * Evaluates one chunk of a line-oriented file (SI Classic, v5, NDJSON): decode, parse, normalise, run the
 * rules into a fresh partial. Pure apart from its result, so it can run in any thread.
 */
export function evaluateLineChunk(
  bytes: Uint8Array,
  firstLine: number,
  atFileStart: boolean,
  origin: ChunkOrigin,
  parse: LineParser,
  runner: RuleRunner,
): { stats: ChunkStats; partial: RulePartial } {
  const stats = emptyStats();
  const partial = runner.createPartial();
  stats.lines = forEachLine(bytes, firstLine, atFileStart, {
    line(text, line) {
      const { layout, result } = parse(text);
      accept(stats, runner, partial, origin, line, layout, result, () => excerptOf(text));
    },
    blank() {
      stats.blank++;
    },
    reject(line, reason, excerpt) {
      stats.rejects.push({ file: origin.file, line, reason, excerpt });
    },
  });
  return { stats, partial };
}

/** Evaluates a batch of records from a CSV or JSON-array file. */
export function evaluateRecords(
  items: readonly StructuredItem[],
  origin: ChunkOrigin,
  read: RecordReader,
  runner: RuleRunner,
): { stats: ChunkStats; partial: RulePartial } {
  const stats = emptyStats();
  const partial = runner.createPartial();
  for (const item of items) {
    if (item.kind === 'reject') stats.rejects.push({ file: origin.file, line: item.line, reason: item.reason, excerpt: item.excerpt });
    else accept(stats, runner, partial, origin, item.line, origin.layout, read(item.value), item.excerpt);
  }
  return { stats, partial };
}

/** Adds chunk stats into file stats (rejects are handed out separately and not kept). */
export function addStats(into: ChunkStats, from: ChunkStats): void {
  into.lines += from.lines;
  into.blank += from.blank;
  into.lookups += from.lookups;
  for (const [layout, count] of Object.entries(from.byLayout) as Array<[Layout, number]>) {
    into.byLayout[layout] = (into.byLayout[layout] ?? 0) + count;
  }
  if (from.first !== null && (into.first === null || from.first < into.first)) into.first = from.first;
  if (from.last !== null && (into.last === null || from.last > into.last)) into.last = from.last;
}
