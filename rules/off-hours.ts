/**
 * # off-hours
 *
 * ## What it finds
 * Lookups at night or in the evening (before `dayStart` or from `dayEnd` on, local time), on days that are
 * not working days (Saturday and Sunday by default) and on Dutch public holidays (the days off under the
 * municipal collective agreement; adjust with `--holiday` / `--no-holiday`). One finding per employee,
 * citizen and day, with the number of lookups.
 *
 * ## Why it matters
 * Work on citizens' files happens in office hours; a lookup at 23:00 or on Easter Monday is more often
 * private curiosity. BKWI's usage report counts these lookups (table 2.2) but does not judge them.
 *
 * ## Options
 * - `dayStart` (`"06:00"`): first minute of the working day.
 * - `dayEnd` (`"19:00"`): first minute after the working day (19:00 itself is off-hours).
 * - `workingDays` (`[1, 2, 3, 4, 5]`): ISO weekdays, 1 = Monday.
 * - `holidays` (`true`): count public holidays as off-hours.
 *
 * ## Example
 * `0057_gsd_voorbeeld_mb raadpleegde BSN *****2333 buiten kantoortijd (06:00–19:00) op 2026-03-30 om 19:05
 * (1 raadpleging)`
 */
import { CLOCK_SCHEMA, defineRule, minutesOfClock } from '../src/rule-api/index.js';

export interface OffHoursOptions {
  dayStart: string;
  dayEnd: string;
  workingDays: number[];
  holidays: boolean;
}

const WEEKDAY_NAMES = ['', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'];

export default defineRule<OffHoursOptions>({
  meta: {
    id: 'off-hours',
    title: 'Raadpleging buiten kantoortijd',
    severity: 'low',
    basis: { kind: 'source', reference: 'BKWI gebruiksrapportage, tabel 2.2 (raadplegingen buiten kantoortijd)' },
    description:
      'Lookups before the start or after the end of the working day, on non-working days and on Dutch public holidays.',
    options: {
      schema: {
        type: 'object',
        properties: {
          dayStart: CLOCK_SCHEMA,
          dayEnd: CLOCK_SCHEMA,
          workingDays: {
            type: 'array',
            items: { type: 'integer', minimum: 1, maximum: 7 },
            uniqueItems: true,
          },
          holidays: { type: 'boolean' },
        },
        additionalProperties: false,
      },
      defaults: { dayStart: '06:00', dayEnd: '19:00', workingDays: [1, 2, 3, 4, 5], holidays: true },
    },
    messages: {
      outsideHours:
        '{{user}} raadpleegde {{citizen}} buiten kantoortijd ({{dayStart}}–{{dayEnd}}) op {{date}} om {{from}} ({{count}} raadpleging(en))',
      nonWorkingDay: '{{user}} raadpleegde {{citizen}} op {{weekday}} {{date}} om {{from}}, geen werkdag ({{count}} raadpleging(en))',
      holiday: '{{user}} raadpleegde {{citizen}} op feestdag {{holiday}} ({{date}}) om {{from}} ({{count}} raadpleging(en))',
    },
  },
  create({ options, calendar }) {
    const start = minutesOfClock(options.dayStart);
    const end = minutesOfClock(options.dayEnd);
    const workingDays = new Set(options.workingDays);
    return {
      lookup(lookup, report) {
        const local = calendar.localParts(lookup.time);
        const holiday = options.holidays ? calendar.holidayName(local.day) : undefined;
        if (holiday !== undefined) {
          report({ messageId: 'holiday', data: { holiday } });
        } else if (!workingDays.has(local.weekday)) {
          report({ messageId: 'nonWorkingDay', data: { weekday: WEEKDAY_NAMES[local.weekday]! } });
        } else if (local.minuteOfDay < start || local.minuteOfDay >= end) {
          report({ messageId: 'outsideHours', data: { dayStart: options.dayStart, dayEnd: options.dayEnd } });
        }
      },
    };
  },
});
