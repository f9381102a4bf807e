import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { createMappedReader, type Mapping, type RecordReader, type RecordSource } from '../input/mapping.js';
import { validateRule } from '../rule-api/define.js';
import { compileDeclarativeRules, DECLARATIVE_RULES_KEY, type DeclarativeRuleSet } from '../rule-api/declarative.js';
import { Interner } from '../input/record.js';
import { RuleRunner, planRules, type RulePlan } from '../rule-api/runner.js';
import type { AnyRule, Layout, ReferenceData, Severity } from '../rule-api/types.js';
import { Caseload } from '../reference/caseload.js';
import { Calendar, type HolidayAdjustments, type HolidayTable } from '../time/calendar.js';
import type { ParseSetup } from './chunk.js';
import type { SampleSettings } from './sample.js';

/**
 * The settings a run's engine is built from, in the main thread and in every worker alike. Plain data only:
 * it crosses into the workers as a message (see WorkerPool), and workers load the rules by module URL
 * themselves.
 */
export interface EngineSettings {
  /** `auto` detects each file's layout from its first lines. */
  format: 'auto' | Layout;
  mapping?: Mapping;
  timezone: string;
  holidays?: HolidayAdjustments;
  /** Days off computed by the main thread, so that workers need not load the holiday library. */
  holidayTable?: HolidayTable;
  reference: ReferenceData;
  /** Module URLs that export rules: `builtinRules` (an array) or a default export (one rule). */
  ruleModules: readonly string[];
  /** The config's declarative rules, compiled in every thread like the modules are imported. */
  declarativeRules?: DeclarativeRuleSet;
  only?: readonly string[];
  enable?: readonly string[];
  disable?: readonly string[];
  severities?: Readonly<Record<string, Severity>>;
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

/** A rule and where it comes from: `built-in`, `plugin <path>` or `config <path>` (a declarative rule). */
export interface LoadedRule {
  rule: AnyRule;
  origin: string;
}

/**
 * Loads the rules of each module: the built-in list (`builtinRules`), or a plugin's default export (one rule
 * or an array) or `rules` export; then compiles the config's declarative rules. Every rule is checked as
 * defineRule checks it, and no two rules may share an id; a plugin or declarative rule that fails any of
 * this stops the run with a one-line error naming the plugin or the config key.
 */
export async function loadRuleSources(modules: readonly string[], declarative?: DeclarativeRuleSet): Promise<LoadedRule[]> {
  const loaded: LoadedRule[] = [];
  const owner = new Map<string, string>();
  const claim = (rule: AnyRule, name: string, where: string) => {
    const taken = owner.get(rule.meta.id);
    if (taken !== undefined) {
      throw new ConfigError(`${where}: rule id '${rule.meta.id}' is already taken by the ${taken}`, { hint: 'give the rule an id of its own' });
    }
    owner.set(rule.meta.id, name);
  };
  for (const url of modules) {
    const builtin = url === BUILTIN_RULES;
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    const name = builtin ? 'built-in rules' : `plugin ${path}`;
    let module: { builtinRules?: readonly AnyRule[]; rules?: readonly AnyRule[]; default?: AnyRule | readonly AnyRule[] };
    try {
      module = (await import(url)) as typeof module;
    } catch (error) {
      throw new ConfigError(`${name} cannot be loaded: ${(error as Error).message.split('\n')[0]}`, {
        hint: 'a plugin is an ES module (.js or .mjs) whose default export is a rule made with defineRule',
        cause: error,
      });
    }
    const exported = module.builtinRules ?? module.rules ?? module.default;
    const found = exported === undefined ? [] : Array.isArray(exported) ? exported : [exported as AnyRule];
    if (found.length === 0) throw new ConfigError(`${name} exports no rules`, { hint: 'export default defineRule({ meta, create })' });
    for (const rule of found) {
      try {
        // The built-in rules' schemas are held against their defaults by their tests (see defineRule).
        if (!builtin) validateRule(rule);
      } catch (error) {
        throw new ConfigError(`${name}: ${(error as Error).message}`, { cause: error });
      }
      claim(rule, name, name);
      loaded.push({ rule, origin: builtin ? 'built-in' : name });
    }
  }
  if (declarative !== undefined) {
    const origin = `config ${declarative.file}`;
    compileDeclarativeRules(declarative).forEach((rule, index) => {
      claim(rule, `declarative rules of ${origin}`, `${origin}: config.${DECLARATIVE_RULES_KEY}.${index}.id`);
      loaded.push({ rule, origin });
    });
  }
  return loaded;
}

/** The rules of loadRuleSources, without where they come from. */
export async function loadRules(modules: readonly string[], declarative?: DeclarativeRuleSet): Promise<AnyRule[]> {
  return (await loadRuleSources(modules, declarative)).map(({ rule }) => rule);
}

/**
 * Builds the engine: calendar (time zone, holidays), rule plan (options checked against their schemas),
 * mapping readers. Throws ConfigError on bad settings, before anything is read.
 */
export async function buildEngine(settings: EngineSettings): Promise<Engine> {
  const rules = await loadRules(settings.ruleModules, settings.declarativeRules);
  const calendar = new Calendar({ timezone: settings.timezone, holidays: settings.holidays, known: settings.holidayTable });
  const plan = planRules(rules, {
    only: settings.only,
    enable: settings.enable,
    disable: settings.disable,
    severities: settings.severities,
    options: settings.ruleOptions,
    // A caseload crosses to a worker as plain columns.
    reference: { ...settings.reference, cases: Caseload.revive(settings.reference.cases) },
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
