import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { ENCODING_CHOICES } from './input/encoding.js';
import { assertValid } from './rule-api/schema.js';
import { SUPPRESSION_SCHEMA, type Suppression } from './output/suppressions.js';
import {
  DECLARATIVE_RULE_SCHEMA,
  DECLARATIVE_RULES_KEY,
  type DeclarativeRuleSet,
  type DeclarativeRuleSpec,
} from './rule-api/declarative.js';
import { SEVERITIES, type AnyRule, type Severity } from './rule-api/types.js';

/**
 * The config file (`--config suwinet-audit.config.json`): the analyze options under their command-line names
 * (camelCase), plus per rule `enabled`, `severity` and `options`, suppressions, and declarative rules.
 * Defaults < file < command line. Paths are relative to the file's folder.
 */
export interface ConfigRule {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export type Config = Record<string, unknown> & {
  rules?: Record<string, ConfigRule>;
  suppressions?: Suppression[];
  [DECLARATIVE_RULES_KEY]?: DeclarativeRuleSpec[];
};

const TEXT = { type: 'string', minLength: 1 };
const TEXTS = { type: 'array', items: TEXT };

/** The options a config file may set, with their types: the same names as `analyze`'s options. */
const SETTINGS = {
  format: { enum: ['auto', 'classic', 'v5', 'csv', 'ndjson', 'json'] },
  encoding: { enum: ENCODING_CHOICES },
  mapping: TEXT,
  cases: TEXT,
  users: TEXT,
  authz: TEXT,
  watchlist: TEXT,
  hashKeyFile: TEXT,
  period: { enum: ['month', 'run'] },
  timezone: TEXT,
  holiday: TEXTS,
  workday: TEXTS,
  plugin: TEXTS,
  failOn: { enum: [...SEVERITIES, 'never'] },
  maxRejectRate: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  chunkSize: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  workers: { type: 'integer', minimum: 0, maximum: 64 },
  csvDelimiter: { enum: [';', ',', '\t', '|'] },
  bsn: { enum: ['masked', 'full', 'hashed'] },
  lang: { enum: ['nl', 'en'] },
  umask: { type: 'string', pattern: '^0?[0-7]{3}$' },
  register: TEXT,
} as const;

/** Options whose values are file paths, resolved against the config file's folder. */
const PATHS = new Set(['mapping', 'cases', 'users', 'authz', 'watchlist', 'hashKeyFile', 'register']);

export const CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    ...SETTINGS,
    suppressions: { type: 'array', items: SUPPRESSION_SCHEMA },
    [DECLARATIVE_RULES_KEY]: { type: 'array', items: DECLARATIVE_RULE_SCHEMA },
    rules: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          enabled: { type: 'boolean' },
          severity: { enum: [...SEVERITIES] },
          options: { type: 'object' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export function loadConfig(path: string): Config {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`config ${path}: ${(error as Error).message}`, { hint: 'the config is a JSON file; suwinet-audit init writes a starter' });
  }
  assertValid(CONFIG_SCHEMA, parsed, `config ${path}`, 'config');
  const config = parsed as Config;
  const folder = dirname(path);
  for (const key of Object.keys(config)) {
    if (PATHS.has(key)) config[key] = resolve(folder, String(config[key]));
    if (key === 'plugin') config[key] = (config[key] as string[]).map((plugin) => resolve(folder, plugin));
  }
  return config;
}

/**
 * Lays the config under the command line: every option the command line did not set takes the config's
 * value. `given(name)` tells whether the command line set an option.
 */
export function applyConfig(options: Record<string, unknown>, config: Config, given: (name: string) => boolean): void {
  for (const key of Object.keys(SETTINGS)) {
    if (config[key] === undefined || given(key)) continue;
    const value = config[key];
    options[key] = typeof value === 'number' ? String(value) : value;
  }
}

/** The rules section: enabled opt-in rules, switched-off rules, severities, and options under the command line's. */
export function ruleSettingsOf(
  config: Config | undefined,
  commandLine: Record<string, Record<string, unknown>>,
): { enable: string[]; disable: string[]; severities: Record<string, Severity>; ruleOptions: Record<string, Record<string, unknown>> } {
  const result = { enable: [] as string[], disable: [] as string[], severities: {} as Record<string, Severity>, ruleOptions: {} as Record<string, Record<string, unknown>> };
  for (const [id, rule] of Object.entries(config?.rules ?? {})) {
    if (rule.enabled === true) result.enable.push(id);
    if (rule.enabled === false) result.disable.push(id);
    if (rule.severity) result.severities[id] = rule.severity;
    if (rule.options) result.ruleOptions[id] = { ...rule.options };
  }
  for (const [id, options] of Object.entries(commandLine)) result.ruleOptions[id] = { ...result.ruleOptions[id], ...options };
  return result;
}

/** The config's declarative rules with the file they come from, for the engine (undefined without config). */
export function declarativeRuleSetOf(config: Config | undefined, path: string | undefined): DeclarativeRuleSet | undefined {
  if (config === undefined || path === undefined) return undefined;
  return { file: path, rules: config[DECLARATIVE_RULES_KEY] ?? [] };
}

/** A starter config with every default, for `suwinet-audit init` and `config --print`. */
export function defaultConfig(rules: readonly AnyRule[]): Config {
  return {
    $comment:
      'suwinet-audit settings; every key is an analyze option (see the README, "Configuration"). The command line wins over this file. ' +
      'declarativeRules holds checks of your own without code (README, "Declarative rules").',
    format: 'auto',
    encoding: 'auto',
    timezone: 'Europe/Amsterdam',
    period: 'month',
    holiday: [],
    workday: [],
    plugin: [],
    failOn: 'high',
    maxRejectRate: '1%',
    csvDelimiter: ';',
    bsn: 'masked',
    lang: 'nl',
    umask: '077',
    suppressions: [],
    [DECLARATIVE_RULES_KEY]: [],
    rules: Object.fromEntries(
      rules.map((rule) => [rule.meta.id, { enabled: !rule.meta.optIn, severity: rule.meta.severity, options: rule.meta.options.defaults }]),
    ),
  };
}

/** Defaults overlaid with a config file: what `config --print` shows. */
export function effectiveConfig(rules: readonly AnyRule[], config: Config | undefined): Config {
  const effective = defaultConfig(rules);
  delete effective['$comment'];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (key === 'rules' || key === 'suppressions' || key.startsWith('$')) continue;
    effective[key] = value;
  }
  const effectiveRules = effective.rules!;
  if (config?.suppressions) effective.suppressions = config.suppressions;
  for (const [id, rule] of Object.entries(config?.rules ?? {})) {
    const base = effectiveRules[id] ?? {};
    effectiveRules[id] = { ...base, ...rule, options: { ...(base.options ?? {}), ...(rule.options ?? {}) } };
  }
  return effective;
}
