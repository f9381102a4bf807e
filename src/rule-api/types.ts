import type { Calendar } from '../time/calendar.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank of a severity, for comparisons (`info` = 0 … `critical` = 4). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const LAYOUTS = ['classic', 'v5', 'csv', 'ndjson', 'json'] as const;
export type Layout = (typeof LAYOUTS)[number];

/**
 * The canonical lookup: one page view about one citizen by one employee at one moment, whatever layout
 * it was read from.
 */
export interface Lookup {
  /** The instant, in ms since the epoch (UTC). */
  time: number;
  /** Login of the employee (`0001_gsd_alkmaar_we`). */
  user: string;
  userName: string | null;
  roles: readonly string[];
  organisation: string | null;
  /** The municipality chosen when working for a partnership. */
  chosenMunicipality: string | null;
  page: string | null;
  /** Search keys as logged, name → value (`Burgerservicenr` → `111111110`, `Postcode` → `5346AB`). */
  searchKeys: Readonly<Record<string, string>>;
  /** Normalised nine-digit BSN, or null when the search was not by BSN. */
  bsn: string | null;
  /** Reason chosen at the whitelist escape, or null when the BSN was on the whitelist. */
  escapeReason: string | null;
  /** The web session (SI Classic: the session hash), or null when the layout has none. */
  session: string | null;
  layout: Layout;
  /** The input file, as given on the command line (or `-` for stdin). */
  file: string;
  /** 1-based line of the file (for a JSON array: the element's position). */
  line: number;
  /** Position of the file among the run's inputs: with `line`, it orders the evidence. */
  source: number;
}

/** A line that makes a finding: file position only, the line itself stays in the log. */
export interface EvidenceRef {
  source: number;
  line: number;
}

/** One case from the caseload: the period in which the municipality has a service relationship. */
export interface CasePeriod {
  caseId: string | null;
  team: string | null;
  worker: string | null;
  /** First day (day number, local date). */
  start: number;
  /** Last day (inclusive), or null while the case is open. */
  end: number | null;
}

/**
 * One case period as `forEachCasePeriod` hands it out: the BSN as a number, whether this is the BSN's first
 * period, and the period's fields, without the BSN's text or a period object being made.
 */
export type CasePeriodVisitor = (bsn: number, first: boolean, start: number, end: number | null, team: string | null, worker: string | null) => void;

/** One employment of a login in the user register. */
export interface RegisteredUser {
  login: string;
  name: string | null;
  team: string | null;
  roles: readonly string[];
  start: number | null;
  end: number | null;
  bsn: string | null;
}

/** Reference data, all optional: a rule that needs a missing part is skipped with a notice. */
export interface ReferenceData {
  /** Caseload by BSN. */
  cases?: ReadonlyMap<string, readonly CasePeriod[]>;
  /** User register by login (a login may have several employment periods). */
  users?: ReadonlyMap<string, readonly RegisteredUser[]>;
  /** Authorisation matrix: role → pages it allows. */
  authz?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Watchlist: BSN → label. */
  watchlist?: ReadonlyMap<string, string>;
}

export type ReferenceKind = keyof ReferenceData;

/** A JSON Schema (draft 2020-12 subset that Ajv understands). */
export type JsonSchema = Record<string, unknown>;

export interface RuleBasis {
  kind: 'source' | 'heuristic';
  /** Where the check comes from: a BKWI report table, a norm, an AP report, or the reasoning. */
  reference: string;
}

export interface RuleMeta<Options extends object> {
  /** Kebab-case id; also the rule's file name. */
  id: string;
  title: string;
  severity: Severity;
  basis: RuleBasis;
  description: string;
  /** Reference data the rule cannot work without. */
  requires?: readonly ReferenceKind[];
  /** An opt-in rule runs only when named with `--enable` or `--rules`; it is listed as skipped otherwise. */
  optIn?: boolean;
  options: {
    /** JSON Schema of the options object, with `additionalProperties: false`. */
    schema: JsonSchema;
    defaults: Options;
  };
  /**
   * Message templates by id, with `{{placeholders}}`. Always available: `user`, `bsn` (masked, `-` when
   * none), `citizen` (`BSN *****0338`, or words for a search without BSN), `count`, `date` (local date of
   * the first lookup), `from` and `to` (local clock times, HH:MM).
   */
  messages: Record<string, string>;
}

/** What a per-lookup hook reports about the lookup it was given. */
export interface Hit {
  messageId: string;
  data?: Record<string, string | number>;
  /** Overrides the rule's severity for this hit. */
  severity?: Severity;
  /**
   * Hits of the same rule, message, user, BSN, severity and group become one finding (with a count and
   * the evidence lines). Defaults to the local date: one finding per user, citizen and day.
   */
  group?: string;
}

/** What a windowed rule reports when its state is finished. */
export interface WindowFinding {
  messageId: string;
  data?: Record<string, string | number>;
  severity?: Severity;
  user: string;
  bsn: string | null;
  from: number;
  to: number;
  count: number;
  /** The lines that make the finding, in time order; the runner keeps the first 100. */
  evidence: readonly EvidenceRef[];
  /** How many lines make the finding, when `evidence` holds only the first ones (default: its length). */
  evidenceTotal?: number;
  /** The page of all the finding's lookups, when they share one (default: null, not known). */
  page?: string | null;
}

/**
 * A windowed rule keeps a partial state per key (user, BSN, …). States are built per chunk of input,
 * merged in input order and finished at the end, so results do not depend on how the input was split:
 * `merge` must give the same result as if all lookups had been added to one state.
 * States must be plain data (arrays, numbers, strings, plain objects): they cross thread boundaries.
 */
export interface WindowHooks<State> {
  key(lookup: Lookup): string | null;
  init(): State;
  add(state: State, lookup: Lookup): void;
  merge(into: State, from: State): void;
  finish(key: string, state: State, report: (finding: WindowFinding) => void): void;
  /**
   * Optional: cuts a chunk's state to what it holds before it leaves the worker (growable arrays to their
   * length), so that no spare room is copied to the main thread and kept there.
   */
  compact?(state: State): void;
  /**
   * Optional, for a rule whose findings never span a gap of `quiet` ms between two lookups of one key (see
   * timedWindow): lets the engine finish a key's early lookups while the input is still being read, and
   * let them go, so that memory does not grow with the month. `split` parts a state into the lookups that
   * lie before a gap of `quiet` and `quiet` or more before `until` (`settled`, with their first and last
   * instant) and the rest (null when it is empty); it returns null when none are settled, or fewer than
   * `minimum` (see SETTLE_MINIMUM). `range` gives a state's earliest and latest instant. Lines that arrive
   * later near lookups that were let go bring them back (see RuleRunner.settleWindows): the findings are
   * the same as without settling.
   */
  settle?: {
    quiet: number;
    range(state: State): { first: number; last: number } | null;
    split(state: State, until: number, minimum: number): { settled: State; rest: State | null; first: number; last: number } | null;
  };
}

export interface RuleHooks<State = unknown> {
  /** Pure: looks at one lookup (and the reference data) and reports hits. Runs inside the workers. */
  lookup?(lookup: Lookup, report: (hit: Hit) => void): void;
  /**
   * Optional, for speed only: touches what `lookup` will read for this lookup (a table slot), a batch of
   * lookups ahead of their `lookup` calls, so that their cache misses overlap instead of coming one by one.
   * It must not report, nor change any state that a result depends on.
   */
  warm?(lookup: Lookup): void;
  window?: WindowHooks<State>;
}

export interface RuleContext<Options extends object> {
  /** The rule's options, defaults already merged and validated. */
  options: Readonly<Options>;
  calendar: Calendar;
  reference: ReferenceData;
  /**
   * The reporting period of an instant: its calendar month in local time (`2026-04`), or `run` when the run
   * is one period (`--period run`). Per-period rules key their state by it.
   */
  period(instant: number): string;
  /**
   * The key under which the user register and the watchlist hold a BSN: the BSN itself, or its keyed hash
   * (HMAC-SHA256, hex) when the run was given `--hash-key-file`, so that HR never has to hand over plain
   * BSNs. Look register and watchlist BSNs up with `reference.users…/watchlist.get(bsnKey(lookup.bsn))`.
   */
  bsnKey(bsn: string): string;
}

export interface RuleDefinition<Options extends object = Record<string, unknown>, State = unknown> {
  meta: RuleMeta<Options>;
  create(context: RuleContext<Options>): RuleHooks<State>;
}

/** A finding as written to findings.jsonl. */
export interface Finding {
  id: string;
  rule: string;
  severity: Severity;
  user: string;
  bsn: string | null;
  /** The page all the finding's lookups were on; null when they were on several, or no page is known. */
  page: string | null;
  from: string;
  to: string;
  count: number;
  message: string;
  evidence: Array<{ file: string; line: number }>;
  evidenceTotal: number;
}

/** Any rule, whatever its option and state types: what registries and runners hold. */
// biome-ignore lint/suspicious/noExplicitAny: each rule has its own option and state types.
export type AnyRule = RuleDefinition<any, any>;
