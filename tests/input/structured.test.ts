import { describe, expect, it } from 'vitest';
import { countLines, lineChunks } from '../../src/input/sources.js';
import { csvHeader, csvRecords, type CsvProgress } from '../../src/input/structured.js';
import { prng } from '../support/prng.js';

type Item = ['record', number, unknown, string] | ['reject', number, string, string];

/**
 * A record's excerpt is its raw text; after a blank CRLF line csv-parse's raw starts with the blank line's CR
 * when the blank line is in the same chunk. That CR is dropped here, so that the comparison is about the text.
 */
const excerptText = (excerpt: string) => excerpt.replace(/^\r/, '');

async function itemsOf(content: AsyncIterable<Buffer> | Iterable<Buffer>, options: Parameters<typeof csvRecords>[1], progress: CsvProgress): Promise<Item[]> {
  const items: Item[] = [];
  for await (const batch of csvRecords(content, options, progress)) {
    for (const item of batch) {
      items.push(item.kind === 'record' ? ['record', item.line, item.value, excerptText(item.excerpt())] : ['reject', item.line, item.reason, item.excerpt()]);
    }
  }
  return items;
}

describe('csvHeader', () => {
  const table: Array<[string, string, string, string[]]> = [
    ['lower-cases and trims the names', ' Tijd ;GEBRUIKER;Bsn', ';', ['tijd', 'gebruiker', 'bsn']],
    ['drops a BOM', '\uFEFFtijd,gebruiker', ',', ['tijd', 'gebruiker']],
    ['reads quoted names with the delimiter inside', '"naam; voornaam";"Tijd";bsn', ';', ['naam; voornaam', 'tijd', 'bsn']],
    ['reads tabs', 'tijd\tgebruiker\tbsn', '\t', ['tijd', 'gebruiker', 'bsn']],
    ['reads an empty line as no columns', '', ',', []],
  ];
  it.each(table)('%s', (_name, line, delimiter, columns) => {
    expect(csvHeader(line, delimiter)).toEqual(columns);
  });
});

/**
 * Header CSV with CRLF rows, quoted fields over several lines (LF inside the quotes: csv-parse counts a CRLF
 * inside quotes as two lines, see the report), blank lines and rows of the wrong length.
 */
function exportCsv(seed: number, rows: number): string {
  const random = prng(seed);
  const lines = ['\uFEFFTijd;Gebruiker;BSN;Opmerking'];
  for (let index = 0; index < rows; index++) {
    const kind = random();
    const time = `2026-04-01 08:${String(index % 60).padStart(2, '0')}:00`;
    if (kind < 0.05) lines.push('');
    else if (kind < 0.1) lines.push(`${time};u${index};111222333`);
    else if (kind < 0.4) {
      const note = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, line) => `regel ${line}; met "quotes"`).join('\n');
      lines.push(`${time};u${index};"${String(index).padStart(9, '0')}";"${note.replaceAll('"', '""')}"`);
    } else lines.push(`${time};u${index};${String(index).padStart(9, '0')};${'x'.repeat(Math.floor(random() * 80))}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('csvRecords per chunk', () => {
  const csv = Buffer.from(exportCsv(20260401, 3000), 'utf8');

  it.each([1024, 4096, 65536])('gives the same records, rejects, lines and excerpts as the whole file (chunks of %i)', async (chunkSize) => {
    const wholeProgress = { lastLine: 0 };
    const whole = await itemsOf([csv], { delimiter: ';' }, wholeProgress);
    expect(whole.filter((item) => item[0] === 'reject').length).toBeGreaterThan(50);
    expect(whole.filter((item) => item[0] === 'record').length).toBeGreaterThan(2000);
    expect(whole.some((item) => item[0] === 'record' && String((item[2] as Record<string, string>)['opmerking']).includes('\n'))).toBe(true);
    expect(wholeProgress.lastLine).toBe(countLines(csv));

    // As the engine reads it: the header line on its own, then quote-aware chunks numbered from line 2.
    const headerEnd = csv.indexOf(0x0a) + 1;
    const columns = csvHeader(csv.subarray(0, headerEnd).toString('utf8').replace(/\r?\n$/, ''), ';');
    expect(columns).toEqual(['tijd', 'gebruiker', 'bsn', 'opmerking']);
    async function* rest(): AsyncGenerator<Buffer> {
      for (let at = headerEnd; at < csv.length; at += 777) yield csv.subarray(at, Math.min(csv.length, at + 777));
    }
    const chunked: Item[] = [];
    let line = 2;
    let chunks = 0;
    for await (const chunk of lineChunks(rest(), chunkSize, { quoteAware: true })) {
      const progress = { lastLine: 0 };
      chunked.push(...(await itemsOf([chunk], { delimiter: ';', columns, firstLine: line }, progress)));
      line += countLines(chunk);
      chunks++;
    }
    expect(chunks).toBeGreaterThan(csv.length / chunkSize / 2);
    expect(line - 1).toBe(wholeProgress.lastLine);
    expect(chunked).toEqual(whole);
  });
});

describe('csvRecords line numbers', () => {
  it('counts a CRLF inside a quoted field as one line break, whatever the chunking', async () => {
    const body = '1;"x\r\ny"\r\n2;z\r\n3;w\r\n';
    const columns = ['a', 'b'];
    const whole = await itemsOf([Buffer.from(body)], { delimiter: ';', columns, firstLine: 2 }, { lastLine: 0 });
    expect(whole.map((item) => item[1])).toEqual([2, 4, 5]);
    const first = await itemsOf([Buffer.from('1;"x\r\ny"\r\n')], { delimiter: ';', columns, firstLine: 2 }, { lastLine: 0 });
    const second = await itemsOf([Buffer.from('2;z\r\n3;w\r\n')], { delimiter: ';', columns, firstLine: 4 }, { lastLine: 0 });
    expect([...first, ...second]).toEqual(whole);
  });

  it('ends records at LF and at CRLF in one file (concatenated exports), and never at a lone CR', async () => {
    // Found by the hardening properties: csv-parse took the first line end it met as the only one.
    const columns = ['a', 'b'];
    for (const body of ['1;x\r\n2;y\n\r\n3;z\r\n', '1;x\n2;y\r\n\n3;z\n']) {
      const items = await itemsOf([Buffer.from(body)], { delimiter: ';', columns, firstLine: 2 }, { lastLine: 0 });
      expect(items.map((item) => [item[0], item[1], item[2]])).toEqual([
        ['record', 2, { a: '1', b: 'x' }],
        ['record', 3, { a: '2', b: 'y' }],
        ['record', 5, { a: '3', b: 'z' }],
      ]);
    }
    const lone = await itemsOf([Buffer.from('1;x\ry\n2;z\n')], { delimiter: ';', columns, firstLine: 2 }, { lastLine: 0 });
    expect(lone.map((item) => [item[0], item[1], item[2]])).toEqual([
      ['record', 2, { a: '1', b: 'x\ry' }],
      ['record', 3, { a: '2', b: 'z' }],
    ]);
  });

  it('gives each rejected record its own line, also several in a row and the first one after the header', async () => {
    // Found by the hardening properties: rejects after the last good record all got the line after it.
    const progress = { lastLine: 0 };
    const items = await itemsOf([Buffer.from('a;b\n1;x"y\n2;z;extra\n\n3;q"r\n4;w\n')], { delimiter: ';' }, progress);
    expect(items.map((item) => [item[0], item[1]])).toEqual([['reject', 2], ['reject', 3], ['reject', 5], ['record', 6]]);
  });

  it('makes one reject of a record with several errors, so that no record is counted twice', async () => {
    const items = await itemsOf([Buffer.from('1;"x"y\n2;z\n')], { delimiter: ';', columns: ['a', 'b'], firstLine: 2 }, { lastLine: 0 });
    expect(items.map((item) => [item[0], item[1], item[2]])).toEqual([
      ['reject', 2, 'Invalid Closing Quote: got "y" instead of delimiter, record delimiter, trimable character (if activated) or comment (lines 2–3 unreadable)'],
    ]);
    const twice = await itemsOf([Buffer.from('1;x"y"z\n2;w\n')], { delimiter: ';', columns: ['a', 'b'], firstLine: 2 }, { lastLine: 0 });
    expect(twice.map((item) => [item[0], item[1]])).toEqual([['reject', 2], ['record', 3]]);
  });

  it('rejects the row with invalid UTF-8 and counts lines right after it (csv-parse reads it as U+FFFD, three bytes for one)', async () => {
    const body = Buffer.concat([Buffer.from('1;x\n2;'), Buffer.from([0xff, 0xff, 0xc3]), Buffer.from('\n3;z\n')]);
    const items = await itemsOf([body], { delimiter: ';', columns: ['a', 'b'], firstLine: 2 }, { lastLine: 0 });
    expect(items.map((item) => [item[0], item[1], item[0] === 'reject' ? item[2] : ''])).toEqual([
      ['record', 2, ''],
      ['reject', 3, 'invalid UTF-8'],
      ['record', 4, ''],
    ]);
  });

  it('rejects a row with a NUL byte as binary junk, and reads a line of spaces as blank', async () => {
    const progress = { lastLine: 0 };
    const items = await itemsOf([Buffer.from('1;x\n2;a\u0000b\n   \n3;z\n')], { delimiter: ';', columns: ['a', 'b'], firstLine: 2 }, progress);
    expect(items.map((item) => [item[0], item[1], item[0] === 'reject' ? item[2] : ''])).toEqual([
      ['record', 2, ''],
      ['reject', 3, 'binary data (NUL byte)'],
      ['record', 5, ''],
    ]);
    // Line 4 is neither a record nor a reject: the file's count makes it blank.
    expect(progress.lastLine).toBe(5);
  });

  it('names the lines an unclosed quote swallowed, and skips blank lines before a record', async () => {
    const progress = { lastLine: 0 };
    const items = await itemsOf([Buffer.from('a;b\n1;x\n\n\n2;y\n3;"open\n4;z\n')], { delimiter: ';' }, progress);
    expect(items.map((item) => [item[0], item[1]])).toEqual([['record', 2], ['record', 5], ['reject', 6]]);
    expect(items[2]![2]).toBe('Quote Not Closed: the parsing is finished with an opening quote (lines 6–7 unreadable)');
    expect(progress.lastLine).toBe(7);
  });
});
