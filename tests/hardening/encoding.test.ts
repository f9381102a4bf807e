/**
 * Encodings: UTF-8 with or without BOM, Windows-1252 (exports edited in Excel on Windows) told per file or
 * chosen with --encoding, names such as `Özlem Çelik` coming out right, and an invalid byte sequence
 * rejecting its own line only.
 */
import { isUtf8 } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText, detectEncoding, hasUtf8Bom } from '../../src/input/encoding.js';
import { forEachLine } from '../../src/input/lines.js';
import { loadUsers } from '../../src/reference/loaders.js';
import { prng } from '../support/prng.js';
import { cli, readFindings, readRejects, readSummary, removeTempDirs, ROOT, tempDir } from '../e2e/cli-helpers.js';

afterAll(removeTempDirs);

/** Windows-1252 bytes of `text`: Latin-1 apart from the 0x80–0x9F block, of which only `€` is used here. */
function windows1252(text: string): Buffer {
  return Buffer.from(text.replaceAll('€', '\x80'), 'latin1');
}

const NAMES = 'Özlem Çelik, Zoë Müller, € 12';
const LATIN = 'Özlem Çelik;Zoë Müller;€ 12';

describe('detectEncoding', () => {
  const cases: Array<[string, Uint8Array, boolean, string]> = [
    ['plain ASCII', Buffer.from('a,b\nc,d\n'), true, 'utf-8'],
    ['UTF-8 names', Buffer.from(`x\n${LATIN}\n`, 'utf8'), true, 'utf-8'],
    ['a UTF-8 BOM, even before Windows-1252 bytes', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), windows1252(LATIN)]), true, 'utf-8'],
    ['Windows-1252 names', windows1252(`x\n${LATIN}\n`), true, 'windows-1252'],
    // One corrupt line in a UTF-8 file stays a rejected line; it does not turn every name into mojibake.
    ['UTF-8 with one invalid line', Buffer.concat([windows1252('Zoë\n'), Buffer.from('Özlem\n', 'utf8')]), true, 'utf-8'],
    // The head may cut a UTF-8 character in two: an unfinished last line is not judged.
    ['a head that cuts a UTF-8 character', Buffer.from('a\nÖ', 'utf8').subarray(0, 3), false, 'utf-8'],
    ['a whole file ending in a Windows-1252 byte', windows1252('a\nÖ'), true, 'windows-1252'],
  ];
  for (const [what, bytes, whole, expected] of cases) {
    it(`reads ${what} as ${expected}`, () => expect(detectEncoding(bytes, whole)).toBe(expected));
  }

  it('reads any mix of lines as a look at every complete line does', () => {
    // The rule line by line: UTF-8 when a line that is not ASCII is valid UTF-8, or when none is invalid.
    const byLines = (bytes: Buffer, whole: boolean) => {
      const lines = bytes.toString('latin1').split('\n');
      if (!whole) lines.pop();
      const judged = lines.map((line) => Buffer.from(line, 'latin1')).filter((line) => line.some((byte) => byte > 0x7f));
      return judged.length === 0 || judged.some((line) => isUtf8(line)) ? 'utf-8' : 'windows-1252';
    };
    const random = prng(20261129);
    const kinds = [Buffer.from('a,b'), Buffer.from(NAMES, 'utf8'), windows1252(LATIN), Buffer.from('')];
    for (let round = 0; round < 200; round++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 6) }, () => kinds[Math.floor(random() * kinds.length)]!);
      const bytes = Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')]));
      // Cut anywhere, also inside a character, as the head of a longer file is.
      const head = bytes.subarray(0, Math.floor(random() * (bytes.length + 1)));
      for (const whole of [true, false]) {
        if (hasUtf8Bom(head)) continue;
        expect(detectEncoding(head, whole), `${head.toString('latin1')} (whole: ${whole})`).toBe(byLines(head, whole));
      }
    }
  });

  it('refuses UTF-16 with a reason a controller can act on', () => {
    expect(() => detectEncoding(Buffer.from('\uFEFFabc', 'utf16le'), true)).toThrow(/UTF-16.*save it as UTF-8/);
  });
});

describe('decoding lines', () => {
  const lines = (bytes: Uint8Array, encoding: 'utf-8' | 'windows-1252') => {
    const seen: string[] = [];
    forEachLine(bytes, 1, true, {
      record: (text, start, end, line) => seen.push(`${line}:${text.slice(start, end)}`),
      blank: (line) => seen.push(`${line}:blank`),
      reject: (line, reason) => seen.push(`${line}:reject ${reason}`),
    }, encoding);
    return seen;
  };

  it('reads Windows-1252 names right, the euro sign (0x80) included', () => {
    expect(lines(windows1252(`a\n${LATIN}\n\n`), 'windows-1252')).toEqual(['1:a', `2:${LATIN}`, '3:blank']);
  });

  it('rejects only the invalid line of a UTF-8 file, and reads the UTF-8 names around it', () => {
    const bytes = Buffer.concat([Buffer.from('Özlem\n', 'utf8'), windows1252('Zoë\n'), Buffer.from('Çelik\n', 'utf8')]);
    expect(lines(bytes, 'utf-8')).toEqual(['1:Özlem', '2:reject invalid UTF-8', '3:Çelik']);
  });

  it('rejects only a Windows-1252 line with a byte that Windows-1252 leaves undefined', () => {
    const bytes = Buffer.concat([windows1252('Zoë\n'), Buffer.from([0x41, 0x81, 0x0a]), windows1252('€\n')]);
    expect(lines(bytes, 'windows-1252')).toEqual(['1:Zoë', '2:reject invalid Windows-1252 (byte 0x81, 0x8D, 0x8F, 0x90 or 0x9D)', '3:€']);
  });

  it('decodes whole texts in either encoding', () => {
    expect(decodeText(windows1252(NAMES), 'windows-1252')).toBe(NAMES);
    expect(decodeText(Buffer.from(NAMES, 'utf8'), 'utf-8')).toBe(NAMES);
  });
});

describe('reference data in Windows-1252', () => {
  it('reads a user register saved by Excel on Windows with its names intact', () => {
    const dir = tempDir();
    const path = join(dir, 'users.csv');
    writeFileSync(path, windows1252('login;naam;team\r\n0057_gsd_x_oc;Özlem Çelik;Inkomen\r\n0058_gsd_x_zm;Zoë Müller €;Handhaving\r\n'));
    const users = loadUsers(path);
    expect(users.get('0057_gsd_x_oc')?.[0]?.name).toBe('Özlem Çelik');
    expect(users.get('0058_gsd_x_zm')?.[0]?.name).toBe('Zoë Müller €');
  });
});

describe('logs in Windows-1252, end to end', () => {
  // A header CSV with the login in it, so that the decoded text shows in the findings' user field.
  const mapping = { format: 'csv', fields: { time: 'tijdstip', user: 'medewerker', searchKeys: 'zoeksleutels' } };
  const csv = [
    'tijdstip;medewerker;zoeksleutels',
    '2026-03-02T23:10:00+01:00;Çelik€;bsn=111222333',
    '2026-03-03T10:00:00+01:00;Zoë;bsn=111222333',
    '2026-03-03T23:30:00+01:00;Zoë;bsn=249566758',
    '',
  ].join('\r\n');
  const classic = readFileSync(join(ROOT, 'fixtures', 'rules', 'off-hours', 'classic.log'), 'latin1').replaceAll('mira bakker', 'Özlem Çelik');

  function setUp(): { dir: string; mappingFile: string } {
    const dir = tempDir();
    const mappingFile = join(dir, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify(mapping));
    for (const [folder, encode] of [['utf8', (text: string) => Buffer.from(text, 'utf8')], ['cp1252', windows1252]] as const) {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, 'inlezen.csv'), encode(csv));
      writeFileSync(join(dir, folder, 'classic.log'), encode(classic));
    }
    return { dir, mappingFile };
  }

  it('tells each file is Windows-1252 and finds exactly what the UTF-8 copy gives', () => {
    const { dir, mappingFile } = setUp();
    const run = (folder: string, extra: string[] = []) => {
      const out = join(dir, `out-${folder}${extra.length}`);
      const files = ['inlezen.csv', 'classic.log'].map((name) => join(folder, name));
      const result = cli(['analyze', ...files, '--mapping', mappingFile, '--rules', 'off-hours', '--out', out, '--fail-on', 'never', '-q', ...extra], { cwd: dir });
      return { result, out };
    };
    const utf8 = run('utf8');
    const cp1252 = run('cp1252');
    expect(utf8.result.code).toBe(0);
    expect(cp1252.result.code).toBe(0);
    expect(readSummary(cp1252.out).inputs.map((input: { encoding: string }) => input.encoding)).toEqual(['windows-1252', 'windows-1252']);
    expect(readSummary(utf8.out).inputs.map((input: { encoding: string }) => input.encoding)).toEqual(['utf-8', 'utf-8']);
    const findings = (out: string) => readFindings(out).map(({ id, user, from, count, evidence }) => ({ id, user, from, count, lines: evidence.map((e) => e.line) }));
    expect(findings(cp1252.out).map((finding) => finding.user)).toEqual(expect.arrayContaining(['Çelik€', 'Zoë']));
    // File names are the same relative paths but for the folder: compare all but the evidence's file.
    expect(findings(cp1252.out)).toEqual(findings(utf8.out).map((finding) => ({ ...finding, id: expect.any(String) })));
    expect(readRejects(cp1252.out)).toEqual([]);
  });

  it('with --encoding utf-8 rejects the Windows-1252 lines one by one, writes them out and says what to do', () => {
    const { dir, mappingFile } = setUp();
    const out = join(dir, 'forced');
    const result = cli(['analyze', 'cp1252/inlezen.csv', '--mapping', mappingFile, '--encoding', 'utf-8', '--out', out, '--fail-on', 'never', '--max-reject-rate', '100%'], {
      cwd: dir,
    });
    // Nothing was left to analyse: exit 3, with rejects.csv written for the controller.
    expect(result.code).toBe(3);
    expect(readRejects(out)).toEqual([
      { file: 'cp1252/inlezen.csv', line: 2, reason: 'invalid UTF-8' },
      { file: 'cp1252/inlezen.csv', line: 3, reason: 'invalid UTF-8' },
      { file: 'cp1252/inlezen.csv', line: 4, reason: 'invalid UTF-8' },
    ]);
    expect(result.stderr).toContain('cp1252/inlezen.csv: 3 line(s) are not valid UTF-8; if the file is Windows-1252, give --encoding windows-1252');
  });

  it('stops on a UTF-16 file with exit 3 and a one-line reason', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'unicode.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(classic, 'utf16le')]));
    const result = cli(['analyze', 'unicode.log', '--out', 'out'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^suwinet-audit: unicode\.log: the file is UTF-16/m);
    expect(result.stderr).not.toContain('    at ');
  });
});
