/**
 * A short-lived thread that computes the days off of some years with the holiday library, so that the
 * main thread of a run with workers never loads it (see holidayTableInThread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Calendar, type HolidayAdjustments } from './calendar.js';

const { timezone, holidays, years } = workerData as { timezone: string; holidays?: HolidayAdjustments; years: number[] };
parentPort!.postMessage(new Calendar({ timezone, holidays }).holidayTable(years));
