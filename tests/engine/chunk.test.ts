import { describe, expect, it } from 'vitest';
import { evaluateLineChunk, lineParserFor } from '../../src/engine/chunk.js';
import { buildEngine } from '../../src/engine/setup.js';
import { EXCERPT_LIMIT } from '../../src/input/lines.js';

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
