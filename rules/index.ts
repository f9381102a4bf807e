/** The built-in rules, in the order they are listed and run. Each file in this folder is named by its id. */
import type { AnyRule } from '../src/rule-api/index.js';
import bulkLookups from './bulk-lookups.js';
import colleagueLookup from './colleague-lookup.js';
import concurrentSessions from './concurrent-sessions.js';
import inactiveAccount from './inactive-account.js';
import invalidBsn from './invalid-bsn.js';
import noCaseLink from './no-case-link.js';
import nonBsnSearch from './non-bsn-search.js';
import offHours from './off-hours.js';
import otherTeamCase from './other-team-case.js';
import popularBsn from './popular-bsn.js';
import rolePageMismatch from './role-page-mismatch.js';
import selfLookup from './self-lookup.js';
import volumeOutlier from './volume-outlier.js';
import watchlist from './watchlist.js';
import whitelistEscape from './whitelist-escape.js';

export const builtinRules: readonly AnyRule[] = [
  noCaseLink,
  offHours,
  bulkLookups,
  whitelistEscape,
  selfLookup,
  colleagueLookup,
  watchlist,
  invalidBsn,
  rolePageMismatch,
  inactiveAccount,
  nonBsnSearch,
  popularBsn,
  volumeOutlier,
  concurrentSessions,
  otherTeamCase,
];
