/**
 * A short-lived thread that computes the days off of some years with the holiday library, so that the
 * main thread of a run with workers never loads it (see holidayTableInThread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { holdYoungGenerations } from '../engine/heap.js';
import type { HolidayAdjustments } from './calendar.js';

const { timezone, holidays, years, holdYoungGenerations: hold } = workerData as {
  timezone: string;
  holidays?: HolidayAdjustments;
  years: number[];
  holdYoungGenerations?: boolean;
};
// Setting up this thread's heap let the young generations grow again; the main thread is reading the
// reference data meanwhile. The holiday library is imported after, for the hold to come as early as it can.
if (hold) holdYoungGenerations();
const { Calendar } = await import('./calendar.js');
parentPort!.postMessage(new Calendar({ timezone, holidays }).holidayTable(years));
