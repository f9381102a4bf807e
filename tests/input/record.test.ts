import { describe, expect, it } from 'vitest';
import { ByBytes, Interner, LastValue, LookupRecord, bsnOf, bsnOfRawKeys, parseSearchKeys, simpleBsn, simpleBsnAt, splitRoles, textAt } from '../../src/input/record.js';
import type { SharedStrings } from '../../src/rule-api/shared-strings.js';
import { digitsAt } from '../../src/time/civil.js';
import type { Lookup } from '../../src/rule-api/types.js';
import { prng } from '../support/prng.js';

describe('bsnOfRawKeys', () => {
  const table: Array<[string, string, string | null]> = [
    ['the SI Classic key', 'Burgerservicenr=111222333', '111222333'],
    ['the v5 key', 'bsn=319072356', '319072356'],
    ['the long key, any case', 'BurgerServiceNummer=683938861', '683938861'],
    ['an upper-case key', 'BSN=249566758', '249566758'],
    ['eight digits, padded to nine', 'Burgerservicenr=12345674', '012345674'],
    ['eight digits, v5', 'bsn=12345674', '012345674'],
    ['fewer digits, padded as well', 'bsn=1234', '000001234'],
    ['composite, BSN last', 'Postcode=5346AB&Burgerservicenr=111222333', '111222333'],
    ['composite, BSN first, eight digits', 'Burgerservicenr=12345674&Huisnummer=4', '012345674'],
    ['composite with an empty pair', 'Huisnummer=4&&bsn=111111110&', '111111110'],
    ['spaces around the number', 'bsn= 12345674 ', '012345674'],
    ['ten digits', 'bsn=1234567890', null],
    ['a letter in the number', 'Burgerservicenr=11122233X', null],
    ['an empty number', 'bsn=', null],
    ['a key without value', 'bsn', null],
    ['postcode and house number', 'Postcode=5346AB&Huisnummer=4', null],
    ['a licence plate', 'Kenteken=12ABC3', null],
    ['a name that only contains bsn', 'bsnr=111222333', null],
    ['a name that ends with bsn', 'partnerbsn=111222333', null],
    ['empty keys', '', null],
  ];
  it.each(table)('%s: %j → %j', (_name, raw, bsn) => {
    expect(bsnOfRawKeys(raw)).toBe(bsn);
    expect(bsnOf(parseSearchKeys(raw))).toBe(bsn);
  });

  it('agrees with bsnOf(parseSearchKeys(…)) on 2000 generated key strings', () => {
    const random = prng(111222333);
    const names = ['bsn', 'BSN', 'Burgerservicenr', 'burgerservicenummer', 'Postcode', 'Huisnummer', 'Kenteken', 'bsnr', ''];
    const values = ['111222333', '12345674', '1', '1234567890', '12345678a', '', ' 12345674', '5346AB', '=', '0'];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    let found = 0;
    for (let index = 0; index < 2000; index++) {
      const pairs = Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.1 ? pick(names) : `${pick(names)}=${pick(values)}`));
      const raw = pairs.join('&');
      const bsn = bsnOf(parseSearchKeys(raw));
      expect(bsnOfRawKeys(raw), raw).toBe(bsn);
      if (bsn !== null) found++;
    }
    expect(found).toBeGreaterThan(200);
    expect(found).toBeLessThan(1800);
  });
});

describe('simpleBsn', () => {
  // What it replaces: a regular expression, and its match padded to nine digits.
  const EXPRESSION = /^(?:bsn|burgerservicenr|burgerservicenummer)=(\d{1,9})$/i;
  const byExpression = (raw: string) => EXPRESSION.exec(raw)?.[1]!.padStart(9, '0') ?? null;

  it('reads what the regular expression reads, on 20,000 generated strings', () => {
    const random = prng(20261129);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    // Look-alikes that case folding could take for ASCII letters or digits: long s, dotless i, dotted I,
    // Kelvin sign, an Arabic-Indic and a full-width digit.
    const odd = ['ſ', 'ı', 'İ', 'K', '٣', '１', ' ', '\n', '&', '=', '@', '`', '{'];
    const names = ['bsn', 'burgerservicenr', 'burgerservicenummer', 'bsnr', 'partnerbsn', 'postcode', ''];
    const mutate = (text: string) => {
      let out = '';
      for (const char of text) {
        const roll = random();
        out += roll < 0.3 ? char.toUpperCase() : roll < 0.33 ? pick(odd) : roll < 0.34 ? '' : char;
      }
      return out;
    };
    let read = 0;
    for (let index = 0; index < 20_000; index++) {
      const digits = Array.from({ length: Math.floor(random() * 12) }, () => String(Math.floor(random() * 10))).join('');
      const raw = `${mutate(pick(names))}${random() < 0.95 ? '=' : ''}${random() < 0.8 ? digits : mutate(digits)}${random() < 0.05 ? pick(odd) : ''}`;
      const expected = byExpression(raw);
      expect(simpleBsn(raw), JSON.stringify(raw)).toBe(expected);
      // In place, between fields that hold what it must not read: an '=', digits, a BSN key.
      expect(simpleBsnAt(`bsn=1,${raw},bsn=12`, 6, 6 + raw.length), `${JSON.stringify(raw)} in place`).toBe(expected);
      if (expected !== null) read++;
    }
    // Both kinds are well represented.
    expect(read).toBeGreaterThan(2000);
    expect(read).toBeLessThan(18_000);
  });
});

describe('Interner', () => {
  it('returns equal strings, one table entry per distinct value (the same instance)', () => {
    const intern = new Interner();
    // Slices of longer strings, as parsers make them from a chunk: equal values, different string objects.
    const chunk = 'xx0057_gsd_voorbeeld_mb,0057_gsd_voorbeeld_mb,kort,kort';
    const first = intern.string(chunk.slice(2, 23));
    const second = intern.string(chunk.slice(24, 45));
    expect(first).toBe('0057_gsd_voorbeeld_mb');
    expect(second).toBe(first);
    expect(intern.string(chunk.slice(46, 50))).toBe('kort');
    expect(intern.string(chunk.slice(51, 55))).toBe('kort');
    // String identity cannot be observed from JavaScript; the table shows that one copy is kept per value.
    const table = (intern as unknown as { strings: SharedStrings }).strings;
    expect(table.size).toBe(2);
  });

  it('reads an empty value as null with orNull', () => {
    const intern = new Interner();
    expect(intern.orNull('')).toBeNull();
    expect(intern.orNull('mira bakker')).toBe('mira bakker');
  });

  it('splits role lists on &, comma or |, trimmed, without empty roles', () => {
    const intern = new Interner();
    expect(intern.roles('BASIS_GSD,FR0999001,R1')).toEqual(['BASIS_GSD', 'FR0999001', 'R1']);
    expect(intern.roles('BASIS_GSD&FR0999004&R1')).toEqual(['BASIS_GSD', 'FR0999004', 'R1']);
    expect(intern.roles(' A | B ,, &C& ')).toEqual(['A', 'B', 'C']);
    expect(intern.roles('')).toEqual([]);
    expect(intern.roles(' , ')).toEqual([]);
    expect(splitRoles(' A | B ,, &C& ')).toEqual(['A', 'B', 'C']);
  });

  it('shares one frozen list per distinct role list', () => {
    const intern = new Interner();
    const text = 'BASIS_GSD,FR0999001,R1;BASIS_GSD,FR0999001,R1';
    const roles = intern.roles(text.slice(0, 22));
    expect(intern.roles(text.slice(23))).toBe(roles);
    expect(intern.roles('BASIS_GSD,FR0999002,R1')).not.toBe(roles);
    expect(Object.isFrozen(roles)).toBe(true);
    expect(() => (roles as string[]).push('R2')).toThrow(TypeError);
    expect(() => {
      (roles as string[])[0] = 'ADMIN';
    }).toThrow(TypeError);
    expect(roles).toEqual(['BASIS_GSD', 'FR0999001', 'R1']);
    expect(Object.isFrozen(intern.roles(''))).toBe(true);
    expect(intern.roles('')).toBe(intern.roles(''));
  });

  it('stays correct after its tables fill up and start afresh', () => {
    const intern = new Interner();
    const roles = intern.roles('A,B');
    for (let index = 0; index < 50_010; index++) {
      expect(intern.string(`gebruiker_${index}`)).toBe(`gebruiker_${index}`);
      intern.roles(`R${index}`);
    }
    expect(intern.string('gebruiker_7')).toBe('gebruiker_7');
    const again = intern.roles('A,B');
    expect(again).toEqual(roles);
    expect(Object.isFrozen(again)).toBe(true);
    expect(intern.roles('A,B')).toBe(again);
  });
});

describe('LookupRecord', () => {
  const make = (searchKeys: string | Record<string, string>, bsn: string | null) =>
    new LookupRecord(
      Date.parse('2026-03-02T07:00:12Z'),
      '0057_gsd_voorbeeld_mb',
      'mira bakker',
      Object.freeze(['BASIS_GSD', 'R1']),
      'voorbeeld',
      null,
      'gba-zoek',
      searchKeys,
      bsn,
      null,
      null,
      'classic',
      'access.log',
      12,
      1,
    );

  it('parses search keys given as logged only when asked, once', () => {
    const record = make('Postcode=5346AB&Huisnummer=4', null);
    const keys = record.searchKeys;
    expect(keys).toEqual({ Postcode: '5346AB', Huisnummer: '4' });
    expect(record.searchKeys).toBe(keys);
  });

  it('keeps search keys given as an object', () => {
    const keys = { bsn: '111222333' };
    expect(make(keys, '111222333').searchKeys).toBe(keys);
  });

  it('gives the canonical fields as a plain object with toJSON, and JSON.stringify uses it', () => {
    const record = make('Burgerservicenr=111222333', '111222333');
    const expected: Lookup = {
      time: Date.parse('2026-03-02T07:00:12Z'),
      user: '0057_gsd_voorbeeld_mb',
      userName: 'mira bakker',
      roles: ['BASIS_GSD', 'R1'],
      organisation: 'voorbeeld',
      chosenMunicipality: null,
      page: 'gba-zoek',
      searchKeys: { Burgerservicenr: '111222333' },
      bsn: '111222333',
      escapeReason: null,
      session: null,
      layout: 'classic',
      file: 'access.log',
      line: 12,
      source: 1,
    };
    const json = record.toJSON();
    expect(json).toStrictEqual(expected);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(expected);
    // The fields a rule reads are the same on the record itself.
    for (const [name, value] of Object.entries(expected)) expect(record[name as keyof Lookup], name).toEqual(value);
  });
});

describe('parseSearchKeys and digitsAt', () => {
  it('reads name=value pairs, a name without = as empty, and skips empty pairs', () => {
    expect(parseSearchKeys('Postcode=5346AB&Huisnummer=4')).toEqual({ Postcode: '5346AB', Huisnummer: '4' });
    expect(parseSearchKeys('a=b=c&&flag&x=')).toEqual({ a: 'b=c', flag: '', x: '' });
    expect(parseSearchKeys('')).toEqual({});
  });

  it('reads a run of digits, or -1 when one is not a digit', () => {
    expect(digitsAt('x2026-03', 1, 4)).toBe(2026);
    expect(digitsAt('x2026-03', 6, 2)).toBe(3);
    expect(digitsAt('x2026-03', 1, 5)).toBe(-1);
    expect(digitsAt('/:', 0, 1)).toBe(-1);
    expect(digitsAt('/:', 1, 1)).toBe(-1);
  });
});

describe('ByBytes', () => {
  /** Lines of `field,rest`, as a parser sees them: the text and its bytes, the field at the start. */
  function lineOf(field: string, rest: string): { text: string; bytes: Uint8Array } {
    const text = `${field},${rest}`;
    return { text, bytes: Buffer.from(text, 'latin1') };
  }

  it('gives what a Map of the sliced text gives, making each value once, through growing (differential)', () => {
    const random = prng(3);
    const made: string[] = [];
    const table = new ByBytes((raw) => {
      made.push(raw);
      return `value of ${raw}`;
    });
    const expected = new Map<string, string>();
    // Keys that share prefixes, differ only in length, are empty, or repeat; 3,000 of them make it grow.
    const keys = ['', 'a', 'ab', 'abc', 'gba-zoek', 'gba-zoeK', ...Array.from({ length: 3000 }, (_, index) => `pagina-${index}`)];
    for (let round = 0; round < 20_000; round++) {
      const key = keys[Math.floor(random() * random() * keys.length)]!;
      const { text, bytes } = lineOf(key, 'x'.repeat(round % 7));
      expected.set(key, `value of ${key}`);
      expect(table.get(text, 0, key.length, bytes)).toBe(expected.get(key));
    }
    expect(made.length).toBe(expected.size);
    expect(new Set(made).size).toBe(made.length);
  });

  it('tells apart keys of every length that differ in one byte anywhere, at any offset of a piece (compared four bytes at a time)', () => {
    const table = new ByBytes((raw) => `value of ${raw}`);
    const last = new LastValue((raw: string) => `last ${raw}`);
    // A piece of a chunk, as forEachLine hands it out: a view into a bigger buffer, not at its start.
    const chunk = Buffer.alloc(4096, 0x2e);
    for (let length = 0; length <= 13; length++) {
      const base = 'abcdefghijklm'.slice(0, length);
      const variants = [base, ...Array.from({ length }, (_, at) => `${base.slice(0, at)}#${base.slice(at + 1)}`)];
      for (const [index, key] of variants.entries()) {
        for (const offset of [0, 1, 2, 3, 5]) {
          const pieceStart = 7 + ((index + offset) % 4);
          const piece = chunk.subarray(pieceStart, pieceStart + 64);
          piece.fill(0x2e);
          piece.write(key, offset, 'latin1');
          const text = piece.toString('latin1');
          expect(table.get(text, offset, offset + length, piece), `${key} at ${offset}`).toBe(`value of ${key}`);
          expect(last.get(text, offset, offset + length, piece), `${key} at ${offset}`).toBe(`last ${key}`);
        }
      }
    }
  });

  it('starts afresh past the bound of shared values, and stays right', () => {
    let made = 0;
    const table = new ByBytes((raw) => {
      made++;
      return raw.toUpperCase();
    });
    // It starts afresh when it would grow once it holds SHARED_LIMIT (50,000): at 65,536 values.
    for (let index = 0; index < 66_000; index++) {
      const { text, bytes } = lineOf(`gebruiker_${index}`, '');
      expect(table.get(text, 0, text.length - 1, bytes)).toBe(`GEBRUIKER_${index}`);
    }
    const { text, bytes } = lineOf('gebruiker_7', '');
    expect(table.get(text, 0, text.length - 1, bytes)).toBe('GEBRUIKER_7');
    // Made again: the table was started afresh once it held the bound.
    expect(made).toBe(66_001);
  });
});

describe('textAt and LastValue on a line read as bytes', () => {
  /** A line as forEachLine hands it to a BKWI parser: its UTF-8 bytes, and the text their Latin-1. */
  const asBytes = (line: string) => {
    const bytes = Buffer.from(line, 'utf8');
    return { text: bytes.toString('latin1'), bytes };
  };

  it('decodes a field that is not ASCII, and slices one that is', () => {
    const { text, bytes } = asBytes('5,Özlem Çelik,plain,😀');
    expect(textAt(text, 2, 15, bytes)).toBe('Özlem Çelik');
    expect(textAt(text, 16, 21, bytes)).toBe('plain');
    expect(textAt(text, 22, 26, bytes)).toBe('😀');
    // Without bytes the text is the line's own: sliced as it is.
    expect(textAt('Özlem', 0, 5)).toBe('Özlem');
    expect(textAt('Ã\u0096zlem', 0, 6)).toBe('Ã\u0096zlem');
  });

  it('makes a value of the decoded field, and knows a repeat by its bytes', () => {
    const made: string[] = [];
    const cache = new LastValue((raw: string) => (made.push(raw), raw.toUpperCase()));
    const first = asBytes('x,Bért');
    expect(cache.get(first.text, 2, 7, first.bytes)).toBe('BÉRT');
    const again = asBytes('yy,Bért');
    expect(cache.get(again.text, 3, 8, again.bytes)).toBe('BÉRT');
    expect(made).toEqual(['Bért']);
  });

  it('never takes the Latin-1 of a field read as bytes for the same characters in a line read as text', () => {
    const cache = new LastValue((raw: string) => raw);
    const { text, bytes } = asBytes('Bé');
    expect(cache.get(text, 0, 3, bytes)).toBe('Bé');
    // A line decoded on its own (say, of a piece with an invalid line) that holds 'BÃ©' as characters.
    expect(cache.get('BÃ©', 0, 3)).toBe('BÃ©');
  });
});
