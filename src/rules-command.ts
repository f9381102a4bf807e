import type { AnyRule } from './rule-api/types.js';

/** `suwinet-audit rules`: one block per rule, readable on a terminal. */
export function rulesTable(rules: readonly AnyRule[]): string {
  return rules
    .map(({ meta }) => {
      const options = Object.entries(meta.options.defaults as Record<string, unknown>)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(' ');
      const needs = meta.requires?.length ? `\n  needs:    ${meta.requires.join(', ')}` : '';
      return (
        `${meta.id} (${meta.severity}${meta.optIn ? ', opt-in: --enable' : ''})\n` +
        `  ${meta.title}: ${meta.description}\n` +
        `  basis:    ${meta.basis.kind}, ${meta.basis.reference}${needs}\n` +
        `  options:  ${options || '(none)'}\n`
      );
    })
    .join('\n');
}
