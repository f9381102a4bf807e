import { describe, expect, it } from 'vitest';
import { appendTimed, defineRule, testRule, timedWindow, unpackPosition } from '../../src/rule-api/index.js';
import { validateRule } from '../../src/rule-api/define.js';

const options = { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} };
const meta = {
  title: 'test',
  severity: 'low' as const,
  basis: { kind: 'heuristic' as const, reference: 'test' },
  description: 'test',
  options,
};

/** Reports every lookup of BSN 111222333. */
const perLookup = defineRule({
  meta: { ...meta, id: 'per-lookup', messages: { seen: '{{user}} zag {{citizen}} ({{label}})' } },
  create: () => ({
    lookup(lookup, report) {
      if (lookup.bsn === '111222333') report({ messageId: 'seen', data: { label: 'x' } });
    },
  }),
});

/** A windowed rule whose merge forgets the earlier state: its result depends on how the input is split. */
const splitDependent = defineRule<Record<string, never>, { count: number; first: number; refs: Array<{ source: number; line: number }> }>({
  meta: { ...meta, id: 'split-dependent', messages: { many: '{{count}} lookups' } },
  create: () => ({
    window: {
      key: (lookup) => lookup.user,
      init: () => ({ count: 0, first: 0, refs: [] }),
      add(state, lookup) {
        if (state.count === 0) state.first = lookup.time;
        state.count++;
        state.refs.push({ source: lookup.source, line: lookup.line });
      },
      merge(into, from) {
        into.count = Math.max(into.count, from.count);
      },
      finish(user, state, report) {
        if (state.count >= 2) {
          report({ messageId: 'many', user, bsn: null, from: state.first, to: state.first, count: state.count, evidence: state.refs });
        }
      },
    },
  }),
});

const lookup = { time: '2026-04-01T10:00:00', bsn: '111222333' };

describe('testRule', () => {
  it('passes a correct table', () => {
    expect(() =>
      testRule(perLookup, {
        valid: [{ lookups: [{ time: '2026-04-01T10:00:00', bsn: '249566758' }] }],
        invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen', data: { label: 'x' }, count: 1 }] }],
      }),
    ).not.toThrow();
  });

  it('fails when a valid case has a finding, or the count is wrong', () => {
    expect(() => testRule(perLookup, { valid: [{ lookups: [lookup] }], invalid: [] })).toThrow(/expected 0 finding/);
    expect(() =>
      testRule(perLookup, { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen', count: 2 }] }] }),
    ).toThrow(/count is 1, expected 2/);
  });

  it('fails on wrong data, unknown data keys and unknown message ids', () => {
    expect(() =>
      testRule(perLookup, { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen', data: { label: 'y' } }] }] }),
    ).toThrow(/data.label is "x", expected "y"/);
    expect(() =>
      testRule(perLookup, { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen', data: { other: 1 } }] }] }),
    ).toThrow(/not a placeholder/);
    expect(() => testRule(perLookup, { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'nope' }] }] })).toThrow(
      /unknown messageId/,
    );
  });

  it('refuses duplicate cases and invalid cases without findings', () => {
    expect(() => testRule(perLookup, { valid: [{ lookups: [{ time: '2026-04-01T10:00:00' }] }, { lookups: [{ time: '2026-04-01T10:00:00' }] }], invalid: [] })).toThrow(
      /duplicate/,
    );
    expect(() => testRule(perLookup, { valid: [], invalid: [{ lookups: [lookup], findings: [] }] })).toThrow(/at least one finding/);
  });

  it('catches a rule whose result depends on how the input is split', () => {
    expect(() =>
      testRule(splitDependent, {
        valid: [],
        invalid: [{ lookups: [lookup, lookup], findings: [{ messageId: 'many', count: 2 }] }],
      }),
    ).toThrow(/differ when the input is split/);
  });

  it('catches a warm hook that changes what the rule finds (the whole run is warmed, the split one not)', () => {
    const warmCounts = (changes: boolean) =>
      defineRule({
        meta: { ...meta, id: 'warm-counts', messages: { seen: 'seen {{label}}' } },
        create: () => {
          let warmed = 0;
          return {
            warm() {
              if (changes) warmed++;
            },
            lookup(_lookup, report) {
              report({ messageId: 'seen', data: { label: String(warmed) } });
            },
          };
        },
      });
    const cases = { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen', data: { label: '0' } }] }] };
    expect(() => testRule(warmCounts(false), cases)).not.toThrow();
    expect(() => testRule(warmCounts(true), cases)).toThrow(/differ when the input is split/);
  });

  it('catches a window whose `quiet` gap a finding spans: settled as the input is read, it finds otherwise', () => {
    /** All of a user's lookups of the run as one finding, but declared quiet after a minute. */
    const wronglyQuiet = (quiet: number) =>
      defineRule({
        meta: { ...meta, id: 'whole-run', messages: { all: '{{count}} lookups' } },
        create: () => ({
          window: timedWindow([], {
            key: (lookup) => lookup.user,
            add: (state, lookup) => appendTimed(state, lookup),
            finish(user, state, report) {
              const times = [...state.times.subarray(0, state.length)];
              const evidence = [...state.positions.subarray(0, state.length)].map(unpackPosition);
              report({ messageId: 'all', user, bsn: null, from: Math.min(...times), to: Math.max(...times), count: state.length, evidence });
            },
            quiet,
          }),
        }),
      });
    const cases = {
      valid: [],
      invalid: [
        {
          lookups: [{ time: '2026-04-14T09:00:00' }, { time: '2026-04-14T09:05:00' }, { time: '2026-04-14T11:00:00' }],
          findings: [{ messageId: 'all', count: 3 }],
        },
      ],
    };
    expect(() => testRule(wronglyQuiet(60_000), cases)).toThrow(/differ when lookups are settled as the input is read: does a finding span the window's `quiet` gap\?/);
    // Quiet longer than any gap of the case: nothing is settled apart, and the table passes.
    testRule(wronglyQuiet(3 * 3_600_000), cases);
  });

  it('catches a message placeholder that the rule leaves empty', () => {
    const unfilled = defineRule({
      meta: { ...meta, id: 'unfilled', messages: { seen: '{{user}} {{missing}}' } },
      create: () => ({ lookup: (_lookup, report) => report({ messageId: 'seen' }) }),
    });
    expect(() => testRule(unfilled, { valid: [], invalid: [{ lookups: [lookup], findings: [{ messageId: 'seen' }] }] })).toThrow(
      /\{\{missing\}\} has no value/,
    );
  });

  it('validates options against the schema', () => {
    expect(() =>
      testRule(perLookup, { valid: [{ lookups: [lookup], options: { nope: 1 } as never }], invalid: [] }),
    ).toThrow(/nope: unknown key/);
  });
});

describe('defineRule', () => {
  const create = () => ({});
  it('refuses broken metadata when the rule is loaded', () => {
    expect(() => defineRule({ meta: { ...meta, id: 'Bad_Id', messages: { a: 'a' } }, create })).toThrow(/kebab-case/);
    expect(() => defineRule({ meta: { ...meta, id: 'no-messages', messages: {} }, create })).toThrow(/messages/);
    expect(() =>
      defineRule({
        meta: { ...meta, id: 'open-schema', messages: { a: 'a' }, options: { schema: { type: 'object' }, defaults: {} } },
        create,
      }),
    ).toThrow(/additionalProperties/);
  });

  it('leaves the schema and its defaults to validateRule (a plugin, as it is loaded) and testRule', () => {
    const badDefaults = defineRule({
      meta: {
        ...meta,
        id: 'bad-defaults',
        messages: { a: 'a' },
        options: {
          schema: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false },
          defaults: { n: 'x' },
        },
      },
      create,
    });
    expect(() => validateRule(badDefaults)).toThrow(/n: must be integer/);
    expect(() => testRule(badDefaults, { valid: [], invalid: [] })).toThrow(/n: must be integer/);
    const uncompilable = defineRule({
      meta: { ...meta, id: 'uncompilable', messages: { a: 'a' }, options: { schema: { type: 'object', properties: { n: { type: 'nonsense' } }, additionalProperties: false }, defaults: {} } },
      create,
    });
    expect(() => validateRule(uncompilable)).toThrow(/options schema does not compile/);
  });
});
