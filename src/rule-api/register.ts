import { parseDay } from '../time/civil.js';
import type { RegisteredUser } from './types.js';

/** Whether a user-register row's employment period holds a local day (a missing start or end is open). */
export function employedOn(row: RegisteredUser, day: number): boolean {
  return (row.start === null || row.start <= day) && (row.end === null || day <= row.end);
}

/**
 * The row of a login in the user register that is valid on a local day: of overlapping rows, the one that
 * started last. Null for an unknown login and for a day outside every employment period.
 */
export function registerRowOn(rows: readonly RegisteredUser[] | undefined, day: number): RegisteredUser | null {
  let found: RegisteredUser | null = null;
  for (const row of rows ?? []) {
    if (employedOn(row, day) && (found === null || (row.start ?? -Infinity) >= (found.start ?? -Infinity))) found = row;
  }
  return found;
}

/**
 * The register row that speaks for a login: the one valid on `day` when given and there is one, else the
 * latest (a departed account's last employment). Null for an unknown login. The worklists, the suppressions
 * and the report take an employee's team from it, so that a finding is filed under one team everywhere: the
 * team the employee was in when the lookups were made.
 */
export function registerRowFor(rows: readonly RegisteredUser[] | undefined, day?: number): RegisteredUser | null {
  const valid = day === undefined ? null : registerRowOn(rows, day);
  if (valid !== null) return valid;
  let latest: RegisteredUser | null = null;
  for (const row of rows ?? []) {
    if (latest === null || (row.start ?? -Infinity) >= (latest.start ?? -Infinity)) latest = row;
  }
  return latest;
}

/** The local day of a time written as ISO 8601 with its local offset (a finding's `from`). */
export function localDayOfIso(time: string): number {
  return parseDay(time.slice(0, 10))!;
}
