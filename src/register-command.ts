import { Command, Option } from 'commander';
import { basename, dirname, join, resolve } from 'node:path';
import type { Io } from './analyze-command.js';
import { EXIT, KnownError, OutputError, UsageError } from './errors.js';
import { makePrivateFolder, writePrivateFile } from './output/folder.js';
import { REGISTER_FILE, withRegister } from './register/db.js';
import { purgeBefore } from './register/purge.js';
import { readVerifiedRunFolder, recordRun } from './register/runs.js';
import { localToday, registerStatus, statusCsv, statusText } from './register/status.js';
import { importVerdicts } from './register/verdicts.js';
import { yearAccount, yearCsv, yearHtml } from './register/yearly.js';
import { formatDay, parseDay } from './time/civil.js';
import { VERSION } from './version.js';
import { describeFsError } from './input/sources.js';

/**
 * `analyze --register [file]`: a path, or without one the default file beside the output folder, where the
 * register of the months before it is.
 */
export function registerPathOf(value: unknown, out: string): string | undefined {
  if (value === undefined) return undefined;
  return value === true ? join(dirname(resolve(out)), REGISTER_FILE) : String(value);
}

/** A date option: `YYYY-MM-DD` (or `DD-MM-YYYY`), normalised to `YYYY-MM-DD`. */
function dateOption(text: string, option: string): string {
  const day = parseDay(text);
  if (day === null) throw new UsageError(`${option} ${text} is not a date`, { hint: 'write YYYY-MM-DD' });
  return formatDay(day);
}

function wholeNumber(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
  return value;
}

/**
 * Works through several folders or files, each on its own (its own transaction): one that is refused is
 * reported as the error it is, and the others still go in. Returns the exit code of the first refusal, or 0.
 */
async function eachOnItsOwn(items: readonly string[], io: Io, debug: boolean, work: (item: string) => Promise<string> | string): Promise<number> {
  let exit: number = EXIT.ok;
  for (const item of items) {
    try {
      io.out(await work(item));
    } catch (error) {
      if (!(error instanceof KnownError)) throw error;
      io.err(error.describe(debug));
      if (exit === EXIT.ok) exit = error.exitCode;
    }
  }
  return exit;
}

/** Writes an output of a register command, private, and turns a file system error into one line. */
async function writeOutput(path: string, content: string): Promise<void> {
  try {
    await makePrivateFolder(dirname(path));
    await writePrivateFile(dirname(path), basename(path), content);
  } catch (error) {
    // As for analyze: an output that cannot be written is exit 4.
    throw new OutputError(`cannot write ${path}: ${describeFsError(error)}`, { hint: 'choose a folder you can write to, with space left' });
  }
}

const REGISTER_OPTION = ['--register <file>', 'the register file', REGISTER_FILE] as const;

/** `suwinet-audit register …`: the follow-up register's commands. */
export function addRegisterCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const register = program
    .command('register')
    .description('the follow-up register: runs, verdicts, open findings and repeat offenders across months')
    .addHelpText(
      'after',
      `
Exit codes:
  0    done
  1    status: findings without a verdict for more than --days
  2    usage error, a register that cannot be opened, or a worklist refused (nothing of it applied)
  3    an output folder that does not match its manifest.json (not added)`,
    );
  const debugOf = (command: Command) => Boolean(command.optsWithGlobals()['debug']);

  register
    .command('add')
    .description('record finished runs: the output folders of analyze, checked against their manifest.json')
    .argument('<dir...>', 'output folders of analyze runs')
    .option('--register <file>', `the register file (default: ${REGISTER_FILE} beside the first folder)`)
    .action(async (dirs: string[], options: { register?: string }, command: Command) => {
      const path = options.register ?? registerPathOf(true, dirs[0]!)!;
      setExit(
        await eachOnItsOwn(dirs, io, debugOf(command), async (dir) => {
          const run = await readVerifiedRunFolder(dir);
          const result = withRegister(path, { create: true }, (db) => recordRun(db, run));
          return result.added
            ? `${dir}: added to ${path}: ${result.findings} finding(s), ${result.newFindings} not seen before\n`
            : `${dir}: already in ${path}; nothing changed\n`;
        }),
      );
    });

  register
    .command('verdicts')
    .description('read filled-in worklists back: each oordeel and toelichting, keeping earlier verdicts as history')
    .argument('<file...>', 'worklists (worklists/<team>.csv), as the team leaders filled them in')
    .option(...REGISTER_OPTION)
    .action(async (files: string[], options: { register: string }, command: Command) => {
      setExit(
        await withRegister(options.register, { create: false }, (db) =>
          eachOnItsOwn(files, io, debugOf(command), (file) => {
            const result = importVerdicts(db, file);
            return `${file} (team ${result.team}): ${result.recorded} verdict(s) recorded, ${result.unchanged} unchanged, ${result.open} without an oordeel\n`;
          }),
        ),
      );
    });

  register
    .command('status')
    .description('open findings without a verdict, unjustified findings per team and employee, repeat offenders')
    .option('--days <n>', 'findings without a verdict for more than this many days are overdue', '30')
    .option('--today <date>', 'the day to count from, YYYY-MM-DD (default: today)')
    .option('--csv <file>', 'also write the status as CSV for Excel')
    .option(...REGISTER_OPTION)
    .action(async (options: { days: string; today?: string; csv?: string; register: string }) => {
      const days = wholeNumber(options.days, '--days', 0, 3650);
      const status = withRegister(options.register, { create: false }, (db) => {
        const today = options.today === undefined ? localToday(db) : dateOption(options.today, '--today');
        return registerStatus(db, { today, days });
      });
      if (options.csv !== undefined) await writeOutput(options.csv, statusCsv(status));
      io.out(statusText(status));
      setExit(status.overdue.length > 0 ? EXIT.findings : EXIT.ok);
    });

  register
    .command('report')
    .description("the year's accounting for ENSIA: per month checked or not, files and hashes, findings, follow-up (HTML and CSV)")
    .requiredOption('--year <yyyy>', 'the year')
    .option('--out <dir>', 'folder for register-report-<year>.html and .csv', '.')
    .addOption(new Option('--lang <lang>', 'language of the HTML').choices(['nl', 'en']).default('nl'))
    .option(...REGISTER_OPTION)
    .action(async (options: { year: string; out: string; lang: 'nl' | 'en'; register: string }) => {
      const year = wholeNumber(options.year, '--year', 2000, 2999);
      const account = withRegister(options.register, { create: false }, (db) => yearAccount(db, year));
      const name = join(options.out, `register-report-${year}`);
      await writeOutput(`${name}.html`, yearHtml(account, options.lang, VERSION));
      await writeOutput(`${name}.csv`, yearCsv(account));
      io.out(`wrote ${name}.html and ${name}.csv\n`);
    });

  register
    .command('purge')
    .description('retention: erase the personal data of findings that ended before a date, keeping the counts')
    .requiredOption('--before <date>', 'findings whose last lookup is before this day, YYYY-MM-DD')
    .option(...REGISTER_OPTION)
    .action((options: { before: string; register: string }) => {
      const before = dateOption(options.before, '--before');
      const result = withRegister(options.register, { create: false }, (db) => {
        // Erasing cannot be undone: a date in the future is a typo, not a retention period.
        if (before > localToday(db)) throw new UsageError(`--before ${before} is in the future`, { hint: 'purge erases personal data for good; give a date in the past' });
        return purgeBefore(db, before, new Date().toISOString());
      });
      io.out(
        `purged the personal data of ${result.findings} finding(s) before ${before} (${result.open} without a verdict) ` +
          `and of ${result.verdicts} verdict(s); the counts stay for the yearly report\n`,
      );
    });
}
