/**
 * report.html in a real browser (Debian's chromium, headless): it renders, its charts are there, it makes no
 * network request and logs no console error, and a display name that is HTML stays text. Skipped, visibly,
 * when chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cli, removeTempDirs, tempDir } from './cli-helpers.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM) console.warn('skipped: the browser test of report.html needs chromium (apt-get install chromium)');

afterAll(removeTempDirs);

const HOSTILE = '<img src=x onerror=alert(1)>';

function makeReport(extra: string[] = []): string {
  const dir = tempDir();
  const users = join(dir, 'users.csv');
  writeFileSync(users, `login,name,team\n0057_gsd_voorbeeld_mb,"${HOSTILE}",inkomen\n0095_gsd_voorbeeld_tm,Thijs de Vries,inkomen\n`);
  const out = join(dir, 'audit');
  const result = cli(['analyze', join(ROOT, 'fixtures/rules/off-hours/classic.log'), '--users', users, '--out', out, '-q', '--fail-on', 'never', ...extra]);
  expect(result.code).toBe(0);
  return join(out, 'report.html');
}

describe('report.html', () => {
  it('is one self-contained file: no scripts, no external references, a CSP that forbids requests, escaped strings', () => {
    const html = readFileSync(makeReport(), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|https?:\/\/|<link /i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    for (const heading of ['Samenvatting', 'Indicatoren', 'Dossiers per medewerker', 'Reikwijdte en methode']) expect(html).toContain(heading);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    // Lookups per day with the off-hours part, and each user's volume against the team median.
    expect(html).toContain('<rect class="off"');
    expect(html).toContain('<line class="median"');
    expect(html).not.toMatch(/\b\d{9}\b(?![^<]*<\/code>)/);
  });

  it('speaks English with --lang en', () => {
    const html = readFileSync(makeReport(['--lang', 'en']), 'utf8');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Dossiers per employee');
  });

  it.skipIf(!CHROMIUM)('renders in chromium without console errors or network requests', () => {
    const { dom } = renderInChromium(makeReport());
    expect(dom).toContain('Gebruikscontrole Suwinet');
    expect(dom.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    expect(dom).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(dom).not.toMatch(/<img /);
  }, 90_000);
});

describe('the register\'s yearly report', () => {
  // Its escaping is checked on the text in tests/e2e/register.test.ts; here, that a browser shows it cleanly.
  it.skipIf(!CHROMIUM)('renders in chromium without console errors or network requests', () => {
    const dir = tempDir();
    const register = join(dir, 'register.sqlite');
    const log = join(ROOT, 'fixtures/rules/off-hours/classic.log');
    expect(cli(['analyze', log, '--out', join(dir, 'audit'), '--register', register, '-q', '--fail-on', 'never']).code).toBe(0);
    expect(cli(['register', 'report', '--year', '2026', '--register', register, '--out', dir]).code).toBe(0);
    const { dom } = renderInChromium(join(dir, 'register-report-2026.html'));
    expect(dom).toContain('Jaarverantwoording gebruikscontrole Suwinet 2026');
    expect(dom).toContain('<table');
  }, 90_000);
});

/**
 * Renders a page in headless chromium and returns its DOM. Fails on a console error, and on any request the
 * page itself made (Chromium's own background requests have no origin: "not an origin").
 */
function renderInChromium(page: string): { dom: string } {
  const dir = tempDir();
  const netlog = join(dir, 'net.json');
  const result = spawnSync(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--enable-logging=stderr',
      '--v=0',
      `--log-net-log=${netlog}`,
      '--dump-dom',
      `file://${page}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(result.status).toBe(0);
  expect(result.stderr).not.toMatch(/CONSOLE\(\d+\)/);
  const text = readFileSync(netlog, 'utf8').trimEnd();
  const log = JSON.parse(text.endsWith('}') && !text.endsWith(',') ? text : `${text.replace(/,$/, '')}]}`) as {
    events: Array<{ params?: { url?: string; initiator?: string } }>;
  };
  const fromPage = log.events
    .map((event) => event.params)
    .filter((params) => params?.url !== undefined && params.initiator !== undefined && params.initiator !== 'not an origin')
    .map((params) => params!.url!);
  expect(fromPage.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual([]);
  expect(log.events.length).toBeGreaterThan(0);
  return { dom: result.stdout };
}
