import { describe, it } from 'vitest';
import concurrentSessions from '../../rules/concurrent-sessions.js';
import { testRule, type TestLookup } from '../../src/rule-api/index.js';

const START = Date.parse('2026-04-09T12:00:00Z');

/** Lookups by `user` in the given sessions, one per entry, at the given minutes after START. */
function lookups(pattern: Array<[string | null, number]>, user = 'u1', firstLine = 1): TestLookup[] {
  return pattern.map(([session, minute], index) => ({
    time: START + minute * 60_000,
    user,
    session,
    bsn: '111222333',
    line: firstLine + index,
  }));
}

describe('concurrent-sessions', () => {
  it('finds one login working in alternating sessions, once per episode', () => {
    testRule(concurrentSessions, {
      valid: [
        { name: 'one session all day', lookups: lookups([['A', 0], ['A', 1], ['A', 2], ['A', 90]]) },
        { name: 'a new session after a log-out never goes back', lookups: lookups([['A', 0], ['A', 3], ['B', 4], ['B', 6], ['C', 7]]) },
        { name: 'back to the first session, but only after the timespan', lookups: lookups([['A', 0], ['B', 4], ['A', 10]]) },
        { name: 'lookups without a session are not judged', lookups: lookups([['A', 0], [null, 1], ['A', 2], [null, 3]]) },
        {
          name: 'two logins, each in its own session',
          lookups: [...lookups([['A', 0], ['A', 2]], 'u1'), ...lookups([['B', 1], ['B', 3]], 'u2', 10)],
        },
      ],
      invalid: [
        {
          name: 'two sessions in turn within minutes',
          lookups: lookups([['A', 0], ['B', 1], ['A', 2], ['B', 3], ['A', 5]]),
          findings: [{ messageId: 'concurrent', user: 'u1', bsn: null, count: 5, data: { sessions: 2, timespan: '10m' } }],
        },
        {
          name: 'the episode runs from the first to the last interleaved lookup; three sessions',
          lookups: lookups([['A', 0], ['A', 30], ['B', 32], ['C', 33], ['A', 35], ['B', 36], ['C', 38], ['C', 70]]),
          findings: [{ messageId: 'concurrent', count: 6, data: { sessions: 3 } }],
        },
        {
          name: 'two episodes an hour apart',
          lookups: lookups([['A', 0], ['B', 1], ['A', 2], ['A', 60], ['B', 61], ['A', 62]]),
          findings: [
            { messageId: 'concurrent', count: 3 },
            { messageId: 'concurrent', count: 3 },
          ],
        },
        {
          name: 'nearby interleavings are one episode',
          lookups: lookups([['A', 0], ['B', 1], ['A', 2], ['A', 6], ['B', 9], ['A', 10]]),
          findings: [{ messageId: 'concurrent', count: 6 }],
        },
        {
          name: 'lines out of time order are sorted first',
          lookups: lookups([['A', 0], ['B', 1], ['A', 2]]).reverse(),
          findings: [{ messageId: 'concurrent', count: 3, data: { sessions: 2 } }],
        },
        {
          name: 'a wider timespan',
          lookups: lookups([['A', 0], ['B', 4], ['A', 10]]),
          options: { timespan: '15m' },
          findings: [{ messageId: 'concurrent', count: 3, data: { timespan: '15m' } }],
        },
      ],
    });
  });
});
