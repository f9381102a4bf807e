import { randomInt } from 'node:crypto';
import { UsageError } from './errors.js';
import { SEVERITIES, type AnyRule, type Severity } from './rule-api/types.js';

/** Command-line values → typed settings, each with a one-line error naming the option. */

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const SIZE_FACTOR: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `65536`, `64KiB`, `4MiB`, `4M` → bytes. */
export function parseSize(text: string, option: string, max = Infinity): number {
  const match = SIZE.exec(text.trim());
  const unit = (match?.[2] ?? 'b').toLowerCase()[0]!;
  const bytes = match ? Math.floor(Number(match[1]) * SIZE_FACTOR[unit]!) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1024 || bytes > max) {
    const range = max === Infinity ? 'at least 1 KiB' : `from 1 KiB to ${max / (1 << 20)} MiB`;
    throw new UsageError(`${option} '${text}' is not a size ${range}`, { hint: 'for example 64KiB or 4MiB' });
  }
  return bytes;
}

/** `1%` or `0.01` → 0.01. */
export function parseRate(text: string, option: string): number {
  const trimmed = text.trim();
  const value = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${option} '${text}' is not a rate between 0 and 1`, { hint: 'for example 1% or 0.01' });
  }
  return value;
}

/** `--workers`: a whole number from 0 (main thread only) to 64. */
export function parseWorkers(text: string): number | 'auto' {
  if (text.trim() === 'auto') return 'auto';
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 64) {
    throw new UsageError(`--workers '${text}' is not a number of threads from 0 to 64, nor auto`, { hint: 'for example --workers 2' });
  }
  return value;
}

/** `--umask 027` → 0o027; the owner always keeps read and write. */
export function parseUmask(text: string): number {
  const value = /^0?[0-7]{3}$/.test(text.trim()) ? Number.parseInt(text.trim(), 8) : NaN;
  if (Number.isNaN(value) || (value & 0o600) !== 0) {
    throw new UsageError(`--umask '${text}' is not an octal umask that leaves the owner read and write`, { hint: 'for example 027 (group may read) or 077 (owner only)' });
  }
  return value;
}

/** `--sample n [--seed s]`: a positive size, and a seed (a random one when not given). */
export function parseSample(size: string | undefined, seed: string | undefined): { size: number; seed: number } | undefined {
  if (size === undefined) {
    if (seed !== undefined) throw new UsageError('--seed needs --sample', { hint: 'for example --sample 50 --seed 2026' });
    return undefined;
  }
  if (!/^\d+$/.test(size.trim()) || Number(size) < 1) throw new UsageError(`--sample '${size}' is not a positive number`, { hint: 'for example --sample 50' });
  if (seed !== undefined && !/^\d{1,9}$/.test(seed.trim())) throw new UsageError(`--seed '${seed}' is not a whole number below 10^9`);
  return { size: Number(size), seed: seed === undefined ? randomInt(1_000_000_000) : Number(seed) };
}

export type FailOn = Severity | 'never';

export function parseFailOn(text: string): FailOn {
  if (text === 'never' || (SEVERITIES as readonly string[]).includes(text)) return text as FailOn;
  throw new UsageError(`--fail-on '${text}' is not a severity`, { hint: `use one of ${SEVERITIES.join(', ')}, never` });
}

export function parseRuleList(text: string): string[] {
  return text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

interface PropertySchema {
  type?: string;
  items?: PropertySchema;
}

function coerce(text: string, schema: PropertySchema | undefined): unknown {
  const trimmed = text.trim();
  switch (schema?.type) {
    case 'integer':
    case 'number':
      return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : text;
    case 'array':
      if (trimmed.startsWith('[')) return parseJson(trimmed);
      return trimmed === '' ? [] : trimmed.split(',').map((item) => coerce(item, schema.items));
    case 'object':
      return parseJson(trimmed);
    default:
      return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `--rule-option id.key=value` (repeatable) → options per rule. Values are read as the option's schema
 * type: numbers, `true`/`false`, comma-separated lists, JSON for objects. Validation against the schema
 * happens when the rules are planned.
 */
export function parseRuleOptions(
  entries: readonly string[],
  rules: readonly AnyRule[],
): Record<string, Record<string, unknown>> {
  const options: Record<string, Record<string, unknown>> = {};
  for (const entry of entries) {
    const match = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(entry);
    if (!match) {
      throw new UsageError(`--rule-option '${entry}' is not id.key=value`, { hint: 'for example off-hours.dayEnd=18:00' });
    }
    const [, id, key, value] = match as unknown as [string, string, string, string];
    const rule = rules.find((candidate) => candidate.meta.id === id);
    if (!rule) {
      throw new UsageError(`--rule-option '${entry}': unknown rule '${id}'`, {
        hint: `known rules: ${rules.map((candidate) => candidate.meta.id).join(', ')}`,
      });
    }
    const properties = (rule.meta.options.schema['properties'] ?? {}) as Record<string, PropertySchema>;
    (options[id] ??= {})[key] = coerce(value, properties[key]);
  }
  return options;
}
