/**
 * The public rule API: everything a rule (built-in or plugin) may import. Rules never reach into the
 * engine, the inputs or the outputs.
 */
export { defineRule } from './define.js';
export { testRule } from './tester.js';
export type { ExpectedFinding, InvalidCase, RuleTestCases, RuleTestSettings, TestLookup, ValidCase } from './tester.js';
export { eventCount, forEachBurst, valueCount, type BurstSearch, type WindowMeasure } from './bursts.js';
export { BsnTable } from './bsn-table.js';
export { forEachCasePeriod } from './case-periods.js';
export { bsnNumber, isBsnKey, isTestBsn, isValidBsn, maskBsn, normaliseBsn } from './bsn.js';
export { dutchNumber, functionRoleOf, isFunctionRole, lowerFunctionRole, peerBaselines, periodName, type Baseline } from './peers.js';
export { comesBefore, Numbering, packPosition, stringIndexer, unpackPosition } from './position.js';
/** How many evidence lines a finding keeps: a windowed rule need not build more. */
export { EVIDENCE_LIMIT } from './runner.js';
export { employedOn, registerRowFor, registerRowOn } from './register.js';
export {
  appendTimed,
  compactTimed,
  joinedTimed,
  mergeTimed,
  timedLookups,
  tagTimeOrder,
  timedWindow,
  timeOrder,
  type TagKind,
  type TimedLookups,
  type TimedPart,
} from './timed.js';
export { parseTimespan, TIMESPAN_SCHEMA } from './timespan.js';
export { SEVERITIES, severityRank } from './types.js';
export type {
  AnyRule,
  CasePeriod,
  CasePeriodVisitor,
  EvidenceRef,
  Finding,
  Hit,
  Layout,
  Lookup,
  ReferenceData,
  ReferenceKind,
  RegisteredUser,
  RuleBasis,
  RuleContext,
  RuleDefinition,
  RuleHooks,
  RuleMeta,
  Severity,
  WindowFinding,
  WindowHooks,
} from './types.js';
export type { Calendar, LocalParts } from '../time/calendar.js';
export { CLOCK_SCHEMA, formatDay, minutesOfClock } from '../time/civil.js';
