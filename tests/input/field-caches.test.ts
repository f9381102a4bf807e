import { describe, expect, it } from 'vitest';
import { classicParser } from '../../src/input/classic.js';
import { forEachLine } from '../../src/input/lines.js';
import { Interner, type ParseContext, type RecordParser } from '../../src/input/record.js';
import { v5Parser } from '../../src/input/v5.js';
import { ZoneClock } from '../../src/time/zone.js';
import { outcome } from '../support/lookups.js';

const context = (): ParseContext => ({ clock: new ZoneClock('Europe/Amsterdam'), file: 'log', source: 0, intern: new Interner() });

/**
 * Parsers keep the last value of a field, and per login the last name and roles, and compare the next
 * line's raw text with them in place (as bytes for ASCII lines). Whatever the order of the lines, every line
 * must read as it reads on its own, with fresh caches.
 */
function expectSameAsAlone(makeParser: (context: ParseContext) => RecordParser, lines: string[]): void {
  const shared = context();
  const read: unknown[] = [];
  // Passes through the same thread's caches (the next chunks), each with a parser made afresh: lines that
  // are not ASCII decoded on their own, then as bytes (as the BKWI parsers get them), then decoded again.
  for (const utf8Bytes of [false, true, false]) {
    const parse = makeParser(shared);
    forEachLine(Buffer.from(lines.join('\n') + '\n', 'utf8'), 1, true, {
      record: (text, start, end, line, bytes) => read.push(outcome(parse(text, start, end, line, bytes))),
      utf8Bytes,
      blank: () => read.push('blank'),
      reject: (_, reason) => read.push(reason),
    });
  }
  const alone = lines.map((text, index) => outcome(makeParser(context())(text, 0, text.length, index + 1)));
  expect(read).toStrictEqual([...alone, ...alone, ...alone]);
}

const v5 = (date: string, login: string, name: string, roles: string, organisation = 'Gemeente+Voorbeeld', reason = '') =>
  `5,c4b312a1-2f0e-4a51-9d3c-1a2b3c4d5e6f,9f4996d4-0a1b-4c2d-8e3f-405162738495,${date},08:00:09.949,${login},${name},${roles},00000001999000000000,00000001999000000000,0999-burgerzaken,bsn=319072356,${organisation},,,${reason}`;

const classic = (date: string, login: string, name: string, roles: string, page = 'gba-zoek', session = '"4df5"', trailing = ',,,"gemeente scherm",,') =>
  `info3 20260302-08:00:12 "SI_03","71345571523011","GET","false","true","${date} 08:00:12","${date} 08:00:12",428,"true",1,2026,3,"maart",2,"maandag","${login}","cn=x","${name}","gsd","voorbeeld",,,"${roles}",${session},"gsd","${page}","main","Burgerservicenr=111222333","9357","http://localhost/",${trailing}`;

describe('field caches of the line parsers', () => {
  it('v5: logins take turns, a name or role list changes to one of the same length, dates and fields change', () => {
    expectSameAsAlone(v5Parser, [
      v5('2026-04-01', 'user_aa', 'Anna Bos', 'R1&FR0999001'),
      v5('2026-04-01', 'user_bb', 'Bert Bos', 'R1&FR0999002'),
      v5('2026-04-01', 'user_aa', 'Anna Bos', 'R1&FR0999001'),
      v5('2026-04-01', 'user_aa', 'Anna Vos', 'R1&FR0999003'),
      v5('2026-04-02', 'user_bb', 'Bert Bos', 'R1&FR0999002', 'Gemeente+Elders'),
      v5('2026-04-02', 'user_bb', 'Bért Bos', 'R1&FR0999002'),
      v5('2026-04-02', 'user_bb', 'Bert Bos', 'R1&FR0999002', 'Gemeente+Voorbeeld', 'Anders'),
      v5('2026-04-02', 'user_cc', '', ''),
      v5('2026-04-03', 'user_aa', 'Anna Vos', 'R1&FR0999003'),
      v5('2026-13-03', 'user_aa', 'Anna Vos', 'R1&FR0999003'),
      v5('2026-04-03', 'user_ab', 'Anna Vos', 'R1&FR0999003'),
    ]);
  });

  it('v5: fields that are not ASCII, in every cached field, changing to text of the same number of bytes', () => {
    expectSameAsAlone(v5Parser, [
      v5('2026-04-01', 'user_aa', 'Bért', 'R1&FR0999001'),
      // 'Berts' has as many bytes as 'Bért'.
      v5('2026-04-01', 'user_aa', 'Berts', 'R1&FR0999001'),
      v5('2026-04-01', 'user_aa', 'Bért', 'R1&FR0999001'),
      v5('2026-04-01', 'user_é', 'Émile', 'Rö&FR0999001', 'Gemeente+Súdwest', 'Ánders'),
      v5('2026-04-01', 'user_é', 'Émile', 'Rö&FR0999001', 'Gemeente+Súdwest', 'Ánders'),
      v5('2026-04-01', 'user_aa', 'Bért', 'R1&FR0999001', 'Gemeente+Sudwests', 'Anderss'),
      v5('2026-04-01', 'user_e_', 'Émile', 'R1&FR0999001'),
      v5('2026-04-01', 'user_é', 'Karin Yılmaz 😀', 'Rö&FR0999001'),
      v5('2026-04-0é', 'user_é', 'Émile', 'Rö&FR0999001'),
      v5('2026-04-01', 'user_aa', 'Bért', 'R1&FR0999001').replace('bsn=319072356', 'geslachtsnaam=Çelik&postcode=1234AB'),
      v5('2026-04-01', 'user_aa', 'Bért', 'R1&FR0999001').replace('5,c4b312a1', 'é,c4b312a1'),
    ]);
  });

  it('v5: more logins than the login table first has room for, each coming back', () => {
    const logins = Array.from({ length: 300 }, (_, index) => `user_${String(index).padStart(3, '0')}`);
    expectSameAsAlone(v5Parser, [...logins, ...logins.reverse()].map((login, index) => v5('2026-04-01', login, `Naam ${index % 7}`, 'R1&FR0999001')));
  });

  it('classic: the same, with a name that has doubled quotes, a page and a session that change', () => {
    expectSameAsAlone(classicParser, [
      classic('2026-03-02', 'user_aa', 'anna bos', 'BASIS_GSD,FR0999001,R1'),
      classic('2026-03-02', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R1', 'kadaster-zoek'),
      classic('2026-03-02', 'user_aa', 'anna vos', 'BASIS_GSD,FR0999001,R1'),
      classic('2026-03-02', 'user_aa', 'anna ""v""', 'BASIS_GSD,FR0999003,R1'),
      classic('2026-03-03', 'user_aa', 'anna vos', 'BASIS_GSD,FR0999003,R1', 'kadaster-zoek'),
      classic('2026-03-03', 'user_bb', 'bért bos', 'BASIS_GSD,FR0999002,R1'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2'),
      classic('2026-02-30', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2', 'gba-zoek', '"5ef6"'),
      classic('2026-03-03', 'user_aa', 'anna vos', 'BASIS_GSD,FR0999003,R1', 'gba-zoek', '"5ef6"'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2', 'gba-zoek', ''),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2', 'gba-zoek', '"4df5"'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2', 'gba-zoek', '"4d""5"'),
      classic('2026-03-03', 'user_é', 'Émile ""É""', 'BASIS_GSD,FRö,R2', 'gbä-zoek', '"4dö5"', ',,,"Súdwest scherm","Súdwest",'),
      classic('2026-03-03', 'user_é', 'Émile', 'BASIS_GSD,FRö,R2', 'gbä-zoek', '"4dö5"', ',,,"Súdwest",,'),
      classic('2026-03-03', 'user_bb', 'bért bos', 'BASIS_GSD,FR0999002,R2', 'gbäzoek', '"4dö5"'),
      classic('2026-03-03', 'user_bb', 'bérts bo', 'BASIS_GSD,FR0999002,R2', 'gbäzoek', '"4dö5"'),
      classic('2026-03-0é', 'user_bb', 'bért bos', 'BASIS_GSD,FR0999002,R2'),
      classic('2026-03-03', 'user_""é""', 'bért bos', 'BASIS_GSD,FR0999002,R2').replace('Burgerservicenr=111222333', 'Geslachtsnaam=Çelik'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2').replace('"Burgerservicenr=111222333"', '"Geslachtsnaam=""Çelik""&Burgerservicenr=111222333"'),
      classic('2026-03-03', 'user_bb', 'bert bos', 'BASIS_GSD,FR0999002,R2').replace('"Burgerservicenr=111222333"', '"Burgerservicenr=""111222333"""'),
    ]);
  });

  it('classic: fields 30–35 with screen labels and chosen municipalities that change from line to line', () => {
    const line = (trailing: string) => classic('2026-03-02', 'user_aa', 'anna bos', 'BASIS_GSD,FR0999001,R1', 'gba-zoek', '"4df5"', trailing);
    expectSameAsAlone(classicParser, [
      line(',,,"gemeente scherm",,'),
      line(',,,"Heiloo",,'),
      line(',,,"gemeente scherm",,'),
      line(',"gemeente scherm",,"Heiloo",,'),
      line(',"Heiloo",,"gemeente scherm",,'),
      line(',,,"GEMEENTE SCHERM","Bergen",'),
      line(',,,"Bergen","Heiloo",'),
      line(',,,"Berg""en",,'),
      line(',,,"gemeente scherm",,'),
      line(',,,,,'),
      line(',,,"Heiloo scherm",,'),
      line(',,,"Heiloo",,'),
    ]);
  });
});
