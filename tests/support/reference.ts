import type { ReferenceData, RegisteredUser } from '../../src/rule-api/index.js';
import { parseDay } from '../../src/time/civil.js';

/** A user register for rule tables: rows of login, own BSN, start and end date (`YYYY-MM-DD`, end null = open). */
export function register(entries: Array<[login: string, bsn: string | null, start: string, end: string | null]>): ReferenceData {
  const users = new Map<string, RegisteredUser[]>();
  for (const [login, bsn, start, end] of entries) {
    const rows = users.get(login) ?? [];
    rows.push({ login, name: null, team: null, roles: [], start: parseDay(start), end: end === null ? null : parseDay(end), bsn });
    users.set(login, rows);
  }
  return { users };
}
