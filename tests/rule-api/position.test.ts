import { describe, expect, it } from 'vitest';
import { comesBefore, packPosition } from '../../src/rule-api/position.js';

describe('comesBefore', () => {
  // Two lookups kept as pairs (instant, position): the second pair starts at offset 2.
  const pairs = [1000, packPosition({ source: 0, line: 5 }), 2000, packPosition({ source: 1, line: 3 })];
  it.each([
    ['an earlier instant', 1999, packPosition({ source: 9, line: 9 }), true],
    ['a later instant', 2001, packPosition({ source: 0, line: 1 }), false],
    ['the same instant, an earlier file', 2000, packPosition({ source: 0, line: 99 }), true],
    ['the same instant and file, an earlier line', 2000, packPosition({ source: 1, line: 2 }), true],
    ['the same instant, file and line', 2000, packPosition({ source: 1, line: 3 }), false],
    ['the same instant and file, a later line', 2000, packPosition({ source: 1, line: 4 }), false],
  ])('%s', (_, instant, position, expected) => {
    expect(comesBefore(instant, position, pairs, 2)).toBe(expected);
  });
});
