import type { LoadedRule } from './engine/setup.js';
import { assertKnownRuleIds, resolveOptions, selectionSkipReason } from './rule-api/runner.js';
import type { AnyRule, Severity } from './rule-api/types.js';

/** The rule settings of a config file (see ruleSettingsOf). */
export interface ListedSettings {
  enable: readonly string[];
  disable: readonly string[];
  severities: Readonly<Record<string, Severity>>;
  ruleOptions: Readonly<Record<string, Record<string, unknown>>>;
}

/** A rule as `suwinet-audit rules` lists it: where it comes from and the settings it would run with. */
export interface RuleListing {
  rule: AnyRule;
  origin: string;
  /** Why the settings leave it out (switched off, opt-in), or null when it runs (given its reference data). */
  off: string | null;
  severity: Severity;
  /** The defaults with the config's options laid over them, checked against the rule's schema. */
  options: Record<string, unknown>;
}

/** Every rule with its effective settings, decided as `analyze` decides them. */
export function listRules(loaded: readonly LoadedRule[], settings: ListedSettings): RuleListing[] {
  assertKnownRuleIds(
    loaded.map(({ rule }) => rule),
    { enable: settings.enable, disable: settings.disable, severities: settings.severities, options: settings.ruleOptions },
  );
  return loaded.map(({ rule, origin }) => ({
    rule,
    origin,
    off: selectionSkipReason(rule, settings),
    severity: settings.severities[rule.meta.id] ?? rule.meta.severity,
    options: resolveOptions(rule, settings.ruleOptions[rule.meta.id]),
  }));
}

/** `suwinet-audit rules`: one block per rule, readable on a terminal; settings that differ name the default. */
export function rulesTable(listings: readonly RuleListing[]): string {
  return listings
    .map(({ rule: { meta }, origin, off, severity, options }) => {
      const defaults = meta.options.defaults as Record<string, unknown>;
      const optionText = Object.entries(options)
        .map(([key, value]) => {
          const text = `${key}=${JSON.stringify(value)}`;
          const fallback = JSON.stringify(defaults[key]);
          return fallback === JSON.stringify(value) ? text : `${text} (default ${fallback ?? 'none'})`;
        })
        .join(' ');
      const needs = meta.requires?.length ? `\n  needs:    ${meta.requires.join(', ')}` : '';
      return (
        `${meta.id} (${severity}${severity === meta.severity ? '' : `, default ${meta.severity}`})\n` +
        `  ${meta.title}: ${meta.description}\n` +
        `  origin:   ${origin}\n` +
        `  enabled:  ${off === null ? 'yes' : `no, ${off}`}\n` +
        `  basis:    ${meta.basis.kind}, ${meta.basis.reference}${needs}\n` +
        `  options:  ${optionText || '(none)'}\n`
      );
    })
    .join('\n');
}

/** `suwinet-audit rules --json`: each rule's metadata, with its origin and effective settings. */
export function rulesJson(listings: readonly RuleListing[]): string {
  const rules = listings.map(({ rule, origin, off, severity, options }) => ({
    ...rule.meta,
    origin,
    enabled: off === null,
    ...(off === null ? {} : { reason: off }),
    effective: { severity, options },
  }));
  return JSON.stringify(rules, null, 2) + '\n';
}
