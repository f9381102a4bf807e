import { describe, expect, it } from 'vitest';
import { findingId } from '../../src/rule-api/runner.js';

/** What Excel and LibreOffice read as a number when they open a CSV: digits, or digits around one `e`. */
const SPREADSHEET_NUMBER = /^[\d.,]+(e[+-]?\d+)?$/i;

describe('findingId', () => {
  it('is stable, and differs when rule, user, BSN or start differ', () => {
    const id = findingId('off-hours', 'u1', '111222333', 1_775_000_000_000);
    expect(findingId('off-hours', 'u1', '111222333', 1_775_000_000_000)).toBe(id);
    expect(new Set([
      id,
      findingId('no-case-link', 'u1', '111222333', 1_775_000_000_000),
      findingId('off-hours', 'u2', '111222333', 1_775_000_000_000),
      findingId('off-hours', 'u1', null, 1_775_000_000_000),
      findingId('off-hours', 'u1', '111222333', 1_775_000_000_001),
    ]).size).toBe(5);
  });

  it('never looks like a number to a spreadsheet (a plain hex id does, about once in a thousand)', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => findingId('bulk-lookups', `user${index % 97}`, null, index * 60_000));
    expect(ids.every((id) => /^f[0-9a-f]{15}$/.test(id))).toBe(true);
    expect(ids.filter((id) => SPREADSHEET_NUMBER.test(id))).toEqual([]);
    // The same ids without their letter: what the test would have caught before.
    expect(ids.map((id) => id.slice(1)).filter((id) => SPREADSHEET_NUMBER.test(id)).length).toBeGreaterThan(0);
  });
});
