import { describe, expect, it } from 'vitest';
import { functionRoleOf, lowerFunctionRole } from '../../src/rule-api/index.js';

describe('function roles', () => {
  it.each([
    [['BASIS_GSD', 'FR0999003', 'R1'], 'FR0999003'],
    [['FR0999004', 'FR0999001', 'R1'], 'FR0999001'],
    [['BASIS_GSD', 'R1', 'FR'], ''],
    [['FR12a', 'XFR1'], ''],
    [[], ''],
  ])('the lowest function role of %j is %j', (roles, lowest) => {
    expect(functionRoleOf(roles)).toBe(lowest);
    // Remembered per list: asked again, the same list gives the same answer.
    expect(functionRoleOf(roles)).toBe(lowest);
  });

  it.each([
    ['', '', ''],
    ['', 'FR2', 'FR2'],
    ['FR2', '', 'FR2'],
    ['FR2', 'FR1', 'FR1'],
    ['FR1', 'FR2', 'FR1'],
  ])('the lower of %j and %j is %j', (role, other, lower) => {
    expect(lowerFunctionRole(role, other)).toBe(lower);
  });
});
