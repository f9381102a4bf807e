/**
 * Declarative rules: checks that a controller writes in the config file, without code, in Sigma's
 * vocabulary. A `where` selects lookups (every condition must hold); without `count` each selected lookup
 * is a finding, with `count` a sliding window over the selected lookups per `groupBy` group must reach a
 * threshold (`event_count`: lookups, `value_count`: distinct values of `field`). Each spec is compiled
 * into an ordinary rule (defineRule), so it is planned, run in the workers, listed and reported like a
 * built-in one. The `where` is compiled once into a predicate: no object walk per lookup.
 */
import { ConfigError } from '../errors.js';
import type { Calendar } from '../time/calendar.js';
import { CLOCK_SCHEMA, minutesOfClock } from '../time/civil.js';
import { maskBsn } from './bsn.js';
import { eventCount, forEachBurst, valueCount } from './bursts.js';
import { defineRule, RULE_ID } from './define.js';
import { unpackPosition } from './position.js';
import { EVIDENCE_LIMIT } from './runner.js';
import { registerRowOn } from './register.js';
import { compileSchema, describeSchemaErrors } from './schema.js';
import { appendTimed, timedWindow, timeOrder, type TimedLookups } from './timed.js';
import { parseTimespan, TIMESPAN_SCHEMA } from './timespan.js';
import { SEVERITIES, type AnyRule, type EvidenceRef, type Lookup, type ReferenceData, type Severity } from './types.js';

/** The config key that holds declarative rules; errors name paths below it. */
export const DECLARATIVE_RULES_KEY = 'declarativeRules';

/** A value to compare with: text, or null for "none" (no page, no escape reason, no BSN, no team). */
export type ConditionValue = string | null;

/** A condition on one field: a value (equality), or operators that must all hold. */
export type Condition = ConditionValue | { in?: ConditionValue[]; regex?: string; not?: Condition };

/** Local clock times `HH:MM`: from (inclusive) to (exclusive); a range past midnight when `from` is later. */
export interface ClockRange {
  from: string;
  to: string;
}

export interface DeclarativeWhere {
  user?: Condition;
  userName?: Condition;
  page?: Condition;
  bsn?: Condition;
  organisation?: Condition;
  chosenMunicipality?: Condition;
  escapeReason?: Condition;
  session?: Condition;
  layout?: Condition;
  team?: Condition;
  roles?: Condition;
  searchKeys?: Condition;
  time?: ClockRange;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekday?: number[];
  /** true: only on public holidays (of the run's calendar); false: never on them. */
  holiday?: boolean;
}

export interface DeclarativeCount {
  type: 'event_count' | 'value_count';
  /** value_count: the field whose distinct values are counted. */
  field?: ValueField;
  /** The groups counted apart (none: all selected lookups together). */
  groupBy?: ValueField[];
  timespan: string;
  /** The threshold: at least (`gte`) or more than (`gt`); exactly one of them. */
  gte?: number;
  gt?: number;
}

export interface DeclarativeRuleSpec {
  id: string;
  title: string;
  severity: Severity;
  description?: string;
  /** Why the check exists (a decision, a norm); shown as the rule's basis. */
  basis?: string;
  where?: DeclarativeWhere;
  count?: DeclarativeCount;
}

/** The declarative rules of one config file, as plain data (they travel to the workers as such). */
export interface DeclarativeRuleSet {
  file: string;
  rules: readonly DeclarativeRuleSpec[];
}

/** What a compiled predicate is bound to when the rule is created. */
interface MatchContext {
  calendar: Calendar;
  users: ReferenceData['users'];
}

type Read<T> = (lookup: Lookup) => T;

/** How to read a field, once bound to the run; `cost` orders the conditions, cheap ones first. */
interface FieldReader<T> {
  cost: number;
  bind(context: MatchContext): Read<T>;
}

const VALUE_FIELD_NAMES = [
  'user',
  'userName',
  'page',
  'bsn',
  'organisation',
  'chosenMunicipality',
  'escapeReason',
  'session',
  'layout',
  'team',
] as const;

/** A field with one value (or none): what `groupBy` and `count.field` can name. */
export type ValueField = (typeof VALUE_FIELD_NAMES)[number];

/**
 * Fields with one value (or none): the lookup's own, and `team`, the team of the login's row in the user
 * register that is valid on the lookup's local date (none outside every employment period).
 */
const teamReaders = new WeakMap<MatchContext, (lookup: Lookup) => string | null>();

const VALUE_FIELDS: Record<ValueField, FieldReader<string | null>> = {
  user: { cost: 0, bind: () => (lookup) => lookup.user },
  userName: { cost: 0, bind: () => (lookup) => lookup.userName },
  page: { cost: 0, bind: () => (lookup) => lookup.page },
  bsn: { cost: 0, bind: () => (lookup) => lookup.bsn },
  organisation: { cost: 0, bind: () => (lookup) => lookup.organisation },
  chosenMunicipality: { cost: 0, bind: () => (lookup) => lookup.chosenMunicipality },
  escapeReason: { cost: 0, bind: () => (lookup) => lookup.escapeReason },
  session: { cost: 0, bind: () => (lookup) => lookup.session },
  layout: { cost: 0, bind: () => (lookup) => lookup.layout },
  team: {
    cost: 2,
    bind: (context) => {
      // `where`, the group key, the counted value and add may each ask for the team of the same lookup: one
      // reader per rule, which reads the register once per lookup.
      let read = teamReaders.get(context);
      if (read === undefined) {
        let last: Lookup | null = null;
        let team: string | null = null;
        read = (lookup) => {
          if (lookup !== last) {
            team = registerRowOn(context.users?.get(lookup.user), context.calendar.localDay(lookup.time))?.team ?? null;
            last = lookup;
          }
          return team;
        };
        teamReaders.set(context, read);
      }
      return read;
    },
  },
};

/** Fields with a list: a condition holds when it holds for any item (`null`: for an empty list). */
const LIST_FIELDS: Record<'roles' | 'searchKeys', FieldReader<readonly string[]>> = {
  roles: { cost: 0, bind: () => (lookup) => lookup.roles },
  // The names of the search keys (`Burgerservicenr`, `Kenteken`, `Postcode`, …): how the person was searched.
  searchKeys: { cost: 1, bind: () => (lookup) => Object.keys(lookup.searchKeys) },
};

const CALENDAR_COST = 1;

/** Dutch words for a field in messages: one value (a group) and several (what value_count counts). */
const FIELD_WORDS: Record<ValueField, [one: string, several: string]> = {
  user: ['medewerker', 'medewerkers'],
  userName: ['naam', 'namen'],
  page: ['pagina', "pagina's"],
  bsn: ['BSN', "BSN's"],
  organisation: ['organisatie', 'organisaties'],
  chosenMunicipality: ['gekozen gemeente', 'gekozen gemeenten'],
  escapeReason: ['reden', 'redenen'],
  session: ['sessie', 'sessies'],
  layout: ['logformaat', 'logformaten'],
  team: ['team', 'teams'],
};

const VALUE_SCHEMA = { type: ['string', 'null'] };
const OPERATORS = { in: { type: 'array', items: VALUE_SCHEMA, minItems: 1 }, regex: { type: 'string', minLength: 1 } };
/** A condition inside `not`: a value, `in` or `regex` (a double negation says nothing new). */
const NEGATED_CONDITION = { type: ['string', 'null', 'object'], properties: OPERATORS, additionalProperties: false, minProperties: 1 };
const CONDITION = { ...NEGATED_CONDITION, properties: { ...OPERATORS, not: NEGATED_CONDITION } };
const TEXT = { type: 'string', minLength: 1 };

/** The JSON Schema of one declarative rule (the cross-field checks are in compileDeclarativeRule). */
export const DECLARATIVE_RULE_SCHEMA = {
  type: 'object',
  required: ['id', 'title', 'severity'],
  properties: {
    id: { type: 'string', pattern: RULE_ID.source },
    title: TEXT,
    severity: { enum: [...SEVERITIES] },
    description: TEXT,
    basis: TEXT,
    where: {
      type: 'object',
      properties: {
        ...Object.fromEntries([...VALUE_FIELD_NAMES, ...Object.keys(LIST_FIELDS)].map((field) => [field, CONDITION])),
        time: { type: 'object', required: ['from', 'to'], properties: { from: CLOCK_SCHEMA, to: CLOCK_SCHEMA }, additionalProperties: false },
        weekday: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, minItems: 1, uniqueItems: true },
        holiday: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    count: {
      type: 'object',
      required: ['type', 'timespan'],
      properties: {
        type: { enum: ['event_count', 'value_count'] },
        field: { enum: [...VALUE_FIELD_NAMES] },
        groupBy: { type: 'array', items: { enum: [...VALUE_FIELD_NAMES] }, uniqueItems: true },
        timespan: TIMESPAN_SCHEMA,
        gte: { type: 'integer', minimum: 1 },
        gt: { type: 'integer', minimum: 0 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

type LookupTest = (lookup: Lookup) => boolean;
type ValueTest = (value: string | null) => boolean;
/** Applies a test on one value to a field of the lookup: the field's value, or any item of its list. */
type Lift = (test: ValueTest) => LookupTest;
/** A compiled condition, not yet bound to a field: regular expressions are compiled at load. */
type CompiledCondition = (lift: Lift) => LookupTest;

function allOf(tests: readonly LookupTest[]): LookupTest {
  if (tests.length === 1) return tests[0]!;
  return (lookup) => {
    for (const test of tests) if (!test(lookup)) return false;
    return true;
  };
}

function compileRegex(source: string, path: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new ConfigError(`${path}: not a regular expression: ${(error as Error).message}`);
  }
}

function compileCondition(condition: Condition, path: string): CompiledCondition {
  if (condition === null || typeof condition === 'string') return (lift) => lift((value) => value === condition);
  const parts: CompiledCondition[] = [];
  if (condition.in !== undefined) {
    const values = new Set(condition.in);
    parts.push((lift) => lift((value) => values.has(value)));
  }
  if (condition.regex !== undefined) {
    const pattern = compileRegex(condition.regex, `${path}.regex`);
    parts.push((lift) => lift((value) => value !== null && pattern.test(value)));
  }
  if (condition.not !== undefined) {
    const negated = compileCondition(condition.not, `${path}.not`);
    parts.push((lift) => {
      const test = negated(lift);
      return (lookup) => !test(lookup);
    });
  }
  return (lift) => allOf(parts.map((part) => part(lift)));
}

/** One condition of a `where`, ready to be bound to the run's calendar and register. */
interface Matcher {
  cost: number;
  bind(context: MatchContext): LookupTest;
}

/** The calendar conditions (time of day, weekday, holiday) as one matcher: the local time is worked out once. */
function calendarMatcher(where: DeclarativeWhere, path: string): Matcher | null {
  const { time, weekday, holiday } = where;
  if (time === undefined && weekday === undefined && holiday === undefined) return null;
  const start = time === undefined ? 0 : minutesOfClock(time.from);
  const end = time === undefined ? 0 : minutesOfClock(time.to);
  if (time !== undefined && start === end) throw new ConfigError(`${path}.time: from and to are the same time; the range would be empty`);
  const inRange = (minute: number) => (start < end ? start <= minute && minute < end : minute >= start || minute < end);
  const weekdays = new Set(weekday ?? []);
  return {
    cost: CALENDAR_COST,
    bind: ({ calendar }) =>
      (lookup) => {
        const local = calendar.localParts(lookup.time);
        return (
          (time === undefined || inRange(local.minuteOfDay)) &&
          (weekday === undefined || weekdays.has(local.weekday)) &&
          (holiday === undefined || (calendar.holidayName(local.day) !== undefined) === holiday)
        );
      },
  };
}

function compileWhere(where: DeclarativeWhere, path: string): Matcher[] {
  const matchers: Matcher[] = [];
  for (const [field, condition] of Object.entries(where)) {
    if (field in VALUE_FIELDS) {
      const { cost, bind } = VALUE_FIELDS[field as ValueField];
      const compiled = compileCondition(condition as Condition, `${path}.${field}`);
      matchers.push({
        cost,
        bind(context) {
          const read = bind(context);
          return compiled((test) => (lookup) => test(read(lookup)));
        },
      });
    } else if (field in LIST_FIELDS) {
      const { cost, bind } = LIST_FIELDS[field as keyof typeof LIST_FIELDS];
      const compiled = compileCondition(condition as Condition, `${path}.${field}`);
      matchers.push({
        cost,
        bind(context) {
          const read = bind(context);
          return compiled((test) => (lookup) => {
            const items = read(lookup);
            return items.length === 0 ? test(null) : items.some(test);
          });
        },
      });
    }
  }
  const calendar = calendarMatcher(where, path);
  if (calendar !== null) matchers.push(calendar);
  // A stable sort: among conditions of equal cost, the order the controller wrote.
  return matchers.sort((a, b) => a.cost - b.cost);
}

function bindAll(matchers: readonly Matcher[], context: MatchContext): LookupTest {
  if (matchers.length === 0) return () => true;
  return allOf(matchers.map((matcher) => matcher.bind(context)));
}

function describeCondition(condition: Condition, negated = false): string {
  const not = negated ? ' not' : '';
  if (condition === null) return `is${not} none`;
  if (typeof condition === 'string') return `is${not} ${JSON.stringify(condition)}`;
  const parts: string[] = [];
  if (condition.in !== undefined) parts.push(`is${not} in ${JSON.stringify(condition.in)}`);
  if (condition.regex !== undefined) parts.push(`${negated ? 'does not match' : 'matches'} /${condition.regex}/`);
  if (condition.not !== undefined) parts.push(describeCondition(condition.not, !negated));
  // Not all of them holding is one of them failing.
  return parts.join(negated ? ' or ' : ' and ');
}

/** The rule's description when the spec has none: what it selects and counts, in words. */
function describeSpec(spec: DeclarativeRuleSpec): string {
  const where = spec.where ?? {};
  const conditions = Object.entries(where).flatMap(([field, condition]) => {
    if (field === 'time') return [`local time ${(condition as ClockRange).from}–${(condition as ClockRange).to}`];
    if (field === 'weekday') return [`weekday in ${(condition as number[]).join(',')}`];
    if (field === 'holiday') return [condition ? 'on a public holiday' : 'not on a public holiday'];
    return [`${field} ${describeCondition(condition as Condition)}`];
  });
  const selected = conditions.length === 0 ? 'every lookup' : `lookups where ${conditions.join(' and ')}`;
  const count = spec.count;
  if (count === undefined) return `Declarative rule: ${selected}; each is a finding.`;
  const threshold = count.gte !== undefined ? `at least ${count.gte}` : `more than ${count.gt}`;
  const what = count.type === 'event_count' ? 'lookups' : `distinct ${count.field}`;
  const per = count.groupBy?.length ? ` per ${count.groupBy.join(' and ')}` : '';
  return `Declarative rule: ${selected}; a finding when ${threshold} ${what}${per} within ${count.timespan} (${count.type}).`;
}

/** The cross-field checks the schema cannot say clearly. */
function checkCount(count: DeclarativeCount, path: string): void {
  if ((count.gte === undefined) === (count.gt === undefined)) {
    throw new ConfigError(`${path}.count: give the threshold as gte (at least) or as gt (more than), one of the two`);
  }
  if (count.type === 'value_count' && count.field === undefined) {
    throw new ConfigError(`${path}.count: value_count needs field, the field whose distinct values are counted (for example "bsn")`);
  }
  if (count.type === 'event_count' && count.field !== undefined) {
    throw new ConfigError(`${path}.count.field: only value_count counts a field; event_count counts lookups`);
  }
  if (count.field !== undefined && count.groupBy?.includes(count.field)) {
    throw new ConfigError(`${path}.count.field: '${count.field}' is also in groupBy, so every group would hold one value`);
  }
}

const MATCH_MESSAGE = '{{title}}: {{user}} raadpleegde {{citizen}} op {{date}} om {{from}} ({{count}} raadpleging(en))';
const WINDOW_TAIL = '({{group}}) van {{date}} {{from}} tot {{lastDate}} {{to}}; drempel: {{condition}} binnen {{timespan}}';
const EVENTS_MESSAGE = `{{title}}: {{count}} raadplegingen ${WINDOW_TAIL}`;
const VALUES_MESSAGE = `{{title}}: {{distinct}} verschillende {{values}} in {{count}} raadplegingen ${WINDOW_TAIL}`;


/** The tags of a group's lookups: the page (for the finding's page) and, for value_count, the counted value. */
const PAGE_TAG = 0;
const VALUE_TAG = 1;

/**
 * Compiles one declarative rule. `path` names the spec in errors (`config.declarativeRules.0`): a schema
 * violation, an invalid regular expression or an inconsistent count throws a ConfigError naming the key.
 */
export function compileDeclarativeRule(spec: DeclarativeRuleSpec, path: string): AnyRule {
  const validate = compileSchema(DECLARATIVE_RULE_SCHEMA);
  if (!validate(spec)) throw new ConfigError(describeSchemaErrors(validate.errors, path).join('; '));
  const matchers = compileWhere(spec.where ?? {}, `${path}.where`);
  if (spec.count !== undefined) checkCount(spec.count, path);
  const count = spec.count;
  const usesTeam = spec.where?.team !== undefined || count?.field === 'team' || count?.groupBy?.includes('team') === true;
  const meta = {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    basis: { kind: 'heuristic' as const, reference: spec.basis ?? 'eigen regel van de gemeente, in de configuratie' },
    description: spec.description ?? describeSpec(spec),
    requires: usesTeam ? (['users'] as const) : [],
  };
  const title = spec.title;
  if (count === undefined) {
    const hit = { messageId: 'match', data: { title } };
    return defineRule<Record<string, never>>({
      meta: {
        ...meta,
        options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
        messages: { match: MATCH_MESSAGE },
      },
      create({ calendar, reference }) {
        const matches = bindAll(matchers, { calendar, users: reference.users });
        return {
          lookup(lookup, report) {
            if (matches(lookup)) report(hit);
          },
        };
      },
    });
  }

  // The threshold and window are options, so that `rules.<id>.options` and --rule-option can tune them.
  const thresholdKey = count.gte !== undefined ? 'gte' : 'gt';
  const groupBy = count.groupBy ?? [];
  const countsValues = count.type === 'value_count';
  return defineRule<{ timespan: string; gte?: number; gt?: number }, TimedLookups>({
    meta: {
      ...meta,
      options: {
        schema: {
          type: 'object',
          properties: { timespan: TIMESPAN_SCHEMA, [thresholdKey]: DECLARATIVE_RULE_SCHEMA.properties.count.properties[thresholdKey] },
          additionalProperties: false,
        },
        defaults: { timespan: count.timespan, [thresholdKey]: count[thresholdKey] },
      },
      messages: countsValues ? { values: VALUES_MESSAGE } : { events: EVENTS_MESSAGE },
    },
    create({ options, calendar, reference }) {
      const context = { calendar, users: reference.users };
      const matches = bindAll(matchers, context);
      const groupReads = groupBy.map((field) => VALUE_FIELDS[field].bind(context));
      const readValue = count.field === undefined ? null : VALUE_FIELDS[count.field].bind(context);
      const span = parseTimespan(options.timespan)!;
      const threshold = thresholdKey === 'gte' ? options.gte! : options.gt! + 1;
      const condition = thresholdKey === 'gte' ? `minstens ${options.gte}` : `meer dan ${options.gt}`;
      const field = count.field;
      return {
        window: timedWindow(countsValues ? ['name', 'name'] : ['name'], {
          // Bursts of overlapping windows: lookups `timespan` apart or more are never in one.
          quiet: span,
          key(lookup) {
            if (!matches(lookup)) return null;
            // A lookup without a value to count or to group by is not counted.
            if (readValue !== null && readValue(lookup) === null) return null;
            if (groupReads.length === 0) return '';
            if (groupReads.length === 1) return groupReads[0]!(lookup);
            // Several values as a JSON array: a mapped layout may deliver any character, NUL included.
            const values: string[] = [];
            for (const read of groupReads) {
              const value = read(lookup);
              if (value === null) return null;
              values.push(value);
            }
            return JSON.stringify(values);
          },
          add(state, lookup) {
            appendTimed(state, lookup, lookup.page, readValue === null ? null : readValue(lookup));
          },
          finish(key, state, report) {
            if (state.length < threshold) return;
            const order = timeOrder(state);
            const pages = state.tags[PAGE_TAG]!;
            const time = (position: number) => state.times[order[position]!]!;
            const value = (position: number) => state.tags[VALUE_TAG]![order[position]!]!;
            const groupValues: string[] = groupBy.length === 0 ? [] : groupBy.length === 1 ? [key] : JSON.parse(key);
            const valueOf = (field: ValueField) => groupValues[groupBy.indexOf(field)] ?? null;
            const group =
              groupBy.length === 0
                ? 'alle medewerkers samen'
                : groupBy.map((field, at) => `${FIELD_WORDS[field][0]} ${field === 'bsn' ? maskBsn(groupValues[at]!) : groupValues[at]}`).join(', ');
            const measure = countsValues ? valueCount(value, state.names.length) : eventCount();
            forEachBurst({ from: 0, to: order.length, time, span, threshold, measure }, (first, last) => {
              const evidence: EvidenceRef[] = [];
              const distinct = new Set<number>();
              let page = pages[order[first]!]!;
              for (let position = first; position <= last; position++) {
                // The runner keeps the first EVIDENCE_LIMIT lines: a long burst builds no more than those.
                if (evidence.length < EVIDENCE_LIMIT) evidence.push(unpackPosition(state.positions[order[position]!]!));
                if (countsValues) distinct.add(value(position));
                if (pages[order[position]!] !== page) page = -1;
              }
              report({
                messageId: countsValues ? 'values' : 'events',
                user: valueOf('user') ?? '*',
                bsn: valueOf('bsn'),
                page: page === -1 ? null : state.names[page]!,
                from: time(first),
                to: time(last),
                count: last - first + 1,
                evidence,
                evidenceTotal: last - first + 1,
                data: {
                  title,
                  group,
                  lastDate: calendar.formatDate(time(last)),
                  condition,
                  timespan: options.timespan,
                  ...(field === undefined ? {} : { distinct: distinct.size, values: FIELD_WORDS[field][1] }),
                },
              });
            });
          },
        }),
      };
    },
  });
}

/**
 * The declarative rules of a config file, compiled. A problem names the file and the key path
 * (`config x.json: config.declarativeRules.0.where.page.regex: …`).
 */
export function compileDeclarativeRules(set: DeclarativeRuleSet): AnyRule[] {
  return set.rules.map((spec, index) => {
    try {
      return compileDeclarativeRule(spec, `config.${DECLARATIVE_RULES_KEY}.${index}`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`config ${set.file}: ${error.message}`, { hint: 'see the README, "Declarative rules"', cause: error });
    }
  });
}
