import { createMappedReader, type Mapping, type RecordReader, type RecordSource } from '../input/mapping.js';
import { Interner } from '../input/record.js';
import { RuleRunner, planRules, type RulePlan } from '../rule-api/runner.js';
import type { AnyRule, Layout, ReferenceData } from '../rule-api/types.js';
import { Calendar, type HolidayAdjustments } from '../time/calendar.js';
import type { ParseSetup } from './chunk.js';
import type { SampleSettings } from './sample.js';

/**
 * The settings a run's engine is built from, in the main thread and in every worker alike. Plain data only:
 * it crosses into the workers as `workerData`, and workers load the rules by module URL themselves.
 */
export interface EngineSettings {
  /** `auto` detects each file's layout from its first lines. */
  format: 'auto' | Layout;
  mapping?: Mapping;
  timezone: string;
  holidays?: HolidayAdjustments;
  reference: ReferenceData;
  /** Module URLs that export rules: `builtinRules` (an array) or a default export (one rule). */
  ruleModules: readonly string[];
  only?: readonly string[];
  enable?: readonly string[];
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
  /** `month` (default) or `run`: what per-period rules count over. */
  period?: 'month' | 'run';
  /** HMAC key under which register and watchlist hold BSNs, when they hold hashes. */
  bsnHashKey?: string;
  /** The steekproef to draw, when asked for. */
  sample?: SampleSettings;
}

/** Everything needed to parse and evaluate chunks and to merge and finish their partial states. */
export interface Engine {
  rules: readonly AnyRule[];
  calendar: Calendar;
  plan: RulePlan;
  runner: RuleRunner;
  parse: ParseSetup;
  /** Reader factories compiled from the mapping (CSV records, JSON values); absent without mapping. */
  csvReader?: (origin: RecordSource) => RecordReader;
  sample?: SampleSettings;
}

/** The module of the built-in rules. */
export const BUILTIN_RULES = new URL('../../rules/index.js', import.meta.url).href;

export async function loadRules(modules: readonly string[]): Promise<AnyRule[]> {
  const rules: AnyRule[] = [];
  for (const url of modules) {
    const module = (await import(url)) as { builtinRules?: readonly AnyRule[]; default?: AnyRule };
    if (module.builtinRules) rules.push(...module.builtinRules);
    else if (module.default) rules.push(module.default);
    else throw new Error(`${url} exports no rules`);
  }
  return rules;
}

/**
 * Builds the engine: calendar (time zone, holidays), rule plan (options checked against their schemas),
 * mapping readers. Throws ConfigError on bad settings, before anything is read.
 */
export async function buildEngine(settings: EngineSettings): Promise<Engine> {
  const rules = await loadRules(settings.ruleModules);
  const calendar = new Calendar({ timezone: settings.timezone, holidays: settings.holidays });
  const plan = planRules(rules, {
    only: settings.only,
    enable: settings.enable,
    options: settings.ruleOptions,
    reference: settings.reference,
    calendar,
    period: settings.period,
    bsnHashKey: settings.bsnHashKey,
  });
  const mapping = settings.mapping;
  return {
    rules,
    calendar,
    plan,
    runner: new RuleRunner(plan.active, calendar),
    parse: {
      clock: calendar.clock,
      intern: new Interner(),
      mapped: mapping ? createMappedReader(mapping, settings.timezone, false) : undefined,
    },
    csvReader: mapping ? createMappedReader(mapping, settings.timezone, true) : undefined,
    sample: settings.sample,
  };
}
