import { isDeepStrictEqual } from 'node:util';
import { Calendar, type HolidayAdjustments } from '../time/calendar.js';
import { parseIsoTimestamp } from '../time/timestamp.js';
import { normaliseBsn } from './bsn.js';
import { placeholdersOf, validateRule } from './define.js';
import { RuleRunner, planRules, renderFindings, sortRawFindings } from './runner.js';
import type { Finding, Lookup, ReferenceData, RuleDefinition, Severity } from './types.js';

/** A lookup in a test case: only `time` is required; `time` may be ISO text (local when without offset). */
export type TestLookup = Partial<Omit<Lookup, 'time'>> & { time: string | number };

export interface ValidCase<Options> {
  name?: string;
  lookups: readonly TestLookup[];
  options?: Partial<Options>;
  reference?: ReferenceData;
}

export interface ExpectedFinding {
  messageId: string;
  /** Compared key by key with the rule's data (placeholders the rule filled in). */
  data?: Record<string, string | number>;
  severity?: Severity;
  user?: string;
  bsn?: string | null;
  /** The page all the finding's lookups were on (null: several, or none). */
  page?: string | null;
  count?: number;
}

export interface InvalidCase<Options> extends ValidCase<Options> {
  findings: readonly ExpectedFinding[];
}

export interface RuleTestCases<Options> {
  valid: ReadonlyArray<ValidCase<Options>>;
  invalid: ReadonlyArray<InvalidCase<Options>>;
}

export interface RuleTestSettings {
  timezone?: string;
  holidays?: HolidayAdjustments;
}

class RuleTestError extends Error {
  override name = 'RuleTestError';
}

/**
 * Table-driven rule tests, after ESLint's RuleTester: `valid` cases must give no finding, `invalid` cases
 * exactly the listed findings (in output order). Every case also runs with each lookup in its own chunk,
 * compacted, copied as across threads and merged in order, and must give byte-identical findings: a rule
 * whose result depends on how the input is split fails here. A window with `quiet` (see timedWindow) also
 * runs settled after every lookup (RuleRunner.settleWindows), and must give the same findings: a `quiet`
 * that a finding spans fails here. The rule's options schema must compile and accept its defaults (see
 * validateRule), each case's options must fit it, duplicate cases are refused, and every message
 * placeholder must be filled. Throws on the first failure; call it inside a test.
 */
export function testRule<Options extends object>(
  rule: RuleDefinition<Options, any>,
  cases: RuleTestCases<Options>,
  settings: RuleTestSettings = {},
): void {
  // The rule's schema compiles and accepts its defaults (defineRule leaves that to validateRule).
  validateRule(rule);
  const calendar = new Calendar({ timezone: settings.timezone ?? 'Europe/Amsterdam', holidays: settings.holidays });
  const seen = new Set<string>();
  const all: Array<[string, ValidCase<Options>, readonly ExpectedFinding[]]> = [
    ...cases.valid.map((c, i): [string, ValidCase<Options>, ExpectedFinding[]] => [`valid[${i}]`, c, []]),
    ...cases.invalid.map((c, i): [string, ValidCase<Options>, readonly ExpectedFinding[]] => [`invalid[${i}]`, c, c.findings]),
  ];
  if (cases.invalid.some((c) => c.findings.length === 0)) {
    throw new RuleTestError(`${rule.meta.id}: an invalid case must expect at least one finding`);
  }
  for (const [label, testCase, expected] of all) {
    const name = `${rule.meta.id} ${label}${testCase.name ? ` (${testCase.name})` : ''}`;
    const fingerprint = JSON.stringify([testCase.lookups, testCase.options, expected]);
    if (seen.has(fingerprint)) throw new RuleTestError(`${name}: duplicate test case`);
    seen.add(fingerprint);
    const lookups = testCase.lookups.map((lookup, index) => toLookup(lookup, index, calendar, name));
    const actual = run(rule, testCase, lookups, calendar, 'whole')!;
    const split = run(rule, testCase, lookups, calendar, 'split')!;
    if (!isDeepStrictEqual(actual, split)) {
      throw new RuleTestError(
        `${name}: findings differ when the input is split per lookup\n whole: ${JSON.stringify(actual)}\n split: ${JSON.stringify(split)}`,
      );
    }
    const settled = run(rule, testCase, lookups, calendar, 'settled');
    if (settled !== null && !isDeepStrictEqual(actual, settled)) {
      throw new RuleTestError(
        `${name}: findings differ when lookups are settled as the input is read: does a finding span the window's \`quiet\` gap?\n whole: ${JSON.stringify(actual)}\n settled: ${JSON.stringify(settled)}`,
      );
    }
    compare(name, rule, actual.findings, actual.data, expected);
  }
}

interface RunResult {
  findings: Finding[];
  data: Array<Record<string, string | number>>;
}

function run(
  rule: RuleDefinition<any, any>,
  testCase: ValidCase<unknown>,
  lookups: readonly Lookup[],
  calendar: Calendar,
  mode: 'whole' | 'split' | 'settled',
): RunResult | null {
  // Named as with --rules: an opt-in rule is tested as it runs once enabled.
  const plan = planRules([rule], {
    only: [rule.meta.id],
    options: { [rule.meta.id]: (testCase.options ?? {}) as Record<string, unknown> },
    reference: testCase.reference ?? {},
    calendar,
  });
  if (plan.active.length === 0) {
    throw new RuleTestError(`${rule.meta.id}: rule was skipped: ${plan.skipped[0]?.reason}`);
  }
  // Settling is the split run again for a rule whose window does not settle.
  if (mode === 'settled' && plan.active[0]!.hooks.window?.settle === undefined) return null;
  const runner = new RuleRunner(plan.active, calendar);
  const total = runner.createPartial();
  // Whole, every lookup is warmed first (see RuleHooks.warm); split, none is: results must not differ.
  if (mode === 'whole') runner.warm(lookups, lookups.length);
  for (const lookup of lookups) {
    if (mode === 'whole') {
      runner.add(total, lookup);
    } else {
      // As a worker hands a chunk's partial over: compacted, then copied across the thread boundary.
      const partial = runner.createPartial();
      runner.add(partial, lookup);
      runner.compact(partial);
      runner.merge(total, structuredClone(partial), lookup.time);
      // Settled after every lookup, as far as it goes: lookups that arrive late are brought back.
      if (mode === 'settled') runner.settleWindows(total, lookup.time, { step: 0, minimum: 1 });
    }
  }
  const raw = sortRawFindings(runner.finish(total));
  const findings = renderFindings(raw, [rule], calendar, ['test']);
  return { findings, data: raw.map((finding) => finding.data) };
}

function compare(
  name: string,
  rule: RuleDefinition<any, any>,
  actual: readonly Finding[],
  data: ReadonlyArray<Record<string, string | number>>,
  expected: readonly ExpectedFinding[],
): void {
  const summary = () => JSON.stringify(actual.map((finding) => [finding.rule, finding.message, finding.count]));
  if (actual.length !== expected.length) {
    throw new RuleTestError(`${name}: expected ${expected.length} finding(s), got ${actual.length}: ${summary()}`);
  }
  expected.forEach((want, index) => {
    const got = actual[index]!;
    const template = rule.meta.messages[want.messageId];
    if (template === undefined) throw new RuleTestError(`${name}: unknown messageId '${want.messageId}'`);
    if (renderTemplateKey(got.message, template) === false) {
      throw new RuleTestError(`${name}: finding ${index} has message "${got.message}", expected messageId '${want.messageId}'`);
    }
    const checks: Array<[string, unknown, unknown]> = [
      ['severity', want.severity, got.severity],
      ['user', want.user, got.user],
      ['bsn', want.bsn, got.bsn],
      ['page', want.page, got.page],
      ['count', want.count, got.count],
    ];
    for (const [key, wanted, value] of checks) {
      if (wanted !== undefined && wanted !== value) {
        throw new RuleTestError(`${name}: finding ${index} ${key} is ${JSON.stringify(value)}, expected ${JSON.stringify(wanted)}`);
      }
    }
    for (const [key, wanted] of Object.entries(want.data ?? {})) {
      if (!placeholdersOf(template).includes(key)) {
        throw new RuleTestError(`${name}: data key '${key}' is not a placeholder of message '${want.messageId}'`);
      }
      if (data[index]?.[key] !== wanted) {
        throw new RuleTestError(
          `${name}: finding ${index} data.${key} is ${JSON.stringify(data[index]?.[key])}, expected ${JSON.stringify(wanted)}`,
        );
      }
    }
  });
}

/** Whether a rendered message could come from a template (literal parts in order). */
function renderTemplateKey(message: string, template: string): boolean {
  const literal = template.split(/\{\{\s*\w+\s*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[\\s\\S]*?')}$`).test(message);
}

function toLookup(lookup: TestLookup, index: number, calendar: Calendar, name: string): Lookup {
  const time = typeof lookup.time === 'number' ? lookup.time : parseIsoTimestamp(lookup.time, calendar.clock);
  if (time === null) throw new RuleTestError(`${name}: lookup ${index} has an unreadable time '${lookup.time}'`);
  const bsn = lookup.bsn === undefined || lookup.bsn === null ? null : normaliseBsn(lookup.bsn);
  return {
    user: 'tester',
    userName: null,
    roles: [],
    organisation: null,
    chosenMunicipality: null,
    page: null,
    searchKeys: bsn === null ? {} : { bsn },
    escapeReason: null,
    session: null,
    layout: 'ndjson',
    file: 'test',
    source: 0,
    ...lookup,
    bsn,
    time,
    line: lookup.line ?? index + 1,
  };
}
