import { createHash, createHmac } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { Calendar } from '../time/calendar.js';
import { formatDay } from '../time/civil.js';
import { maskBsn } from './bsn.js';
import { renderMessage } from './define.js';
import { comesBefore, packPosition, unpackPosition } from './position.js';
import { assertValid } from './schema.js';
import { SharedStrings } from './shared-strings.js';
import { Spill, type SpillPlace } from './spill.js';
import { SETTLE_MINIMUM } from './timed.js';
import type {
  Finding,
  Hit,
  Lookup,
  ReferenceData,
  AnyRule,
  RuleHooks,
  WindowHooks,
  Severity,
  WindowFinding,
} from './types.js';

/** At most this many evidence lines are kept per finding; `evidenceTotal` tells how many there were. */
export const EVIDENCE_LIMIT = 100;


export interface ActiveRule {
  definition: AnyRule;
  options: Record<string, unknown>;
  severity: Severity;
  hooks: RuleHooks<unknown>;
}

export interface SkippedRule {
  id: string;
  reason: string;
}

export interface RulePlan {
  active: ActiveRule[];
  skipped: SkippedRule[];
}

export interface PlanSettings {
  /** Run only these rule ids (`--rules`); all when absent. */
  only?: readonly string[];
  /** Opt-in rules to run as well (`--enable`). */
  enable?: readonly string[];
  /** Rules switched off (in the config file). */
  disable?: readonly string[];
  /** Severity per rule id, instead of the rule's own. */
  severities?: Readonly<Record<string, Severity>>;
  /** Options per rule id, merged over the defaults. */
  options?: Readonly<Record<string, Record<string, unknown>>>;
  reference: ReferenceData;
  calendar: Calendar;
  /** `month` (default): each calendar month is a period; `run`: the whole run is one. */
  period?: 'month' | 'run';
  /** Key (text) of the HMAC under which register and watchlist hold BSNs; absent when they hold plain BSNs. */
  bsnHashKey?: string;
}

/** Above this many BSNs the hash memo starts afresh: a bound on memory, not on correctness. */
const HASH_MEMO_LIMIT = 100_000;

/** The context functions shared by every rule of a plan. */
function contextFunctions(settings: PlanSettings): { period: (instant: number) => string; bsnKey: (bsn: string) => string } {
  const { calendar } = settings;
  // Asked for every lookup by the per-period rules: the month is formatted once per local day (lookups come
  // in runs of a day), and the same string comes back, whose hash a Map has already computed.
  let lastDay = NaN;
  let lastMonth = '';
  const month = (instant: number) => {
    const day = calendar.localDay(instant);
    if (day !== lastDay) {
      lastMonth = formatDay(day).slice(0, 7);
      lastDay = day;
    }
    return lastMonth;
  };
  const period = settings.period === 'run' ? () => 'run' : month;
  const key = settings.bsnHashKey;
  if (key === undefined) return { period, bsnKey: (bsn) => bsn };
  const memo = new Map<string, string>();
  return {
    period,
    bsnKey(bsn) {
      let hash = memo.get(bsn);
      if (hash === undefined) {
        if (memo.size >= HASH_MEMO_LIMIT) memo.clear();
        hash = hashBsn(bsn, key);
        memo.set(bsn, hash);
      }
      return hash;
    },
  };
}

/** The keyed hash of a BSN as the register holds it: HMAC-SHA256 of the nine digits, lower-case hex. */
export function hashBsn(bsn: string, key: string): string {
  return createHmac('sha256', key).update(bsn).digest('hex');
}

const REFERENCE_FLAG: Record<keyof ReferenceData, string> = {
  cases: '--cases (caseload)',
  users: '--users (user register)',
  authz: '--authz (authorisation matrix)',
  watchlist: '--watchlist',
};

/**
 * A rule that judges lookups against reference data and flags more than this share of all lookups has most
 * likely been given a file that does not belong to the logs: last year's caseload, another municipality's
 * register, a BSN column that lost its leading zeros.
 */
export const IMPLAUSIBLE_SHARE = 0.5;

/** Fewer lookups than this say nothing by their share: a rule's test file has five lines. */
export const PLAUSIBILITY_MINIMUM = 1000;

/**
 * Warnings about reference data that does not seem to fit the logs, one per rule that needs it and flagged
 * more than IMPLAUSIBLE_SHARE of the lookups (of at least PLAUSIBILITY_MINIMUM). `flagged` holds per active
 * rule the lookups it reported.
 */
export function referenceWarnings(plan: RulePlan, flagged: readonly number[], lookups: number): string[] {
  const warnings: string[] = [];
  plan.active.forEach((rule, index) => {
    const needs = rule.definition.meta.requires ?? [];
    const count = flagged[index] ?? 0;
    if (needs.length === 0 || lookups < PLAUSIBILITY_MINIMUM || count <= IMPLAUSIBLE_SHARE * lookups) return;
    warnings.push(
      // Rounded down: 7,120 of 7,153 is not 100%.
      `rule ${rule.definition.meta.id} flagged ${count} of ${lookups} lookups (${Math.floor((100 * count) / lookups)}%): ` +
        `check that ${needs.map((kind) => REFERENCE_FLAG[kind]).join(' and ')} belongs to these logs (period, municipality, columns)`,
    );
  });
  return warnings;
}

/**
 * Per active rule, the lookups it flagged: those its per-lookup hook reported (`flagged`), or for a rule
 * that only has a window, the lookups its findings hold (inactive-account: every lookup of an account the
 * register does not know).
 */
export function flaggedLookups(plan: RulePlan, flagged: readonly number[], raw: readonly RawFinding[]): number[] {
  const counts = plan.active.map((rule, index) => (rule.hooks.lookup ? flagged[index] ?? 0 : 0));
  const windowOnly = new Map(plan.active.flatMap((rule, index) => (rule.hooks.lookup ? [] : [[rule.definition.meta.id, index] as const])));
  for (const finding of raw) {
    const index = windowOnly.get(finding.rule);
    if (index !== undefined) counts[index]! += finding.count;
  }
  return counts;
}

/**
 * Defaults merged with the given options, validated against the rule's schema when any are given (the
 * defaults alone were validated with the rule: see validateRule).
 */
export function resolveOptions(rule: AnyRule, given: Record<string, unknown> = {}): Record<string, unknown> {
  const options = { ...rule.meta.options.defaults, ...given };
  if (Object.keys(given).length > 0) assertValid(rule.meta.options.schema, options, `rule ${rule.meta.id} options`, rule.meta.id);
  return options;
}

/** Refuses settings that name a rule no module or config defines. */
export function assertKnownRuleIds(rules: readonly AnyRule[], settings: Omit<PlanSettings, 'reference' | 'calendar'>): void {
  const known = new Set(rules.map((rule) => rule.meta.id));
  const unknownIds = [
    ...(settings.only ?? []),
    ...(settings.enable ?? []),
    ...(settings.disable ?? []),
    ...Object.keys(settings.options ?? {}),
    ...Object.keys(settings.severities ?? {}),
  ].filter(
    (id) => !known.has(id),
  );
  if (unknownIds.length > 0) {
    throw new ConfigError(`unknown rule '${unknownIds[0]}'`, { hint: `known rules: ${[...known].join(', ')}` });
  }
}

/**
 * Why the selection leaves a rule out (not named with --rules, switched off in the config, opt-in and not
 * enabled), or null when it runs as far as the selection goes; missing reference data is judged apart.
 */
export function selectionSkipReason(definition: AnyRule, settings: Pick<PlanSettings, 'only' | 'enable' | 'disable'>): string | null {
  const { id } = definition.meta;
  if (settings.only && !settings.only.includes(id)) return 'not selected with --rules';
  if (settings.disable?.includes(id) && !settings.only?.includes(id)) return 'switched off in the config';
  if (definition.meta.optIn && !settings.only?.includes(id) && !settings.enable?.includes(id)) return `opt-in: enable with --enable ${id}`;
  return null;
}

/** Decides which rules run, with which options, and which are skipped and why. */
export function planRules(rules: readonly AnyRule[], settings: PlanSettings): RulePlan {
  assertKnownRuleIds(rules, settings);
  const plan: RulePlan = { active: [], skipped: [] };
  const shared = contextFunctions(settings);
  for (const definition of rules) {
    const { id } = definition.meta;
    const options = resolveOptions(definition, settings.options?.[id]);
    const unselected = selectionSkipReason(definition, settings);
    if (unselected !== null) {
      plan.skipped.push({ id, reason: unselected });
      continue;
    }
    const missing = (definition.meta.requires ?? []).filter((kind) => settings.reference[kind] === undefined);
    if (missing.length > 0) {
      plan.skipped.push({ id, reason: `needs ${missing.map((kind) => REFERENCE_FLAG[kind]).join(' and ')}` });
      continue;
    }
    const hooks = definition.create({ options, calendar: settings.calendar, reference: settings.reference, ...shared });
    plan.active.push({ definition, options, severity: settings.severities?.[id] ?? definition.meta.severity, hooks });
  }
  return plan;
}

/**
 * Evidence while it is collected: pairs of numbers in a plain array, a lookup's instant and then its
 * position (`packPosition`), in run order (see comesBefore). A month of ten million lookups ends with about
 * 500,000 evidence lines in the main thread; as objects of instant, source and line they took 30 MB and half
 * a million objects to copy from the workers, as pairs 8.
 */
type EvidencePairs = number[];

/** Hits of one rule, message, user, BSN, severity and group, aggregated. Plain data. */
interface HitGroup {
  rule: number;
  messageId: string;
  severity: Severity;
  user: string;
  bsn: string | null;
  /** The page of every hit so far; null once two hits differ (or a hit has none). */
  page: string | null;
  data: Record<string, string | number>;
  count: number;
  from: number;
  to: number;
  /** The first lookups in run order, at most EVIDENCE_LIMIT. */
  evidence: EvidencePairs;
}

/** The state built from one chunk of input (or from the whole run, after merging). Plain data. */
export interface RulePartial {
  hits: Map<string, HitGroup>;
  /** Per active rule: lookups its per-lookup hook reported at least once (for shares such as off-hours). */
  flagged: number[];
  /** Per active rule: window key → the rule's state. */
  windows: Array<Map<string, unknown>>;
  /** What was settled while merging (see RuleRunner.settleWindows); only the main thread's partial has it. */
  settlement?: Settlement;
}

/** Lookups of one window key that were finished early and let go (see RuleRunner.settleWindows). */
interface SettledLookups {
  first: number;
  last: number;
  findings: RawFinding[];
  place: SpillPlace;
}

interface Settlement {
  spill: Spill;
  /** Per active rule: window key → what was settled of it. */
  settled: Array<Map<string, SettledLookups[]>>;
  /**
   * Per active rule: how much longer than the caller's lag it waits before it settles, in ms. Lines that
   * arrive near lookups let go make it twice as long as they were late (see bringBack).
   */
  lag: number[];
  /** Per active rule: how many times settled lookups were brought back. */
  broughtBack: number[];
  /** Per active rule: the instant from which on a lookup is `quiet` or more after every settled one. */
  reach: number[];
  /** The `until` of the last pass. */
  until: number;
}

/** Settling passes are a day of log apart: each lets go of about a day's lookups per key. */
const SETTLE_STEP = 24 * 3600 * 1000;

/** A finding before rendering: instants as numbers, evidence as positions. */
export interface RawFinding {
  rule: string;
  messageId: string;
  severity: Severity;
  user: string;
  bsn: string | null;
  page: string | null;
  from: number;
  to: number;
  count: number;
  data: Record<string, string | number>;
  /** The evidence lines in run order, as positions (`packPosition`): objects only once rendered. */
  evidence: number[];
  evidenceTotal: number;
}

/** The data of hits that carry none: one shared object, not one per group. */
const NO_DATA: Record<string, string | number> = Object.freeze({});

function isEmpty(data: object): boolean {
  for (const _ in data) return false;
  return true;
}

function insertEvidence(list: EvidencePairs, time: number, position: number): void {
  const pairs = list.length / 2;
  if (pairs >= EVIDENCE_LIMIT && !comesBefore(time, position, list, list.length - 2)) return;
  let low = 0;
  let high = pairs;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comesBefore(time, position, list, 2 * middle)) high = middle;
    else low = middle + 1;
  }
  list.splice(2 * low, 0, time, position);
  if (list.length > 2 * EVIDENCE_LIMIT) list.length -= 2;
}

function positionsOf(list: EvidencePairs): number[] {
  const positions: number[] = [];
  for (let at = 1; at < list.length; at += 2) positions.push(list[at]!);
  return positions;
}

/**
 * Runs the active rules over lookups. The per-chunk work (`add`) is pure apart from the partial it fills,
 * so a chunk can be evaluated anywhere; `merge` folds partials together in input order and `finish`
 * turns the merged partial into findings.
 */
export class RuleRunner {
  private current: Lookup | null = null;
  private currentPartial: RulePartial | null = null;
  /** Whether the rule running reported the lookup being added. */
  private reported = false;
  /** A batch of one, for `add`. */
  private readonly single: Lookup[] = [];
  private readonly singleReported = new Uint8Array(1);
  private readonly reporters: Array<(hit: Hit) => void>;
  /** Per rule, the last lookup it reported: a lookup counts once as flagged, however many hits it makes. */
  private readonly lastFlagged: Array<Lookup | null>;
  /** One copy of each login, message id, severity and page among the hit groups the main thread keeps. */
  private readonly shared = new SharedStrings();
  /**
   * The rules with a per-lookup hook, and those with a window, with their positions: `add` goes through two
   * flat lists instead of asking every rule's hooks for both on every lookup (with every rule, 14 rules of
   * as many shapes).
   */
  private readonly perLookup: ReadonlyArray<{ hooks: RuleHooks; report: (hit: Hit) => void; index: number }>;
  /** The rules that warm what they read (RuleHooks.warm). */
  private readonly warming: readonly RuleHooks[];
  private readonly windowed: ReadonlyArray<{ index: number; window: WindowHooks<unknown> }>;

  constructor(
    readonly active: readonly ActiveRule[],
    readonly calendar: Calendar,
  ) {
    this.reporters = active.map((_, index) => (hit: Hit) => this.recordHit(index, hit));
    this.lastFlagged = active.map(() => null);
    this.perLookup = active.flatMap(({ hooks }, index) => (hooks.lookup ? [{ hooks, report: this.reporters[index]!, index }] : []));
    this.windowed = active.flatMap(({ hooks }, index) => (hooks.window ? [{ index, window: hooks.window }] : []));
    this.warming = active.flatMap(({ hooks }) => (hooks.warm ? [hooks] : []));
  }

  /** Lets the rules touch what they will read for `lookups[0, count)`, before these are added. */
  warm(lookups: readonly Lookup[], count: number): void {
    for (const hooks of this.warming) for (let at = 0; at < count; at++) hooks.warm!(lookups[at]!);
  }

  createPartial(): RulePartial {
    return { hits: new Map(), flagged: this.active.map(() => 0), windows: this.active.map(() => new Map()) };
  }

  /** Compacts a chunk's window states (see `WindowHooks.compact`) once every lookup of the chunk is in. */
  compact(partial: RulePartial): void {
    this.active.forEach((rule, index) => {
      const compact = rule.hooks.window?.compact;
      if (compact) for (const state of partial.windows[index]!.values()) compact(state);
    });
  }

  /** Runs the rules on one lookup; true when a per-lookup rule reported it (see addBatch). */
  add(partial: RulePartial, lookup: Lookup): boolean {
    this.single[0] = lookup;
    this.addBatch(partial, this.single, 1, this.singleReported);
    return this.singleReported[0] === 1;
  }

  /**
   * Runs the rules on `lookups[0, count)`, rule by rule: each rule takes the whole batch in input order, so
   * that its code and data stay hot (side by side, 3–6% of a worker on v5 and SI Classic against lookup
   * by lookup). `reported[at]` becomes 1 when a per-lookup rule reported lookup `at`, and
   * `watchedReported[at]` when the active rule at `watched` did (-1: none).
   */
  addBatch(partial: RulePartial, lookups: readonly Lookup[], count: number, reported: Uint8Array, watched = -1, watchedReported?: Uint8Array): void {
    this.currentPartial = partial;
    reported.fill(0, 0, count);
    watchedReported?.fill(0, 0, count);
    for (const { hooks, report, index } of this.perLookup) {
      for (let at = 0; at < count; at++) {
        const lookup = lookups[at]!;
        this.current = lookup;
        this.reported = false;
        hooks.lookup!(lookup, report);
        if (this.reported) {
          reported[at] = 1;
          if (index === watched) watchedReported![at] = 1;
        }
      }
    }
    for (const { index, window } of this.windowed) {
      const states = partial.windows[index]!;
      for (let at = 0; at < count; at++) {
        const lookup = lookups[at]!;
        const key = window.key(lookup);
        if (key === null) continue;
        let state = states.get(key);
        if (state === undefined) {
          state = window.init();
          states.set(key, state);
        }
        window.add(state, lookup);
      }
    }
    this.current = null;
    this.currentPartial = null;
  }

  /** Position of a rule among the active ones, or -1. */
  indexOf(ruleId: string): number {
    return this.active.findIndex((rule) => rule.definition.meta.id === ruleId);
  }

  /**
   * Folds `from` (later in the input) into `into`. `earliest`, the instant of the earliest lookup in `from`
   * when known, spares looking for settled lookups near it (see settleWindows) when it is past them all.
   */
  merge(into: RulePartial, from: RulePartial, earliest: number | null = null): void {
    for (let index = 0; index < this.active.length; index++) into.flagged[index]! += from.flagged[index]!;
    for (const [key, group] of from.hits) {
      const existing = into.hits.get(key);
      if (!existing) {
        into.hits.set(key, this.adopt(group));
        continue;
      }
      if (comesBefore(group.evidence[0]!, group.evidence[1]!, existing.evidence, 0)) existing.data = group.data;
      existing.count += group.count;
      if (existing.page !== group.page) existing.page = null;
      existing.from = Math.min(existing.from, group.from);
      existing.to = Math.max(existing.to, group.to);
      for (let at = 0; at < group.evidence.length; at += 2) insertEvidence(existing.evidence, group.evidence[at]!, group.evidence[at + 1]!);
    }
    for (let index = 0; index < this.active.length; index++) {
      const window = this.active[index]!.hooks.window;
      if (!window) continue;
      const states = into.windows[index]!;
      const { settlement } = into;
      const settled = settlement !== undefined && (earliest === null || earliest < settlement.reach[index]!) ? settlement.settled[index] : undefined;
      for (const [key, state] of from.windows[index]!) {
        if (settled?.has(key)) this.bringBack(into, index, key, state);
        const existing = states.get(key);
        if (existing === undefined) states.set(key, state);
        else window.merge(existing, state);
      }
    }
  }

  /**
   * Finishes the lookups of windowed rules that no later line can come near (see WindowHooks.settle) and
   * lets them go: their findings are kept, the lookups wait in a spill file. `until` is the instant no later
   * line is expected before: logs are written in time order, give or take the servers' lag. A line that
   * does arrive within `quiet` of lookups let go brings them back (bringBack), so the findings are those
   * of the whole month whatever the order. The rule then waits longer before it settles: twice as long as
   * the line was late. So lines that keep coming a few hours late are soon waited for, and input far out of
   * order (logs of several servers one after the other) stops settling at all, rather than being settled
   * and brought back over and over. Passes run a day of log apart (`step`), and let go of at least
   * `minimum` lookups of a key at once; testRule settles after every lookup, one at a time. The spill file
   * is made in `folder` (see Spill), given to the first call.
   */
  settleWindows(
    partial: RulePartial,
    until: number,
    { step = SETTLE_STEP, minimum = SETTLE_MINIMUM, folder }: { step?: number; minimum?: number; folder?: string } = {},
  ): void {
    const settlement = (partial.settlement ??= {
      spill: new Spill(folder),
      settled: this.active.map(() => new Map()),
      lag: this.active.map(() => 0),
      broughtBack: this.active.map(() => 0),
      reach: this.active.map(() => -Infinity),
      until: -Infinity,
    });
    // An earlier `until` (a chunk with a line from long ago) settles nothing new.
    if (until < settlement.until + step) return;
    settlement.until = until;
    for (let index = 0; index < this.active.length; index++) {
      const rule = this.active[index]!;
      const window = rule.hooks.window;
      const settle = window?.settle;
      // Without a spill file nothing is let go: lines that come late could not bring it back.
      if (!window || !settle || !settlement.spill.ready()) continue;
      const states = partial.windows[index]!;
      for (const [key, state] of states) {
        const parts = settle.split(state, until - settlement.lag[index]!, minimum);
        if (parts === null) continue;
        if (parts.rest === null) states.delete(key);
        else states.set(key, parts.rest);
        settlement.reach[index] = Math.max(settlement.reach[index]!, parts.last + settle.quiet);
        const findings: RawFinding[] = [];
        window.finish(key, parts.settled, (found) => findings.push(this.windowFinding(rule, found)));
        let settled = settlement.settled[index]!.get(key);
        if (settled === undefined) settlement.settled[index]!.set(key, (settled = []));
        settled.push({ first: parts.first, last: parts.last, findings, place: settlement.spill.put(parts.settled) });
      }
    }
    settlement.spill.flush();
  }

  /** Brings back the settled lookups of `key` that `state` (lines that arrived later) comes within `quiet` of. */
  private bringBack(partial: RulePartial, index: number, key: string, state: unknown): void {
    const settlement = partial.settlement!;
    const window = this.active[index]!.hooks.window!;
    const { quiet, range } = window.settle!;
    const arrived = range(state);
    if (arrived === null) return;
    const list = settlement.settled[index]!.get(key)!;
    const near = list.filter((settled) => arrived.first < settled.last + quiet && settled.first < arrived.last + quiet);
    if (near.length === 0) return;
    settlement.broughtBack[index]!++;
    // The line came this far before the last pass's `until`, and more than the rule's lag then (lookups
    // were let go up to `until − lag`): twice that is at least twice the old lag.
    settlement.lag[index] = Math.max(settlement.lag[index]!, 2 * (settlement.until - arrived.first));
    const states = partial.windows[index]!;
    for (const settled of near) {
      const back = settlement.spill.take(settled.place);
      const existing = states.get(key);
      if (existing === undefined) states.set(key, back);
      else window.merge(existing, back);
    }
    const kept = list.filter((settled) => !near.includes(settled));
    if (kept.length === 0) settlement.settled[index]!.delete(key);
    else settlement.settled[index]!.set(key, kept);
  }

  /** Removes the spill file of a partial that settled; `finish` does it too. */
  release(partial: RulePartial): void {
    partial.settlement?.spill.close();
  }

  /**
   * A hit group as it is kept until the finish, made from one that came from a worker. A month whose
   * reference data does not fit the logs has a group for nearly every user, citizen and day: 790,000 for
   * two million lookups. A group as copied from a worker took about 775 bytes: its fields beyond the first
   * four in a separate store, its own copies of login, message id and severity, an object for no data, and
   * each number of its evidence boxed.
   */
  private adopt(group: HitGroup): HitGroup {
    const evidence: EvidencePairs = [];
    for (const value of group.evidence) evidence.push(value);
    return {
      rule: group.rule,
      messageId: this.shared.get(group.messageId),
      severity: this.shared.get(group.severity) as Severity,
      user: this.shared.get(group.user),
      bsn: group.bsn,
      page: group.page === null ? null : this.shared.get(group.page),
      data: isEmpty(group.data) ? NO_DATA : group.data,
      count: group.count,
      from: group.from,
      to: group.to,
      evidence,
    };
  }

  /** The findings of the merged partial. It consumes the hits and the windows: they are gone afterwards. */
  finish(partial: RulePartial): RawFinding[] {
    const findings: RawFinding[] = [];
    // Each hit group is let go once it is a raw finding, as the windows' states are below.
    for (const [key, group] of partial.hits) {
      partial.hits.delete(key);
      const rule = this.active[group.rule]!;
      findings.push({
        rule: rule.definition.meta.id,
        messageId: group.messageId,
        severity: group.severity,
        user: group.user,
        bsn: group.bsn,
        page: group.page,
        from: group.from,
        to: group.to,
        count: group.count,
        data: group.data,
        evidence: positionsOf(group.evidence),
        evidenceTotal: group.count,
      });
    }
    for (let index = 0; index < this.active.length; index++) {
      const rule = this.active[index]!;
      const window = rule.hooks.window;
      if (!window) continue;
      for (const list of partial.settlement?.settled[index]?.values() ?? []) {
        for (const settled of list) for (const finding of settled.findings) findings.push(finding);
      }
      const states = partial.windows[index]!;
      const keys = [...states.keys()].sort();
      for (const key of keys) {
        const state = states.get(key);
        // A finished state is let go at once: the windows of ten million lookups take hundreds of megabytes,
        // which are then free before the findings are written.
        states.delete(key);
        window.finish(key, state, (found: WindowFinding) => findings.push(this.windowFinding(rule, found)));
      }
    }
    this.release(partial);
    delete partial.settlement;
    return findings;
  }

  private windowFinding(rule: ActiveRule, found: WindowFinding): RawFinding {
    return {
      rule: rule.definition.meta.id,
      messageId: found.messageId,
      severity: found.severity ?? rule.severity,
      user: found.user,
      bsn: found.bsn,
      page: found.page ?? null,
      from: found.from,
      to: found.to,
      count: found.count,
      data: found.data ?? {},
      evidence: found.evidence.slice(0, EVIDENCE_LIMIT).map(packPosition),
      evidenceTotal: found.evidenceTotal ?? found.evidence.length,
    };
  }

  private recordHit(ruleIndex: number, hit: Hit): void {
    const lookup = this.current!;
    const partial = this.currentPartial!;
    const rule = this.active[ruleIndex]!;
    this.reported = true;
    if (this.lastFlagged[ruleIndex] !== lookup) {
      this.lastFlagged[ruleIndex] = lookup;
      partial.flagged[ruleIndex]!++;
    }
    const severity = hit.severity ?? rule.severity;
    const group = hit.group ?? String(this.calendar.localDay(lookup.time));
    const key = `${ruleIndex}\u0000${hit.messageId}\u0000${lookup.user}\u0000${lookup.bsn}\u0000${severity}\u0000${group}`;
    const position = packPosition(lookup);
    const existing = partial.hits.get(key);
    if (!existing) {
      partial.hits.set(key, {
        rule: ruleIndex,
        messageId: hit.messageId,
        severity,
        user: lookup.user,
        bsn: lookup.bsn,
        page: lookup.page,
        data: hit.data ?? NO_DATA,
        count: 1,
        from: lookup.time,
        to: lookup.time,
        evidence: [lookup.time, position],
      });
      return;
    }
    if (comesBefore(lookup.time, position, existing.evidence, 0)) existing.data = hit.data ?? NO_DATA;
    existing.count++;
    if (existing.page !== lookup.page) existing.page = null;
    if (lookup.time < existing.from) existing.from = lookup.time;
    if (lookup.time > existing.to) existing.to = lookup.time;
    insertEvidence(existing.evidence, lookup.time, position);
  }
}

function clockTime(calendar: Calendar, instant: number): string {
  return calendar.format(instant).slice(11, 16);
}

/**
 * Stable id: the same rule, user, BSN and start give the same id in every run. It starts with the letter `f`:
 * a hex id of digits only (`1234567890123456`) or of digits around one `e` (`4e17…`) is read by Excel as a
 * number when a team leader opens the worklist, and would come back from it mangled.
 */
export function findingId(rule: string, user: string, bsn: string | null, from: number): string {
  // Joined into a flat string (see ZoneClock.format): 41 bytes a finding instead of 153.
  return ['f', createHash('sha256').update(`${rule}\n${user}\n${bsn ?? ''}\n${from}`).digest('hex').slice(0, 15)].join('');
}

/** Output order of findings: by start, rule, user, BSN (then end and message, for ties). */
function compareRawFindings(a: RawFinding, b: RawFinding): number {
  return (
    a.from - b.from ||
    compareText(a.rule, b.rule) ||
    compareText(a.user, b.user) ||
    compareText(a.bsn ?? '', b.bsn ?? '') ||
    a.to - b.to ||
    compareText(a.messageId, b.messageId)
  );
}

/** Raw findings in output order (see compareRawFindings), as a new array. */
export function sortRawFindings(raw: readonly RawFinding[]): RawFinding[] {
  return [...raw].sort(compareRawFindings);
}

/**
 * Renders raw findings (message, id, local ISO times, file names) in output order. `files[source]` names
 * the input of each evidence position.
 *
 * With `release`, `raw` is sorted in place and emptied as it is rendered, so that each raw finding can go
 * once it is rendered: a month whose reference data does not fit the logs has hundreds of thousands of
 * findings, which were held twice over.
 */
export function renderFindings(
  raw: RawFinding[],
  rules: readonly AnyRule[],
  calendar: Calendar,
  files: readonly string[],
  release = false,
): Finding[] {
  const templates = new Map(rules.map((rule) => [rule.meta.id, rule.meta.messages]));
  const sorted = release ? raw.sort(compareRawFindings) : sortRawFindings(raw);
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (let index = 0; index < sorted.length; index++) {
    findings.push(renderFinding(sorted[index]!));
    if (release) sorted[index] = undefined!;
  }
  if (release) sorted.length = 0;
  return findings;

  function renderFinding(finding: RawFinding): Finding {
    const template = templates.get(finding.rule)?.[finding.messageId];
    if (template === undefined) throw new Error(`rule '${finding.rule}' reported unknown message '${finding.messageId}'`);
    const data = {
      user: finding.user,
      bsn: finding.bsn === null ? '-' : maskBsn(finding.bsn),
      citizen: finding.bsn === null ? 'een persoon (zoekvraag zonder BSN)' : `BSN ${maskBsn(finding.bsn)}`,
      count: finding.count,
      date: calendar.formatDate(finding.from),
      from: clockTime(calendar, finding.from),
      to: clockTime(calendar, finding.to),
      ...finding.data,
    };
    let id = findingId(finding.rule, finding.user, finding.bsn, finding.from);
    // Two findings of one rule about the same user, BSN and instant (different messages) stay apart.
    const clashes = seen.get(id) ?? 0;
    seen.set(id, clashes + 1);
    if (clashes > 0) id = `${id}-${clashes + 1}`;
    return {
      id,
      rule: finding.rule,
      severity: finding.severity,
      user: finding.user,
      bsn: finding.bsn,
      page: finding.page,
      from: calendar.format(finding.from),
      to: calendar.format(finding.to),
      count: finding.count,
      message: renderMessage(template, data, finding.rule),
      evidence: finding.evidence.map((position) => {
        const { source, line } = unpackPosition(position);
        return { file: files[source] ?? '?', line };
      }),
      evidenceTotal: finding.evidenceTotal,
    };
  }
}

/** Code-unit order: deterministic and locale-free. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
