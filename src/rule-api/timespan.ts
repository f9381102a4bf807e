/** Durations in Sigma's notation: `30s`, `60m`, `1h`, `7d`. */

const TIMESPAN = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a Sigma timespan, or null when the text is not one. */
export function parseTimespan(text: string): number | null {
  const match = TIMESPAN.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return amount > 0 ? amount * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}

/** The JSON Schema of a timespan option, matching what parseTimespan reads. */
export const TIMESPAN_SCHEMA = { type: 'string', pattern: '^[1-9][0-9]*\\s*(s|m|h|d)$' } as const;
