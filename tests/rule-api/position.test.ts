import { describe, expect, it } from 'vitest';
import { comesBefore, Numbering, packPosition } from '../../src/rule-api/position.js';

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

describe('Numbering', () => {
  it('numbers keys in the order they first come, the same number each time after', () => {
    const numbering = new Numbering<string>();
    const numbers = ['b', 'a', 'b', 'c', 'a', 'b'].map((key) => numbering.numberOf(key));
    expect(numbers).toEqual([0, 1, 0, 2, 1, 0]);
    expect(numbering.keys).toEqual(['b', 'a', 'c']);
    expect([numbering.get('c'), numbering.get('d')]).toEqual([2, undefined]);
    // Asking does not number a key.
    expect(numbering.keys).toHaveLength(3);
  });

  it('numbers numbers as well, 0 included', () => {
    const numbering = new Numbering<number>();
    expect([0, 405992671, 0, 7].map((key) => numbering.numberOf(key))).toEqual([0, 1, 0, 2]);
  });
});
