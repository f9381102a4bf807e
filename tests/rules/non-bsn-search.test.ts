import { describe, it } from 'vitest';
import nonBsnSearch from '../../rules/non-bsn-search.js';
import { testRule, type ReferenceData, type RegisteredUser, type TestLookup } from '../../src/rule-api/index.js';

const START = Date.parse('2026-04-01T06:00:00Z');
const POSTCODE = { Postcode: '5346AB', Huisnummer: '4' };
const NAME = { Geslachtsnaam: 'Jansen', Geboortedatum: '1980-02-01' };
const PLATE = { Kenteken: '12-ABC-3' };

let line = 0;
/** `count` lookups by `user`, a minute apart from `start`: searches with `keys`, or BSN lookups when none. */
function lookups(user: string, count: number, keys?: Record<string, string>, role = 'FR0999001', start = START): TestLookup[] {
  return Array.from({ length: count }, (_, index) => ({
    time: start + index * 60_000,
    user,
    roles: ['BASIS_GSD', role, 'R1'],
    ...(keys === undefined ? { bsn: '111222333' } : { searchKeys: keys }),
    line: ++line,
  }));
}

/** Three colleagues who work by BSN only. */
const peers = (role = 'FR0999001') => ['b', 'c', 'd'].flatMap((user) => lookups(user, 5, undefined, role));

function register(teams: Record<string, string>): ReferenceData {
  const users = new Map<string, RegisteredUser[]>();
  for (const [login, team] of Object.entries(teams)) {
    users.set(login, [{ login, name: null, team, roles: [], start: null, end: null, bsn: null }]);
  }
  return { users };
}

describe('non-bsn-search', () => {
  it('reports users who search without a BSN far more than their peers, once per period', () => {
    testRule(nonBsnSearch, {
      valid: [
        { name: 'BSN lookups only', lookups: [...lookups('a', 40), ...peers()] },
        { name: '19 searches, below minCount', lookups: [...lookups('a', 19, POSTCODE), ...peers()] },
        {
          name: 'the whole team searches by postcode (Burgerzaken)',
          lookups: [...lookups('a', 30, POSTCODE), ...['b', 'c', 'd'].flatMap((user) => lookups(user, 12, POSTCODE))],
        },
        {
          name: 'empty keys, empty values and a malformed BSN are not searches without a BSN',
          lookups: [
            ...lookups('a', 10, {}),
            ...lookups('a', 10, { Postcode: '' }),
            ...lookups('a', 10, { bsn: 'onbekend' }),
            ...lookups('a', 10, { Burgerservicenummer: '12-34' }),
            ...peers(),
          ],
        },
      ],
      invalid: [
        {
          name: 'twenty searches by postcode, name and licence plate; the peers search none',
          lookups: [...lookups('a', 8, POSTCODE), ...lookups('a', 7, NAME), ...lookups('a', 5, PLATE), ...lookups('a', 30), ...peers()],
          findings: [
            {
              messageId: 'comparedWithRole',
              user: 'a',
              bsn: null,
              count: 20,
              data: {
                period: 'april 2026',
                keyTypes: 'Huisnummer, Postcode, Geboortedatum, Geslachtsnaam, Kenteken',
                role: 'FR0999001',
                peerCount: 3,
                peerMedian: '0',
                minCount: 20,
                factor: '3',
              },
            },
          ],
        },
        {
          name: 'key names are compared without regard to case',
          lookups: [...lookups('a', 10, { postcode: '5346AB' }), ...lookups('a', 10, { POSTCODE: '5346AB' }), ...peers()],
          findings: [{ messageId: 'comparedWithRole', count: 20, data: { keyTypes: 'Postcode' } }],
        },
        {
          name: 'peers by team from the register; the other team searches a lot',
          lookups: [
            ...lookups('a', 25, POSTCODE),
            ...peers(),
            ...['e', 'f', 'g', 'h'].flatMap((user) => lookups(user, 40, POSTCODE)),
          ],
          reference: register({ a: 'inkomen', b: 'inkomen', c: 'inkomen', d: 'inkomen', e: 'burgerzaken', f: 'burgerzaken', g: 'burgerzaken', h: 'burgerzaken' }),
          findings: [{ messageId: 'comparedWithTeam', user: 'a', count: 25, data: { team: 'inkomen', peerCount: 3, peerMedian: '0' } }],
        },
        {
          name: 'a function role of fewer than minPeers other users is compared with all users',
          lookups: [...lookups('a', 25, PLATE, 'FR0999002'), ...lookups('e', 5, PLATE, 'FR0999002'), ...peers('FR0999003')],
          findings: [{ messageId: 'comparedWithAll', user: 'a', data: { peerCount: 4, peerMedian: '0' } }],
        },
        {
          name: 'more than three times the peers\' median',
          lookups: [...lookups('a', 31, POSTCODE), ...['b', 'c', 'd'].flatMap((user) => lookups(user, 10, POSTCODE))],
          findings: [{ messageId: 'comparedWithRole', count: 31, data: { peerMedian: '10' } }],
        },
        {
          name: 'one finding per calendar month',
          lookups: [
            ...lookups('a', 20, POSTCODE),
            ...lookups('a', 20, POSTCODE, 'FR0999001', Date.parse('2026-05-04T06:00:00Z')),
            ...peers(),
            ...lookups('e', 1, undefined, 'FR0999002', Date.parse('2026-05-04T06:00:00Z')),
          ],
          findings: [
            { messageId: 'comparedWithRole', count: 20, data: { period: 'april 2026', role: 'FR0999001', peerCount: 3 } },
            { messageId: 'comparedWithAll', count: 20, data: { period: 'mei 2026', peerCount: 1 } },
          ],
        },
        {
          name: 'lower thresholds',
          lookups: [...lookups('a', 5, NAME), ...peers()],
          options: { minCount: 5, factor: 1.5 },
          findings: [{ messageId: 'comparedWithRole', count: 5, data: { minCount: 5, factor: '1,5' } }],
        },
      ],
    });
  });
});
