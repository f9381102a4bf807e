import { describe, expect, it } from 'vitest';
import { bsnNumber, isTestBsn, isValidBsn, maskBsn, normaliseBsn } from '../../src/rule-api/bsn.js';

const VALID = ['111222333', '249566758', '111111110', '683938861', '999998523', '999993653'];

describe('isValidBsn', () => {
  it.each(VALID)('accepts %s (DOMAIN.md)', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });

  it('refuses 000000000, whose sum is 0', () => {
    expect(isValidBsn('000000000')).toBe(false);
  });

  it('refuses every one-digit change of every valid example', () => {
    const accepted: string[] = [];
    for (const bsn of VALID) {
      for (let position = 0; position < 9; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === bsn[position]) continue;
          const changed = bsn.slice(0, position) + digit + bsn.slice(position + 1);
          if (isValidBsn(changed)) accepted.push(changed);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each(['11122233', '1112223330', '11122233a', ' 111222333', '', '-11222333'])('refuses %j, which is not nine digits', (text) => {
    expect(isValidBsn(text)).toBe(false);
  });

  it('uses −1 for the last digit: 111222333 with the last weight +1 would fail', () => {
    // 9·1+8·1+7·1+6·2+5·2+4·2+3·3+2·3 = 69; 69 − 3 = 66 = 6·11, while 69 + 3 = 72 is not divisible by 11
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('012345672')).toBe(true);
    expect(isValidBsn('012345671')).toBe(false);
  });
});

describe('normaliseBsn', () => {
  const table: Array<[string, string | null]> = [
    ['111222333', '111222333'],
    ['12345672', '012345672'],
    ['1234567', '001234567'],
    [' 111222333 ', '111222333'],
    ['000000000', '000000000'],
    ['1112223330', null],
    ['111 222 333', null],
    ['111.222.333', null],
    ['', null],
    ['bsn', null],
    ['-1', null],
  ];
  it.each(table)('%j → %j', (text, expected) => {
    expect(normaliseBsn(text)).toBe(expected);
  });
});

describe('maskBsn and isTestBsn', () => {
  it('masks all but the last four digits', () => {
    expect(maskBsn('768510338')).toBe('*****0338');
    expect(maskBsn('012345672')).toBe('*****5672');
  });

  it('knows the 9999 test range', () => {
    expect(['999998523', '999993653', '111222333', '099999999'].map(isTestBsn)).toEqual([true, true, false, false]);
  });
});

describe('bsnNumber', () => {
  it('reads the number a parser kept, without looking at the text again', () => {
    expect(bsnNumber({ bsn: '012345678', bsnNumber: 12345678 })).toBe(12345678);
    // Only the kept number is read: a lookup made by a parser carries both, always the same (see lookupOf).
    expect(bsnNumber({ bsn: '012345678', bsnNumber: 7 })).toBe(7);
  });

  it('reads the text of a lookup made elsewhere (testRule, a plugin), -1 without BSN', () => {
    expect(bsnNumber({ bsn: '012345678' })).toBe(12345678);
    expect(bsnNumber({ bsn: '999993653' })).toBe(999993653);
    expect(bsnNumber({ bsn: null })).toBe(-1);
    expect(bsnNumber({ bsn: null, bsnNumber: -1 })).toBe(-1);
  });
});
