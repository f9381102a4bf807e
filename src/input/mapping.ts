import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { assertValid } from '../rule-api/schema.js';
import { compileTimestampPattern, epochParser, parseIsoTimestamp, type TimestampParser } from '../time/timestamp.js';
import { ZoneClock } from '../time/zone.js';
import type { Layout, Lookup } from '../rule-api/types.js';
import type { Encoding } from './encoding.js';
import { LookupRecord, bsnOf, orNull, parseSearchKeys, splitRoles } from './record.js';

/**
 * A column mapping for the layouts without a fixed shape (CSV with a header, NDJSON, a JSON array): for each
 * canonical field, the source column (CSV, case-insensitive) or JSON path (`medewerker.login`, `keys[0]`),
 * plus the time format and zone. This is how Inlezen application logs and future BKWI exports are read
 * without code changes.
 */
export interface Mapping {
  format?: 'csv' | 'ndjson' | 'json';
  delimiter?: ',' | ';' | '\t';
  fields: {
    /** One column, or several joined with a space (a date column and a time column). */
    time: string | string[];
    user: string;
    userName?: string;
    roles?: string;
    organisation?: string;
    chosenMunicipality?: string;
    page?: string;
    searchKeys?: string;
    bsn?: string;
    escapeReason?: string;
    session?: string;
  };
  time?: {
    /** `iso` (default), `epoch-s`, `epoch-ms`, or a pattern such as `dd-MM-yyyy HH:mm:ss`. */
    format?: string;
    /** Zone of times without an offset; defaults to the run's `--timezone`. */
    timezone?: string;
  };
}

const FIELD = { type: 'string', minLength: 1 };
export const MAPPING_SCHEMA = {
  type: 'object',
  required: ['fields'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    format: { enum: ['csv', 'ndjson', 'json'] },
    delimiter: { enum: [',', ';', '\t'] },
    fields: {
      type: 'object',
      required: ['time', 'user'],
      properties: {
        time: { oneOf: [FIELD, { type: 'array', items: FIELD, minItems: 1 }] },
        user: FIELD,
        userName: FIELD,
        roles: FIELD,
        organisation: FIELD,
        chosenMunicipality: FIELD,
        page: FIELD,
        searchKeys: FIELD,
        bsn: FIELD,
        escapeReason: FIELD,
        session: FIELD,
      },
      additionalProperties: false,
    },
    time: {
      type: 'object',
      properties: { format: { type: 'string', minLength: 1 }, timezone: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export function loadMapping(path: string): Mapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`mapping ${path}: ${(error as Error).message}`, {
      hint: 'the mapping is a JSON file; see "Reading other layouts" in the README',
    });
  }
  assertValid(MAPPING_SCHEMA, parsed, `mapping ${path}`, 'mapping');
  const mapping = parsed as Mapping;
  if (!mapping.fields.bsn && !mapping.fields.searchKeys) {
    throw new ConfigError(`mapping ${path}: fields needs bsn or searchKeys`, { hint: 'name the column that holds the BSN' });
  }
  return mapping;
}

type Getter = (record: Record<string, unknown>) => unknown;

/** CSV columns are matched case-insensitively on the whole name; JSON paths are split on dots and [n]. */
function getterFor(path: string, flat: boolean): Getter {
  if (flat) {
    const column = path.trim().toLowerCase();
    return (record) => record[column];
  }
  const steps = path.split(/\.|\[(\d+)\]/).filter((step) => step !== undefined && step !== '');
  return (record) => {
    let value: unknown = record;
    for (const step of steps) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[step];
    }
    return value;
  };
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Reads one record (a CSV row or a JSON value) of a file into a lookup, or the reason it cannot be read. */
export type RecordReader = (value: unknown, line: number) => Lookup | string;

/** Where the records of a reader come from. */
export interface RecordSource {
  layout: Layout;
  file: string;
  source: number;
  /** The file's character encoding (default UTF-8). */
  encoding?: Encoding;
}

/**
 * Compiles a mapping into a reader factory: for each file, a reader of its CSV records (`flat`, keys
 * lower-cased header names) or JSON values.
 */
export function createMappedReader(
  mapping: Mapping,
  runZone: string,
  flat: boolean,
): (origin: RecordSource) => RecordReader {
  const clock = new ZoneClock(mapping.time?.timezone ?? runZone);
  const format = mapping.time?.format ?? 'iso';
  let parseTime: TimestampParser;
  if (format === 'iso') parseTime = (value) => parseIsoTimestamp(value, clock);
  else if (format === 'epoch-s' || format === 'epoch-ms') parseTime = epochParser(format);
  else {
    const compiled = compileTimestampPattern(format, clock);
    if (typeof compiled !== 'function') {
      throw new ConfigError(`mapping time.format '${format}': ${compiled.reason}`, {
        hint: "use 'iso', 'epoch-s', 'epoch-ms' or a pattern of yyyy M MM d dd H HH mm ss SSS such as 'dd-MM-yyyy HH:mm:ss'",
      });
    }
    parseTime = compiled;
  }
  const { fields } = mapping;
  const timeGetters = (Array.isArray(fields.time) ? fields.time : [fields.time]).map((path) => getterFor(path, flat));
  const optional = (path: string | undefined): Getter => (path === undefined ? () => undefined : getterFor(path, flat));
  const get = {
    user: getterFor(fields.user, flat),
    userName: optional(fields.userName),
    roles: optional(fields.roles),
    organisation: optional(fields.organisation),
    chosenMunicipality: optional(fields.chosenMunicipality),
    page: optional(fields.page),
    searchKeys: optional(fields.searchKeys),
    bsn: optional(fields.bsn),
    escapeReason: optional(fields.escapeReason),
    session: optional(fields.session),
  };
  const timeName = Array.isArray(fields.time) ? fields.time.join('+') : fields.time;

  return (origin) => (value, line) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'record is not an object';
    const record = value as Record<string, unknown>;
    const timeParts = timeGetters.map((getter) => text(getter(record)));
    if (timeParts.some((part) => part === null)) return `time field '${timeName}' is missing`;
    const timeText = timeParts.join(' ');
    const time = parseTime(timeText);
    if (time === null) return `time '${timeText}' does not match format '${format}'`;
    const user = text(get.user(record));
    if (user === null) return `user field '${fields.user}' is missing`;

    const rawKeys = get.searchKeys(record);
    let searchKeys: Record<string, string>;
    if (rawKeys !== null && typeof rawKeys === 'object' && !Array.isArray(rawKeys)) {
      searchKeys = {};
      for (const [name, keyValue] of Object.entries(rawKeys)) searchKeys[name] = text(keyValue) ?? '';
    } else {
      searchKeys = parseSearchKeys(text(rawKeys) ?? '');
    }
    // An explicit BSN column wins over a `bsn` search key.
    const bsn = text(get.bsn(record));
    if (bsn !== null) searchKeys = { ...searchKeys, bsn };

    const rawRoles = get.roles(record);
    const roles = Array.isArray(rawRoles)
      ? rawRoles.map((role) => text(role)).filter((role): role is string => role !== null)
      : splitRoles(text(rawRoles) ?? '');
    return new LookupRecord(
      time,
      user,
      text(get.userName(record)),
      roles,
      text(get.organisation(record)),
      text(get.chosenMunicipality(record)),
      text(get.page(record)),
      searchKeys,
      bsnOf(searchKeys),
      orNull(text(get.escapeReason(record)) ?? undefined),
      text(get.session(record)),
      origin.layout,
      origin.file,
      line,
      origin.source,
    );
  };
}
