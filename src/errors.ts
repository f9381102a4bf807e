/**
 * Known errors: each is printed as one line (message + hint) and maps to an exit code.
 * Anything else is a bug and is re-thrown with its stack.
 */
export abstract class KnownError extends Error {
  abstract readonly exitCode: number;
  readonly hint: string | undefined;
  /** Lines such as `file:line: reason`, printed under the message. */
  readonly problems: readonly string[];

  constructor(message: string, options: { hint?: string; cause?: unknown; problems?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.problems = options.problems ?? [];
    this.name = new.target.name;
  }

  /** What the user sees: the message, the problems, the hint (and with `debug` the stack). */
  describe(debug: boolean): string {
    return (
      `suwinet-audit: ${this.message}\n` +
      this.problems.map((problem) => `  ${problem}\n`).join('') +
      (this.hint ? `hint: ${this.hint}\n` : '') +
      (debug ? `${this.stack}\n` : '')
    );
  }
}

/** Wrong command line: unknown option, missing argument, bad value. */
export class UsageError extends KnownError {
  readonly exitCode = 2;
}

/** Wrong settings: rule options, mapping file, time zone, holiday list. */
export class ConfigError extends KnownError {
  readonly exitCode = 2;
}

/** Reference data (caseload, users, authz, watchlist) that cannot be trusted: the run stops. */
export class ReferenceDataError extends KnownError {
  readonly exitCode = 2;
  constructor(message: string, problems: readonly string[] = [], options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, problems });
  }
}

/** An input log that cannot be read at all (missing, unknown layout, corrupt archive). */
export class InputError extends KnownError {
  readonly exitCode = 3;
}

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  input: 3,
  output: 4,
  /** A bug: an error the tool does not know (sysexits' EX_SOFTWARE), never confused with "findings". */
  internal: 70,
  interrupted: 130,
} as const;

/** A worker thread failed (crashed, killed, ran out of memory): the run cannot be trusted. */
export class WorkerError extends KnownError {
  readonly exitCode = 3;
}

/** The outputs cannot be written (disk full, no permission, read-only disk): nothing was published. */
export class OutputError extends KnownError {
  readonly exitCode = 4;
}

/** The run was interrupted (SIGINT, SIGTERM): nothing was written. */
export class InterruptedError extends KnownError {
  readonly exitCode = 130;
}
