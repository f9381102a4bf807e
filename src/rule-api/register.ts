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
