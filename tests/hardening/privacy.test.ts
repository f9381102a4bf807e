/**
 * Personal data stays on the machine and out of sight: no network at all (checked in the code and at run
 * time), private file modes, no full BSN on stderr (not even with --debug), rejected lines cut to 200
 * characters.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, removeTempDirs, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

const BIN = join(ROOT, 'bin', 'suwinet-audit.js');
const DEMO = join(ROOT, 'fixtures', 'demo');
const DEMO_ARGS = [
  'analyze',
  join(DEMO, 'logs'),
  '--mapping', join(DEMO, 'inlezen.mapping.json'),
  '--cases', join(DEMO, 'ref', 'caseload.csv'),
  '--users', join(DEMO, 'ref', 'users.csv'),
  '--authz', join(DEMO, 'ref', 'authz.csv'),
  '--watchlist', join(DEMO, 'ref', 'watchlist.csv'),
  '--fail-on', 'never',
];

function filesUnder(folder: string, keep: (path: string) => boolean): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(keep);
}

/**
 * better-sqlite3's installer, which fetches a prebuilt binary (or falls back to building one) during `npm
 * install`; nothing loads it at run time. Its own dependencies (simple-get, tunnel-agent) do use the network.
 */
const INSTALL_ONLY = new Set(['prebuild-install']);

/** The packages the tool loads at run time: its dependencies and theirs, not the dev tools or installers. */
function runtimePackages(): string[] {
  const seen = new Set<string>();
  const queue = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as Record<string, string>);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || INSTALL_ONLY.has(name)) continue;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    queue.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return [...seen].sort();
}

const NETWORK_MODULE = /(?:require\(\s*|from\s+|import\(\s*)['"](?:node:)?(?:http|https|http2|net|tls|dgram|dns|undici)(?:\/[\w/]*)?['"]/;
const NETWORK_GLOBAL = /\b(?:fetch|WebSocket|XMLHttpRequest|EventSource)\s*\(/;

describe('no network', () => {
  it('neither the built tool nor any package it loads imports a network module or calls fetch', () => {
    const offenders: string[] = [];
    const scan = (path: string) => {
      const text = readFileSync(path, 'utf8');
      if (NETWORK_MODULE.test(text) || (path.startsWith(join(ROOT, 'dist')) && NETWORK_GLOBAL.test(text))) offenders.push(relative(ROOT, path));
    };
    const code = (path: string) => /\.(?:c|m)?js$/.test(path);
    const dist = filesUnder(join(ROOT, 'dist'), code);
    expect(dist.length).toBeGreaterThan(50);
    dist.forEach(scan);
    const packages = runtimePackages();
    expect(packages).toEqual(expect.arrayContaining(['piscina', 'csv-parse', 'stream-json', 'commander', 'better-sqlite3', 'bindings']));
    // The installer really is install-only: nothing the tool ships requires it.
    expect(dist.filter((path) => readFileSync(path, 'utf8').includes('prebuild-install'))).toEqual([]);
    for (const name of packages) filesUnder(join(ROOT, 'node_modules', name), code).forEach(scan);
    expect(offenders).toEqual([]);
  });

  it('opens no socket and looks up no host during a whole run, in the main thread or a worker', () => {
    // Every TCP, TLS, HTTP and fetch connection goes through net.Socket#connect; UDP through dgram; names
    // through dns. The hook makes each of them record itself and fail.
    const hook = `data:text/javascript,${encodeURIComponent(`
      import net from 'node:net'; import dgram from 'node:dgram'; import dns from 'node:dns';
      const caught = (what) => function () { process.stderr.write('NETWORK ' + what + '\\n'); throw new Error('network: ' + what); };
      net.Socket.prototype.connect = caught('connect');
      dgram.Socket.prototype.send = caught('udp');
      dns.lookup = caught('dns'); dns.resolve = caught('dns'); dns.promises.lookup = caught('dns');
      process.stderr.write('hook ' + (await import('node:worker_threads')).isMainThread + '\\n');
    `)}`;
    const dir = tempDir();
    // With the register too, so that the SQLite binding is loaded as well.
    const args = [...DEMO_ARGS, '--out', join(dir, 'out'), '--workers', '2', '--sample', '20', '--seed', '1', '--register', join(dir, 'register.sqlite')];
    const result = spawnSync(process.execPath, ['--import', hook, BIN, ...args], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    // The hook ran in the main thread and in both workers, so a connection from any of them would have shown.
    // (The days off of this decade come from a table: no thread is started to compute them.)
    expect(result.stderr).toContain('hook true');
    expect(result.stderr.match(/hook false/g)?.length).toBe(2);
    expect(result.stderr).not.toContain('NETWORK');
  });
});

describe('private files', () => {
  it('keeps every output 0600 in 0700 folders, and the lock 0600 while the run is busy', async () => {
    const parent = tempDir();
    const out = join(parent, 'out');
    const child = spawn(process.execPath, [BIN, 'analyze', '-', '--out', out, '--fail-on', 'never'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.write(readFileSync(join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log')));
    const lock = join(parent, '.out.lock');
    for (let waited = 0; readdirSync(parent).length < 3 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    const staging = readdirSync(parent).find((name) => name.includes('.partial-'))!;
    expect(statSync(join(parent, staging)).mode & 0o777).toBe(0o700);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    const entries = readdirSync(out, { withFileTypes: true, recursive: true });
    expect(entries.length).toBeGreaterThan(8);
    for (const entry of entries) {
      const path = join(entry.parentPath, entry.name);
      expect([relative(out, path), statSync(path).mode & 0o777]).toEqual([relative(out, path), entry.isDirectory() ? 0o700 : 0o600]);
    }
  }, 30_000);
});

/** Standalone nine-digit numbers that pass the BSN 11-check: what must never reach stderr in full. */
function fullBsns(text: string): string[] {
  return [...text.matchAll(/(?<!\w)\d{9}(?!\w)/g)]
    .map((match) => match[0])
    .filter((digits) => [...digits].reduce((sum, digit, index) => sum + Number(digit) * (index === 8 ? -1 : 9 - index), 0) % 11 === 0);
}

describe('no full BSN on stderr, not even with --debug', () => {
  it('masks BSNs in rejects, worker failures and reference-data errors', () => {
    const dir = tempDir();
    // A rule that fails in its worker with the BSN in its message, as a careless plugin might.
    const plugin = join(dir, 'leaky.mjs');
    writeFileSync(
      plugin,
      `export default { meta: { id: 'leaky', title: 'leaky', severity: 'low', basis: { kind: 'heuristic', reference: 'test' },
        description: 'fails with the BSN in its message', options: { schema: { type: 'object', additionalProperties: false }, defaults: {} },
        messages: { x: 'x' } }, create() { return { lookup(lookup) { if (lookup.bsn) throw new Error('cannot handle ' + lookup.bsn); } }; } };\n`,
    );
    const failing = cli([...DEMO_ARGS, '--plugin', plugin, '--out', join(dir, 'a'), '--debug']);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toMatch(/cannot handle \*{5}\d{4}/);
    // NDJSON with a BSN in a line that is not valid JSON: the reject reason quotes the parser's message.
    writeFileSync(join(dir, 'log.ndjson'), '{"tijdstip":"2026-04-01T10:00:00+02:00","medewerker":{"login":"u"},"zoeksleutels":"bsn=111222333"} 111222333\n');
    const rejected = cli(['analyze', join(dir, 'log.ndjson'), '--mapping', join(DEMO, 'inlezen.mapping.json'), '--out', join(dir, 'b'), '--debug']);
    expect(rejected.code).toBe(3);
    // A register row with a mistyped BSN: the message points at file and line, the number stays masked.
    writeFileSync(join(dir, 'caseload.csv'), 'bsn,case_id,start_date\n111222334,Z1,2026-01-01\n');
    const reference = cli([...DEMO_ARGS, '--cases', join(dir, 'caseload.csv'), '--out', join(dir, 'c'), '--debug']);
    expect(reference.code).toBe(2);
    expect(reference.stderr).toContain("'*****2334' is not a valid BSN");
    const demo = cli([...DEMO_ARGS, '--out', join(dir, 'd'), '--debug', '--progress']);
    expect(demo.code).toBe(0);
    for (const run of [failing, rejected, reference, demo]) {
      expect(fullBsns(run.stderr)).toEqual([]);
      expect(run.stderr.match(/(?<!\w)\d{9}(?!\w)/g) ?? []).toEqual([]);
    }
  });

  it('prints a bug as one masked line with its own exit code, never as "findings"', async () => {
    const { run } = (await import(join(ROOT, 'dist/src/cli.js'))) as typeof import('../../src/cli.js');
    let stderr = '';
    // A plugin whose create() throws something that is no known error: the tool cannot tell it from a bug.
    const dir = tempDir();
    const plugin = join(dir, 'bug.mjs');
    writeFileSync(
      plugin,
      `export default { meta: { id: 'bug', title: 'bug', severity: 'low', basis: { kind: 'heuristic', reference: 'test' },
        description: 'd', options: { schema: { type: 'object', additionalProperties: false }, defaults: {} }, messages: { x: 'x' } },
        create() { throw new TypeError('broken for 111222333'); } };\n`,
    );
    const code = await run(['analyze', join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'), '--plugin', plugin, '--out', join(dir, 'out'), '--workers', '0'], {
      out: () => undefined,
      err: (text) => (stderr += text),
    });
    expect(code).toBe(70);
    expect(stderr).toContain('suwinet-audit: internal error: broken for *****2333');
    expect(stderr).toContain('hint: run again with --debug');
    expect(stderr).not.toContain('111222333');
  });
});

describe('rejected lines', () => {
  it('cuts a 10 MB line to 200 characters in rejects.csv', () => {
    const dir = tempDir();
    const huge = `info3 20260401-10:00:00 ${'x'.repeat(10 << 20)}\n`;
    writeFileSync(join(dir, 'huge.log'), readFileSync(join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'), 'latin1') + huge, 'latin1');
    const result = cli(['analyze', join(dir, 'huge.log'), '--out', join(dir, 'out'), '--max-reject-rate', '100%', '--fail-on', 'never', '-q']);
    expect(result.code).toBe(0);
    const rows = readFileSync(join(dir, 'out', 'rejects.csv'), 'utf8').split('\r\n').filter((row) => row.includes('huge.log'));
    expect(rows).toHaveLength(1);
    const excerpt = rows[0]!.split(';').at(-1)!.replace(/^"|"$/g, '');
    expect(excerpt).toBe(`info3 20260401-10:00:00 ${'x'.repeat(200 - 24)}`);
  });
});
