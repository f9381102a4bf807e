/** Code plugins: loaded by path, checked on load, run inside the workers like built-in rules. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, readFindings, removeTempDirs, tempDir } from './cli-helpers.js';

afterAll(removeTempDirs);

const PLUGIN = join(ROOT, 'fixtures/plugins/rdw-lookups.js');
const LOG = join(ROOT, 'fixtures/rules/off-hours/classic.log');
const USERS = join(ROOT, 'fixtures/plugins/users.csv');

function run(plugin: string, extra: string[] = []) {
  const out = join(tempDir(), 'audit');
  const result = cli(['analyze', LOG, '--users', USERS, '--plugin', plugin, '--out', out, '-q', '--fail-on', 'never', ...extra]);
  return { result, out };
}

describe('plugins', () => {
  it('runs a plugin rule like a built-in one, with the same findings for any number of workers', () => {
    const runs = ['0', '1', '2'].map((workers) => {
      const { result, out } = run(PLUGIN, ['--rules', 'rdw-lookups', '--workers', workers]);
      expect(result.code).toBe(0);
      return readFindings(out);
    });
    expect(runs[0]!.map((finding) => [finding.rule, finding.user, finding.evidence[0]!.line])).toEqual([['rdw-lookups', '0057_gsd_voorbeeld_mb', 6]]);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    const listed = cli(['rules', '--plugin', PLUGIN]);
    expect(listed.stdout).toContain('rdw-lookups (medium)');
  });

  it('stops with exit 2 and a one-line reason on a broken plugin, an invalid rule, or an id that is taken', () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.js');
    writeFileSync(broken, 'export default {;\n');
    const invalid = join(dir, 'invalid.js');
    writeFileSync(invalid, "export default { meta: { id: 'Not_Kebab' }, create() { return {}; } };\n");
    const clash = join(dir, 'clash.js');
    writeFileSync(
      clash,
      `import { defineRule } from ${JSON.stringify(join(ROOT, 'dist/src/index.js'))};\n` +
        "export default defineRule({ meta: { id: 'off-hours', title: 't', severity: 'low', basis: { kind: 'heuristic', reference: 'r' }, description: 'd', options: { schema: { type: 'object', additionalProperties: false }, defaults: {} }, messages: { m: 'm' } }, create: () => ({}) });\n",
    );
    const cases: Array<[string, string]> = [
      [broken, `plugin ${broken} cannot be loaded: `],
      [invalid, `plugin ${invalid}: rule 'Not_Kebab' is not valid: id must be kebab-case`],
      [clash, `plugin ${clash}: rule id 'off-hours' is already taken by the built-in rules`],
      [join(dir, 'missing.js'), `plugin ${join(dir, 'missing.js')} cannot be loaded: `],
    ];
    for (const [plugin, message] of cases) {
      const { result } = run(plugin);
      expect(result.code, plugin).toBe(2);
      expect(result.stderr).toContain(`suwinet-audit: ${message}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
