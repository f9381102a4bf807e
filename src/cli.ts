import { Command, CommanderError, Option } from 'commander';
import { runAnalyze, type Io } from './analyze-command.js';
import { EXIT, KnownError, UsageError } from './errors.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, writeFileSync } from 'node:fs';
import { DEFAULT_CHUNK_SIZE, MAX_LINE } from './engine/analyze.js';
import { BUILTIN_RULES, loadRuleSources, loadRules, type LoadedRule } from './engine/setup.js';
import { applyConfig, declarativeRuleSetOf, defaultConfig, effectiveConfig, loadConfig, ruleSettingsOf, type Config } from './config.js';
import { ENCODING_CHOICES, type EncodingChoice } from './input/encoding.js';
import { parseFailOn, parseRate, parseRuleList, parseRuleOptions, parseSample, parseSize, parseUmask, parseWorkers } from './options.js';
import { PRIVATE, modesFor } from './output/folder.js';
import { listRules, rulesJson, rulesTable } from './rules-command.js';
import { runVerify } from './verify-command.js';
import { maskBsnsIn } from './rule-api/bsn.js';
import { LAYOUTS } from './rule-api/types.js';
import { VERSION } from './version.js';
import { REGISTER_FILE } from './register/db.js';
import { addRegisterCommands, registerPathOf } from './register-command.js';

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The built-in rules and those of every `--plugin`, as module URLs (workers import them the same way). */
function ruleModulesOf(options: { plugin?: unknown }): string[] {
  const plugins = (options.plugin as string[] | undefined) ?? [];
  return [BUILTIN_RULES, ...plugins.map((path) => pathToFileURL(resolve(path)).href)];
}

/**
 * What `config --print` and `rules` show: the config file (when given) and the rules it and the command line
 * bring in: built-in, the plugins (the command line's `--plugin` list replaces the file's, as for `analyze`),
 * and the config's declarative rules.
 */
async function configuredRules(options: { config?: string; plugin?: string[] }): Promise<{ config: Config | undefined; loaded: LoadedRule[] }> {
  const config = options.config === undefined ? undefined : loadConfig(options.config);
  const plugins = options.plugin ?? (config?.['plugin'] as string[] | undefined) ?? [];
  return { config, loaded: await loadRuleSources(ruleModulesOf({ plugin: plugins }), declarativeRuleSetOf(config, options.config)) };
}

function buildProgram(io: Io, setExit: (code: number) => void, argv: readonly string[]): Command {
  const program = new Command('suwinet-audit')
    .description('Usage control for Suwinet: finds lookups of citizens\' data in BKWI logs that need explaining.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError();

  program
    .command('analyze')
    .description('analyse Suwinet usage logs and write findings, rejects and a summary')
    .argument('<input...>', 'log files, folders (every file inside, in name order), .gz files, or - for stdin')
    .requiredOption('-o, --out <dir>', 'output folder (created; must be empty unless --force)')
    .option('--force', 'write into a folder that is not empty, overwriting earlier outputs')
    .addOption(
      new Option('--format <layout>', 'layout of every input instead of detecting it per file')
        .choices(['auto', ...LAYOUTS])
        .default('auto'),
    )
    .addOption(
      new Option('--encoding <name>', 'character encoding of every input instead of telling it per file')
        .choices(ENCODING_CHOICES)
        .default('auto'),
    )
    .option('--mapping <file>', 'column mapping (JSON) for csv, ndjson and json inputs')
    .option('--cases <file>', 'caseload CSV: bsn, case_id, team, worker, start_date, end_date')
    .option('--users <file>', 'user register CSV: login, name, team, roles, start_date, end_date, bsn')
    .option('--authz <file>', 'authorisation matrix CSV: role, page')
    .option('--watchlist <file>', 'watchlist CSV: bsn, label')
    .option('--hash-key-file <file>', 'key of the HMAC-SHA256 hashes that --users and --watchlist hold instead of BSNs')
    .addOption(new Option('--period <period>', 'what per-period rules count over').choices(['month', 'run']).default('month'))
    .option('--timezone <zone>', 'time zone of log times without an offset', 'Europe/Amsterdam')
    .option('--holiday <date>', 'extra day off: YYYY-MM-DD, or MM-DD for every year, optionally =name (repeatable)', collect)
    .option('--workday <date>', 'a public holiday that is a working day here: YYYY-MM-DD or MM-DD (repeatable)', collect)
    .option('--config <file>', 'settings file (JSON); the command line wins over it (see suwinet-audit init)')
    .option('--plugin <file>', 'load rules from an ES module made with defineRule (repeatable)', collect)
    .option('--rules <ids>', 'run only these rules (comma-separated ids)')
    .option('--enable <ids>', 'also run these opt-in rules (comma-separated ids)')
    .option('--rule-option <id.key=value>', 'set a rule option, e.g. off-hours.dayEnd=18:00 (repeatable)', collect)
    .option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher (info|low|medium|high|critical|never)', 'high')
    .option('--max-reject-rate <rate>', 'exit 3 when more lines than this are rejected (outputs are still written)', '1%')
    .option('--chunk-size <size>', 'bytes read per chunk (results do not depend on it)', `${DEFAULT_CHUNK_SIZE >> 20}MiB`)
    .option('--workers <n>', 'worker threads (0: all work in the main thread; auto: one per core, none for a small month: up to one chunk, on 2 cores up to 192 MiB)', 'auto')
    .option('--progress', 'report progress on stderr, one line per 10% (standard input: every 10 s; default: an updating line on a terminal)')
    .option('--csv-delimiter <char>', 'separator in the CSV outputs', ';')
    .addOption(
      new Option('--bsn <form>', 'BSNs in the worklists: masked (*****0338), full, or hashed (HMAC with --hash-key-file)')
        .choices(['masked', 'full', 'hashed'])
        .default('masked'),
    )
    .addOption(new Option('--lang <lang>', 'language of report.html').choices(['nl', 'en']).default('nl'))
    .option('--register [file]', `follow-up register: mark findings new, repeat or already judged, and record the run (default: ${REGISTER_FILE} beside --out)`)
    .option('--sample <n>', 'draw a steekproef of n lookups without findings into sample.csv')
    .option('--seed <s>', 'seed of the steekproef (default: random; recorded in summary.json)')
    .option('--umask <octal>', 'permissions the outputs withhold, e.g. 027 lets the group read them (default: 077, owner only)')
    .option('-q, --quiet', 'print nothing but errors (for scheduled runs)')
    .addHelpText(
      'after',
      `
Exit codes:
  0    no finding at or above --fail-on
  1    findings at or above --fail-on
  2    usage, configuration or reference-data error, or --out in use by another
       run (nothing analysed)
  3    an input cannot be read, no lookups, more lines rejected than --max-reject-rate,
       more findings than fit in memory, or a worker failed
  4    the outputs cannot be written (disk full, permissions): nothing published
  70   internal error (a bug; --debug shows the stack)
  130  interrupted (SIGINT, SIGTERM): nothing written

Example:
  suwinet-audit analyze logs/ --cases caseload.csv --users users.csv --authz authz.csv \\
    --watchlist watchlist.csv --out audit-2026-03/`,
    )
    .action(async (inputs: string[], options: Record<string, unknown>, command: Command) => {
      const config = options['config'] === undefined ? undefined : loadConfig(String(options['config']));
      if (config) applyConfig(options, config, (name) => command.getOptionValueSource(name) === 'cli');
      const ruleModules = ruleModulesOf(options);
      const declarativeRules = declarativeRuleSetOf(config, options['config'] as string | undefined);
      const ruleSettings = ruleSettingsOf(
        config,
        parseRuleOptions((options['ruleOption'] as string[] | undefined) ?? [], await loadRules(ruleModules, declarativeRules)),
      );
      const delimiter = String(options['csvDelimiter']);
      if (![';', ',', '\t', '|'].includes(delimiter)) {
        throw new CommanderError(EXIT.usage, 'suwinet-audit.csvDelimiter', `error: --csv-delimiter must be one of ; , | or a tab`);
      }
      setExit(
        await runAnalyze(
          {
            inputs,
            out: String(options['out']),
            force: Boolean(options['force']),
            format: options['format'] as 'auto',
            encoding: options['encoding'] as EncodingChoice,
            mapping: options['mapping'] as string | undefined,
            cases: options['cases'] as string | undefined,
            users: options['users'] as string | undefined,
            authz: options['authz'] as string | undefined,
            watchlist: options['watchlist'] as string | undefined,
            hashKeyFile: options['hashKeyFile'] as string | undefined,
            period: options['period'] as 'month' | 'run',
            timezone: String(options['timezone']),
            holidays: (options['holiday'] as string[] | undefined) ?? [],
            workdays: (options['workday'] as string[] | undefined) ?? [],
            rules: options['rules'] === undefined ? undefined : parseRuleList(String(options['rules'])),
            enable: [...(options['enable'] === undefined ? [] : parseRuleList(String(options['enable']))), ...ruleSettings.enable],
            disable: ruleSettings.disable,
            severities: ruleSettings.severities,
            config: options['config'] as string | undefined,
            suppressions: config?.suppressions ?? [],
            ruleOptions: ruleSettings.ruleOptions,
            ruleModules,
            declarativeRules,
            failOn: parseFailOn(String(options['failOn'])),
            maxRejectRate: parseRate(String(options['maxRejectRate']), '--max-reject-rate'),
            // At most the longest line held in memory, so that what counts as too long never depends on it.
            chunkSize: parseSize(String(options['chunkSize']), '--chunk-size', MAX_LINE),
            workers: parseWorkers(String(options['workers'])),
            progress: Boolean(options['progress']),
            csvDelimiter: delimiter,
            bsn: options['bsn'] as 'masked' | 'full' | 'hashed',
            argv: [...argv],
            modes: options['umask'] === undefined ? PRIVATE : modesFor(parseUmask(String(options['umask']))),
            lang: options['lang'] as 'nl' | 'en',
            sample: parseSample(options['sample'] as string | undefined, options['seed'] as string | undefined),
            quiet: Boolean(options['quiet']),
            register: registerPathOf(options['register'], String(options['out'])),
          },
          io,
        ),
      );
    });

  program
    .command('init')
    .description('write a starter config file with every default')
    .argument('[file]', 'where to write it', 'suwinet-audit.config.json')
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, options: { force?: boolean }) => {
      if (existsSync(file) && !options.force) throw new UsageError(`${file} exists`, { hint: 'add --force to overwrite it' });
      writeFileSync(file, JSON.stringify(defaultConfig(await loadRules([BUILTIN_RULES])), null, 2) + '\n');
      io.out(`wrote ${file}; use it with: suwinet-audit analyze … --config ${file}\n`);
    });

  program
    .command('config')
    .description('show the effective settings: the defaults with a config file laid over them')
    .requiredOption('--print', 'print them as JSON')
    .option('--config <file>', 'the config file')
    .option('--plugin <file>', 'plugins whose rules to include (repeatable)', collect)
    .action(async (options: { config?: string; plugin?: string[] }) => {
      const { config, loaded } = await configuredRules(options);
      io.out(JSON.stringify(effectiveConfig(loaded.map(({ rule }) => rule), config), null, 2) + '\n');
    });

  program
    .command('verify')
    .description('check that an output folder is what its manifest.json says, and that its inputs are unchanged')
    .argument('<dir>', 'output folder of an earlier analyze run')
    .action(async (dir: string) => setExit(await runVerify(dir, io)));

  program
    .command('rules')
    .description('list every rule (built-in, plugin, declarative) with its origin and effective settings')
    .option('--json', 'as JSON')
    .option('--config <file>', 'settings file: its plugins, declarative rules and rule settings')
    .option('--plugin <file>', 'also list the rules of this plugin (repeatable)', collect)
    .action(async (options: { json?: boolean; config?: string; plugin?: string[] }) => {
      const { config, loaded } = await configuredRules(options);
      const listings = listRules(loaded, ruleSettingsOf(config, {}));
      io.out(options.json ? rulesJson(listings) : rulesTable(listings));
    });

  addRegisterCommands(program, io, setExit);

  return program;
}

/**
 * Runs the command line and returns the exit code; never calls process.exit. Known errors print one line
 * (and a hint); anything else is a bug, reported in one line with exit 70 (the stack with --debug).
 */
export async function run(argv: readonly string[], given: Io = processIo): Promise<number> {
  // Everything on stderr is masked: it ends up in cron mail and job logs (see maskBsnsIn).
  const io: Io = { out: given.out, err: (text) => given.err(maskBsnsIn(text)) };
  let exitCode: number = EXIT.ok;
  const debug = argv.includes('--debug');
  const program = buildProgram(io, (code) => (exitCode = code), argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      if (error.code === 'suwinet-audit.csvDelimiter') io.err(`${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof KnownError) {
      io.err(error.describe(debug));
      return error.exitCode;
    }
    // A bug. Its own exit code, so that a scheduled job never reads a crash as "findings" (exit 1).
    io.err(`suwinet-audit: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    io.err(debug ? `${(error as Error)?.stack}\n` : 'hint: run again with --debug for the stack trace, and report it\n');
    return EXIT.internal;
  }
}
