/** Every registered rule is complete: file named by its id, doc block, schema, test table, fixture, README row. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { validateRule } from '../../src/rule-api/define.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const HEADINGS = ['## What it finds', '## Why it matters', '## Options', '## Example'];

describe('rule catalogue', () => {
  it('registers every file in rules/ and nothing else', () => {
    const files = readdirSync(join(ROOT, 'rules'))
      .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
      .map((name) => name.slice(0, -3))
      .sort();
    expect(builtinRules.map((rule) => rule.meta.id).sort()).toEqual(files);
  });

  it('has for every rule a schema that compiles and accepts its defaults (checked here, not on every run)', () => {
    for (const rule of builtinRules) expect(() => validateRule(rule), rule.meta.id).not.toThrow();
    const broken = { ...builtinRules[0]!, meta: { ...builtinRules[0]!.meta, options: { ...builtinRules[0]!.meta.options, defaults: { unknown: 1 } } } };
    expect(() => validateRule(broken)).toThrow(/defaults: unknown: unknown key/);
  });

  for (const rule of builtinRules) {
    const { id } = rule.meta;
    it(`${id} has its doc block, test table, fixture and README rows`, () => {
      const source = readFileSync(join(ROOT, 'rules', `${id}.ts`), 'utf8');
      expect(source.startsWith(`/**\n * # ${id}\n`)).toBe(true);
      for (const heading of HEADINGS) expect(source).toContain(` * ${heading}`);
      expect(existsSync(join(ROOT, 'tests', 'rules', `${id}.test.ts`))).toBe(true);
      expect(readFileSync(join(ROOT, 'tests', 'rules', `${id}.test.ts`), 'utf8')).toContain('testRule(');
      expect(existsSync(join(ROOT, 'fixtures', 'rules', id))).toBe(true);
      expect(readFileSync(join(ROOT, 'tests', 'e2e', 'rules.test.ts'), 'utf8')).toContain(`'${id}'`);
      expect(readme).toMatch(new RegExp(`^\\| \`${id}\` \\| ${rule.meta.severity}`, 'm'));
      for (const option of Object.keys(rule.meta.options.defaults)) {
        expect(readme).toContain(`| \`${id}\` | \`${option}\` |`);
      }
    });
  }
});
