import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectLayout } from '../../src/input/detect.js';
import type { Mapping } from '../../src/input/mapping.js';

const classic = readFileSync(new URL('../../fixtures/samples/si-classic-access.log', import.meta.url), 'utf8');
const v5 = readFileSync(new URL('../../fixtures/samples/raadpleegpersoon_v5.log', import.meta.url), 'utf8');
const mapping: Mapping = { fields: { time: 'tijd', user: 'gebruiker', bsn: 'bsn' } };

describe('detectLayout', () => {
  const table: Array<[string, string, string, Mapping | undefined, string | null]> = [
    ['the SI Classic sample', classic, 'suwinet-inkijk-custom-access.log', undefined, 'classic'],
    ['SI Classic after a BOM', `\uFEFF${classic}`, 'access.log', undefined, 'classic'],
    ['the v5 sample (CRLF)', v5, 'raadpleegpersoon_v5.log', undefined, 'v5'],
    ['v5 after junk and blank lines', `Export Suwinet-Inkijk\r\n\r\n# gemeente Voorbeeld, april 2026\r\n   \r\n${v5}`, 'export.txt', undefined, 'v5'],
    ['v5 after 49 junk lines', `${'junk\n'.repeat(49)}${v5}`, 'export.txt', undefined, 'v5'],
    ['v5 after 50 junk lines is not looked for', `${'junk\n'.repeat(50)}${v5}`, 'export.txt', undefined, null],
    ['NDJSON', '{"tijd":"2026-04-01T08:00:00","gebruiker":"u1"}\n{"tijd":"2026-04-01T08:01:00"}\n', 'inlezen.log', mapping, 'ndjson'],
    ['NDJSON after a blank line and indentation', '\n  {"a":1}\n', 'x.jsonl', undefined, 'ndjson'],
    ['a JSON array', '[\n  {"tijd":"2026-04-01T08:00:00"}\n]\n', 'inlezen.json', mapping, 'json'],
    ['header CSV with a mapping, whatever the name', 'tijd;gebruiker;bsn\n2026-04-01 08:00;u1;111222333\n', 'inlezen.txt', mapping, 'csv'],
    ['CSV by its .csv name', 'a,b\n1,2\n', 'EXPORT.CSV', undefined, 'csv'],
    ['CSV by its .tsv.gz name', 'a\tb\n1\t2\n', 'export.tsv.gz', undefined, 'csv'],
    ['the mapping format wins over the name', 'a,b\n1,2\n', 'export.csv', { ...mapping, format: 'ndjson' }, 'ndjson'],
    ['an unknown text without mapping', 'tijd;gebruiker\n', 'export.txt', undefined, null],
    ['an empty head with a mapping', '  \n', 'export.txt', mapping, null],
  ];

  it.each(table)('%s', (_name, head, fileName, given, layout) => {
    expect(detectLayout(head, fileName, given)).toBe(layout);
  });
});

describe('detectDelimiter', () => {
  const table: Array<[string, string]> = [
    ['tijd,gebruiker,bsn', ','],
    ['tijd;gebruiker;bsn', ';'],
    ['tijd\tgebruiker\tbsn', '\t'],
    ['"naam, voornaam";datum;tijd', ';'],
    ['a;b,c,d', ','],
    ['bsn', ','],
  ];
  it.each(table)('%j → %j', (header, delimiter) => {
    expect(detectDelimiter(header)).toBe(delimiter);
  });
});
