/**
 * Faults from outside: unreadable and vanishing inputs, corrupt gzip, empty input, unrelated files, a full
 * disk, a dying worker, a run killed outright, and two runs into one folder. Each gives a clear one-line
 * message and the documented exit code, never a hang, and never a partial set of outputs that looks complete.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, readSummary, removeTempDirs, ROOT, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

const BIN = join(ROOT, 'bin', 'suwinet-audit.js');
const LOG = readFileSync(join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'));
const OUTPUTS = ['findings.csv', 'findings.jsonl', 'manifest.json', 'rejects.csv', 'report.html', 'summary.json', 'suppressed.jsonl', 'worklists'];

/** What a failed run may leave in the parent of its output folder: the empty output folder, nothing else. */
function expectNothingPublished(parent: string, out = 'out'): void {
  expect(readdirSync(parent).filter((name) => name.startsWith(`.${out}.`) || name === out)).toEqual(existsSync(join(parent, out)) ? [out] : []);
  if (existsSync(join(parent, out))) expect(readdirSync(join(parent, out))).toEqual([]);
}

/** Starts `analyze` reading standard input that stays open, so the run is busy until the test says so. */
function startStalledRun(parent: string, extra: string[] = []): { child: ChildProcessWithoutNullStreams; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, 'analyze', '-', ...extra, '--out', join(parent, 'out'), '--workers', '1', '--fail-on', 'never'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdin.write(LOG);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/**
 * Waits until the run holds its lock (from then on it is reading): the lock file exists and has been
 * written, which a run does just after it creates it.
 */
async function lockTaken(parent: string): Promise<void> {
  const written = () => {
    try {
      return readFileSync(join(parent, '.out.lock'), 'utf8').endsWith('\n');
    } catch {
      return false;
    }
  };
  for (let waited = 0; !written(); waited += 50) {
    if (waited > 15_000) throw new Error('the run never took its lock');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs the CLI without the power to read files it has no permission for. As root (CI containers), that power
 * is a capability: setpriv drops it, so a chmod 000 file is unreadable as it would be for a normal account.
 */
function cliWithoutOverride(args: string[], cwd: string) {
  if (process.getuid?.() !== 0) return cli(args, { cwd });
  const drop = '-dac_override,-dac_read_search';
  const result = spawnSync('setpriv', [`--inh-caps=${drop}`, `--bounding-set=${drop}`, '--', process.execPath, BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const setprivMissing = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status !== 0;

describe('inputs that cannot be read', () => {
  it.skipIf(setprivMissing)('stops on a file without read permission: exit 3, the file named, nothing published', () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'a.log'), LOG);
    writeFileSync(join(parent, 'secret.log'), LOG);
    chmodSync(join(parent, 'secret.log'), 0o000);
    const result = cliWithoutOverride(['analyze', 'a.log', 'secret.log', '--out', 'out'], parent);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^suwinet-audit: secret\.log: permission denied$/m);
    expect(result.stderr).not.toContain('    at ');
    expectNothingPublished(parent);
  });

  it('stops when an input vanishes before it is read: exit 3, nothing published, lock released', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'later.log'), LOG);
    const run = startStalledRun(parent, [join(parent, 'later.log')]);
    await lockTaken(parent);
    unlinkSync(join(parent, 'later.log'));
    run.child.stdin.end();
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toContain(`suwinet-audit: ${join(parent, 'later.log')}: no such file or folder`);
    expectNothingPublished(parent);
  }, 30_000);

  for (const [what, damage] of [
    ['truncated', (gz: Buffer) => gz.subarray(0, gz.length - 40)],
    ['corrupt', (gz: Buffer) => Buffer.concat([gz.subarray(0, 30), Buffer.alloc(16, 0xff), gz.subarray(46)])],
  ] as const) {
    it(`stops on a ${what} .gz after a good file: exit 3, nothing published`, () => {
      const parent = tempDir();
      mkdirSync(join(parent, 'logs'));
      writeFileSync(join(parent, 'logs', '1-good.log'), LOG);
      writeFileSync(join(parent, 'logs', '2-bad.log.gz'), damage(gzipSync(Buffer.concat([LOG, LOG, LOG]))));
      const result = cli(['analyze', 'logs', '--out', 'out', '--workers', '2'], { cwd: parent });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^suwinet-audit: logs\/2-bad\.log\.gz: corrupt or truncated gzip data/m);
      expectNothingPublished(parent);
    });
  }

  it('stops on an empty file or empty standard input named as input', () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'empty.log'), '');
    const file = cli(['analyze', 'empty.log', '--out', 'out'], { cwd: parent });
    expect(file.code).toBe(3);
    expect(file.stderr).toMatch(/^suwinet-audit: empty\.log: the file is empty$/m);
    const stdin = cli(['analyze', '-', '--out', 'out2'], { cwd: parent, input: '' });
    expect(stdin.code).toBe(3);
    expect(stdin.stderr).toMatch(/^suwinet-audit: -: the file is empty$/m);
    expectNothingPublished(parent);
  });
});

describe('an input folder with unrelated files', () => {
  it('skips what is no log, with a warning, and lists it hashed in summary and manifest', () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'logs'));
    writeFileSync(join(parent, 'logs', 'access.log'), LOG);
    writeFileSync(join(parent, 'logs', 'LEESMIJ.txt'), 'Logs van maart, geleverd door BKWI.\n');
    writeFileSync(join(parent, 'logs', 'leeg.log'), '');
    writeFileSync(join(parent, 'logs', 'overzicht.xlsx'), Buffer.from('504b030414000600080000002100', 'hex'));
    const result = cli(['analyze', 'logs', '--out', 'out', '--fail-on', 'never', '-q'], { cwd: parent });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: logs/LEESMIJ.txt: skipped: cannot tell the layout from its first lines',
      'warning: logs/leeg.log: skipped: the file is empty',
      'warning: logs/overzicht.xlsx: skipped: cannot tell the layout from its first lines',
    ]);
    const summary = readSummary(join(parent, 'out'));
    expect(summary.inputs.map((input: { file: string }) => input.file)).toEqual(['logs/access.log']);
    expect(summary.skipped.map((file: { file: string; bytes: number }) => [file.file, file.bytes])).toEqual([
      ['logs/LEESMIJ.txt', 36],
      ['logs/leeg.log', 0],
      ['logs/overzicht.xlsx', 14],
    ]);
    expect(summary.skipped[1].sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const manifest = JSON.parse(readFileSync(join(parent, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.skipped).toEqual(summary.skipped);
    // verify checks the skipped files too: a changed README is a changed delivery.
    expect(cli(['verify', 'out'], { cwd: parent }).code).toBe(0);
    writeFileSync(join(parent, 'logs', 'LEESMIJ.txt'), 'changed\n');
    const verify = cli(['verify', 'out'], { cwd: parent });
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr).toContain('logs/LEESMIJ.txt: input differs from the one analysed');
  });
});

describe('outputs that cannot be written', () => {
  it('exits 4 on a full disk, publishing nothing and leaving no staging folder or lock', (context) => {
    const parent = tempDir();
    const disk = join(parent, 'disk');
    mkdirSync(disk);
    // A 128 KiB disk of its own: rejects.csv outgrows it. Needs root (CI runs as root); otherwise skipped.
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', disk]).status !== 0) {
      context.skip();
      return;
    }
    try {
      const junk = Array.from({ length: 4000 }, (_, index) => `info3 garbage line ${index} ${'.'.repeat(60)}\n`).join('');
      writeFileSync(join(parent, 'junk.log'), Buffer.concat([LOG, Buffer.from(junk)]));
      const result = cli(['analyze', join(parent, 'junk.log'), '--out', join(disk, 'out'), '--max-reject-rate', '100%', '-q']);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(`suwinet-audit: cannot write the outputs in ${join(disk, 'out')}: no space left on the disk`);
      expect(result.stderr).not.toContain('    at ');
      expectNothingPublished(disk);
      // The run created the output folder, and removes it again.
      expect(existsSync(join(disk, 'out'))).toBe(false);
    } finally {
      spawnSync('umount', [disk]);
    }
  });
});

describe('workers and whole runs that die', () => {
  it('reports a worker thread that exits mid-run as exit 3, publishing nothing', () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'a.log'), LOG);
    const plugin = join(ROOT, 'tests', 'fixtures', 'crash-rule.mjs');
    const result = cli(['analyze', 'a.log', '--plugin', plugin, '--workers', '2', '--out', 'out'], { cwd: parent });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^suwinet-audit: a worker failed while reading a\.log: /m);
    expectNothingPublished(parent);
  });

  it('reports a worker whose engine cannot be built (a plugin that fails only there) as exit 3, without hanging', () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'a.log'), LOG);
    // The main thread loads the plugin fine, so the run starts; each worker fails before it takes a task.
    writeFileSync(
      join(parent, 'fragile.mjs'),
      `import { isMainThread } from 'node:worker_threads';
      if (!isMainThread) throw new Error('cannot start in a worker');
      export default { meta: { id: 'fragile', title: 'f', severity: 'low', basis: { kind: 'heuristic', reference: 'test' }, description: 'd',
        options: { schema: { type: 'object', additionalProperties: false }, defaults: {} }, messages: { x: 'x' } }, create() { return {}; } };\n`,
    );
    const result = cli(['analyze', 'a.log', '--plugin', 'fragile.mjs', '--workers', '2', '--out', 'out'], { cwd: parent });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^suwinet-audit: a worker failed while reading a\.log: plugin .*fragile\.mjs cannot be loaded: cannot start in a worker$/m);
    expect(result.stderr).not.toContain('    at ');
    expectNothingPublished(parent);
  });

  it('after a run killed with SIGKILL, the next run removes its staging folder and takes over its lock', async () => {
    const parent = tempDir();
    const run = startStalledRun(parent);
    await lockTaken(parent);
    const pid = run.child.pid!;
    // The staging folder follows the lock: killed in between, the run would leave no staging folder to find.
    for (let waited = 0; !existsSync(join(parent, `.out.partial-${pid}`)); waited += 50) {
      if (waited > 15_000) throw new Error('the run never made its staging folder');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    run.child.kill('SIGKILL');
    await run.exited;
    // What a killed run leaves: its lock and its staging folder, never outputs in the folder itself.
    expect(readdirSync(parent).sort()).toEqual(['.out.lock', `.out.partial-${pid}`, 'out']);
    expect(readdirSync(join(parent, 'out'))).toEqual([]);
    writeFileSync(join(parent, 'a.log'), LOG);
    const next = cli(['analyze', 'a.log', '--out', 'out', '--fail-on', 'never'], { cwd: parent });
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`notice: took over the lock of run ${pid} \\(started \\S+\\), which is no longer running`));
    expect(next.stderr).toContain(`notice: removed .out.partial-${pid}, left behind by an interrupted run`);
    expect(readdirSync(parent).sort()).toEqual(['a.log', 'out']);
    expect(readdirSync(join(parent, 'out')).sort()).toEqual(OUTPUTS);
  }, 30_000);
});

describe('two runs into one folder', () => {
  it('refuses the second while the first runs (exit 2, naming it), and accepts one after it', async () => {
    const parent = tempDir();
    const first = startStalledRun(parent);
    await lockTaken(parent);
    const holder = JSON.parse(readFileSync(join(parent, '.out.lock'), 'utf8'));
    expect(holder.pid).toBe(first.child.pid);
    writeFileSync(join(parent, 'a.log'), LOG);
    const second = cli(['analyze', 'a.log', '--out', 'out', '--force'], { cwd: parent });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`suwinet-audit: --out out is in use by run ${holder.pid} on ${holder.host}, started ${holder.startedAt}`);
    first.child.stdin.end();
    expect(await first.exited).toBe(0);
    // The first run published its outputs and released the lock; the second, rerun, replaces them.
    expect(existsSync(join(parent, '.out.lock'))).toBe(false);
    expect(readdirSync(join(parent, 'out')).sort()).toEqual(OUTPUTS);
    const again = cli(['analyze', 'a.log', '--out', 'out', '--force', '--fail-on', 'never'], { cwd: parent });
    expect(again.code).toBe(0);
    rmSync(join(parent, 'a.log'));
  }, 30_000);
});
