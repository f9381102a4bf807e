/**
 * A short-lived thread that computes the days off of some years with the holiday library, so that the
 * main thread of a run with workers never loads it (see holidayTableInThread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tightenHeaps } from '../engine/heap.js';
import type { HolidayAdjustments } from './calendar.js';

const { timezone, holidays, years, tightHeaps: tight } = workerData as {
  timezone: string;
  holidays?: HolidayAdjustments;
  years: number[];
  tightHeaps?: boolean;
};
// Setting up this thread's heap let the young generations grow again (see tightenHeaps), and the main
// thread is reading the reference data meanwhile: the holiday library is imported after, not before.
if (tight) tightenHeaps();
const { Calendar } = await import('./calendar.js');
parentPort!.postMessage(new Calendar({ timezone, holidays }).holidayTable(years));
