/** The built-in rules, in the order they are listed and run. Each file in this folder is named by its id. */
import type { AnyRule } from '../src/rule-api/index.js';
import bulkLookups from './bulk-lookups.js';
import colleagueLookup from './colleague-lookup.js';
import inactiveAccount from './inactive-account.js';
import invalidBsn from './invalid-bsn.js';
import noCaseLink from './no-case-link.js';
import offHours from './off-hours.js';
import rolePageMismatch from './role-page-mismatch.js';
import selfLookup from './self-lookup.js';
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
];
