import { describe, expect, it } from 'vitest';
import { evaluateLineChunk, lineParserFor } from '../../src/engine/chunk.js';
import { buildEngine } from '../../src/engine/setup.js';
import { EXCERPT_LIMIT } from '../../src/input/lines.js';
import { defineRule } from '../../src/rule-api/index.js';
import { planRules, RuleRunner } from '../../src/rule-api/runner.js';
import { Calendar } from '../../src/time/calendar.js';

describe('evaluateLineChunk', () => {
  it('cuts a reason that quotes a long field like an excerpt: no reject carries more than 200 characters of a line', async () => {
    // Found by the hardening properties: a v5 date field of 10 MB came back whole in the reason.
    const engine = await buildEngine({ format: 'v5', timezone: 'Europe/Amsterdam', reference: {}, ruleModules: [] });
    const origin = { layout: 'v5' as const, file: 'v5.log', source: 0 };
    const line = `5,${'c'.repeat(36)},,${'2026-04-01'.repeat(100)},08:00:09.949,u,,,,,,bsn=111222333,,,,`;
    const parse = lineParserFor(origin, true, engine.parse);
    const { stats } = evaluateLineChunk(Buffer.from(`${line}\n`), 1, true, origin, parse, engine.runner);
    expect(stats.rejects).toHaveLength(1);
    const [reject] = stats.rejects;
    expect(reject!.reason).toHaveLength(EXCERPT_LIMIT);
    expect(reject!.reason).toMatch(/^impossible or malformed date\/time '2026-04-012026-04-01/);
    expect(reject!.excerpt).toBe(line.slice(0, EXCERPT_LIMIT));
  });
});

describe('the rules warm what they read, a batch of lookups ahead', () => {
  it('warms every lookup once, in input order, before the rules see it, at most 32 ahead; blank and rejected lines take no part', async () => {
    const events: string[] = [];
    const rule = defineRule({
      meta: {
        id: 'warming',
        title: 't',
        severity: 'low',
        basis: { kind: 'heuristic', reference: 'test' },
        description: 'd',
        options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
        messages: { seen: 'seen' },
      },
      create: () => ({
        warm: (lookup) => events.push(`warm ${lookup.line}`),
        lookup: (lookup, report) => {
          events.push(`lookup ${lookup.line}`);
          if (lookup.line % 10 === 0) report({ messageId: 'seen' });
        },
      }),
    });
    const calendar = new Calendar({ timezone: 'Europe/Amsterdam' });
    const runner = new RuleRunner(planRules([rule], { reference: {}, calendar }).active, calendar);
    const engine = await buildEngine({ format: 'v5', timezone: 'Europe/Amsterdam', reference: {}, ruleModules: [] });
    const origin = { layout: 'v5' as const, file: 'v5.log', source: 0 };
    const v5 = (line: number) => `5,c4b312a1-2f0e-4a51-9d3c-1a2b3c4d5e6f,9f4996d4-0a1b-4c2d-8e3f-405162738495,2026-04-01,08:00:09.949,user_${line % 7},Naam,R1,,,,bsn=319072356,,,,`;
    // 100 lines: line 40 is blank and line 41 rejected.
    const lines = Array.from({ length: 100 }, (_, index) => (index === 39 ? '' : index === 40 ? '5,kapot' : v5(index + 1)));
    const result = evaluateLineChunk(Buffer.from(`${lines.join('\n')}\n`), 1, true, origin, lineParserFor(origin, true, engine.parse), runner);
    expect(result.stats).toMatchObject({ lines: 100, lookups: 98, blank: 1 });
    expect(result.stats.rejects.map((reject) => reject.line)).toEqual([41]);
    expect(result.partial.flagged).toEqual([9]);

    const looked = events.filter((event) => event.startsWith('lookup')).map((event) => Number(event.split(' ')[1]));
    const warmed = events.filter((event) => event.startsWith('warm')).map((event) => Number(event.split(' ')[1]));
    const expected = Array.from({ length: 100 }, (_, index) => index + 1).filter((line) => line !== 40 && line !== 41);
    expect(looked).toEqual(expected);
    expect(warmed).toEqual(expected);
    for (const line of expected) {
      const warmedAt = events.indexOf(`warm ${line}`);
      const lookedAt = events.indexOf(`lookup ${line}`);
      expect(warmedAt, `line ${line}`).toBeLessThan(lookedAt);
      // Between a lookup's warm and its lookup call: at most the rest of its batch of 32 and the warms of it.
      expect(lookedAt - warmedAt, `line ${line}`).toBeLessThanOrEqual(2 * 32);
    }
    // Batches: 32 warms, then their 32 lookups; the last batch is what is left when the chunk ends.
    expect(events.slice(0, 33)).toEqual([...expected.slice(0, 32).map((line) => `warm ${line}`), 'lookup 1']);
    expect(events.at(-1)).toBe('lookup 100');
  });
});
