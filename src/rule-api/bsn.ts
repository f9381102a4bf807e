/** BSN helpers shared by the inputs, the reference loaders, the rules and the outputs. */

/** A normalised BSN: nine digits, leading zeros kept. */
export const NINE_DIGITS = /^\d{9}$/;
const UP_TO_NINE_DIGITS = /^\d{1,9}$/;

/**
 * Normalises a BSN as found in a log or reference file: digits only, eight-digit numbers (and shorter,
 * as spreadsheets drop leading zeros) get leading zeros. Returns null when the value is not a number.
 */
export function normaliseBsn(value: string): string | null {
  const trimmed = value.trim();
  if (!UP_TO_NINE_DIGITS.test(trimmed)) return null;
  return trimmed.padStart(9, '0');
}

/**
 * The BSN of a lookup as a number, -1 when it has none. The log parsers read it once, as the lookup is made
 * (`bsnNumber` of a LookupRecord); rules that index BSNs by number asked `Number(lookup.bsn)` of the same
 * string, three to six times per lookup at about 35 ns each.
 */
export function bsnNumber(lookup: { readonly bsn: string | null; readonly bsnNumber?: number }): number {
  return lookup.bsnNumber ?? (lookup.bsn === null ? -1 : Number(lookup.bsn));
}

/** The 11-check ("elfproef"): 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11 and greater than 0. */
export function isValidBsn(bsn: string): boolean {
  if (!NINE_DIGITS.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (bsn.charCodeAt(i) - 48);
  sum -= bsn.charCodeAt(8) - 48;
  return sum > 0 && sum % 11 === 0;
}

/** Test persons live in the 9999xxxxx range. */
export function isTestBsn(bsn: string): boolean {
  return bsn.startsWith('9999');
}

/** Search-key names that carry a BSN (SI Classic `Burgerservicenr`, v5 `bsn`), lower case. */
const BSN_KEYS = new Set(['bsn', 'burgerservicenr', 'burgerservicenummer']);

/** Whether a search key (`Burgerservicenr`, `bsn`) holds a BSN; other keys are searches without a BSN. */
export function isBsnKey(name: string): boolean {
  return BSN_KEYS.has(name.toLowerCase());
}

/** Masks all but the last four digits, as BKWI's own screens do: `*****0338`. */
export function maskBsn(bsn: string): string {
  return '*****' + bsn.slice(-4);
}

/** A nine-digit number standing on its own (`bsn=111222333`, `'111222333'`), not part of a longer word. */
const LOOSE_BSN = /(?<!\w)\d{9}(?!\w)/g;

/**
 * Masks every nine-digit number in free text. What the tool prints on stderr ends up in cron mail and job
 * logs, where nobody needs a full BSN; messages may quote a line or a value that holds one.
 */
export function maskBsnsIn(text: string): string {
  return text.replace(LOOSE_BSN, maskBsn);
}
