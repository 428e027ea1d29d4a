import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from '@commander-js/extra-typings';
import { COMMAND_CATALOG, COMMAND_NAMES, type CommandName } from './commands/catalog.js';
import { EXIT } from './errors.js';
import { installRedaction } from './redact.js';

/**
 * Start-up is part of the product (`lkdiag --help` within 1.4× of `node -e 0`, bench/startup.mjs).
 * The root help needs only each command's name, term and summary (commands/catalog.ts); a command's
 * module is loaded only to run it or show its own help, and it loads only commander and light
 * constants. What a command needs to run (rtc-node, openai, the rules, the renderers, chalk) is
 * imported by its `*.run.ts` module, which its action loads.
 */
type Register = (program: Program) => void;
const LOADERS: Record<CommandName, () => Promise<Register>> = {
  'probe-openai': async () => (await import('./commands/probe-openai.js')).registerProbe,
  'mock-openai': async () => (await import('./commands/mock-openai.js')).registerMock,
  'send-preconnect': async () => (await import('./commands/send-preconnect.js')).registerSendPreconnect,
  'mock-agent': async () => (await import('./commands/mock-agent.js')).registerMockAgent,
  doctor: async () => (await import('./commands/doctor.js')).registerDoctor,
  trace: async () => (await import('./commands/trace.js')).registerTrace,
  smoke: async () => (await import('./commands/smoke.js')).registerSmoke,
  report: async () => (await import('./commands/report.js')).registerReport,
  drive: async () => (await import('./commands/drive.js')).registerDrive,
};

const isCommandName = (s: string | undefined): s is CommandName => s !== undefined && Object.hasOwn(COMMAND_CATALOG, s);

/** The command argv asks for (`lkdiag [globals] NAME …` or `lkdiag help NAME`), if it is one of ours. */
export function requestedCommand(argv: readonly string[]): CommandName | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return isCommandName(first) ? first : undefined;
}
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function makeProgram() {
  return new Command('lkdiag')
    .description('Diagnose LiveKit voice-agent sessions — OpenAI Realtime, pre-connect audio, turns — and gate them in CI.')
    .version(version(), '-V, --version')
    .option('--json', 'print one JSON document (schema lkdiag/v1) on stdout; streaming commands print NDJSON')
    .option('--no-color', 'disable colour (also: NO_COLOR=1)')
    .option('--verbose', 'more detail on stderr, and stack traces for errors')
    .option('-q, --quiet', 'no progress or notices on stderr');
}

/** The root command every command module registers on. */
export type Program = ReturnType<typeof makeProgram>;

/**
 * The program with every command: `only` fully registered (all of them when undefined: tests,
 * generated docs), a stub with the catalogue's term and summary for each other one.
 */
export async function buildProgram(only?: CommandName | 'all'): Promise<Program> {
  const stubTerms = new Map<unknown, string>();
  const program = makeProgram()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`error: ${s.replace(/^error:\s*/, '')}`),
    })
    .configureHelp({ subcommandTerm: (cmd) => stubTerms.get(cmd) ?? Help.prototype.subcommandTerm.call(new Help(), cmd) })
    .addHelpText(
      'after',
      `
Exit codes: 0 healthy · 1 an error finding · 2 usage or input error · 3 could not connect or was refused ·
            4 a step did not happen within its bound · 130 interrupted (the partial report is still printed)
Environment: OPENAI_API_KEY, OPENAI_BASE_URL, LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET
             (flags > environment > .env.local > .env), NO_COLOR, FORCE_COLOR, CI`,
    );

  program.hook('preAction', async (_this, action) => {
    const g = action.optsWithGlobals();
    const { setupUi } = await import('./ui.js');
    setupUi({ ...(g.color === false ? { color: false } : {}), ...(g.verbose ? { verbose: true } : {}), ...(g.quiet ? { quiet: true } : {}) });
  });

  for (const name of COMMAND_NAMES) {
    if (only === 'all' || only === name) (await LOADERS[name]())(program);
    else stubTerms.set(program.command(name).summary(COMMAND_CATALOG[name].summary), COMMAND_CATALOG[name].term);
  }
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** How long the exit waits for stdout to reach a slow reader (a pipe under load) before it ends the process. */
const FLUSH_BOUND_MS = 10_000;

/**
 * Ends the process once what was written to stdout has been handed to the OS. process.exit does not wait
 * for a pipe's pending writes: a large report (drive's --json, 200 kB+) was cut off mid-document when its
 * reader was slow. Bounded: a reader that never reads cannot hold the process.
 */
async function exitFlushed(code: number): Promise<never> {
  if (process.stdout.writableLength > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FLUSH_BOUND_MS);
      timer.unref();
      process.stdout.write('', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  process.exit(code);
}

/** Runs the CLI; always ends the process with the documented exit code. */
export async function main(argv: string[]): Promise<never> {
  installRedaction();
  // `lkdiag … | head`: the reader stopped reading. Not an error of lkdiag: end quietly, with the code the
  // command had set so far (a write's EPIPE reaches here as an 'error' event or as a rejected write).
  const quietOnEpipe = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
  };
  process.stdout.on('error', quietOnEpipe);
  const program = await buildProgram(requestedCommand(argv));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      if (!ok) {
        const sub = argv.slice(2).find((a) => !a.startsWith('-'));
        process.stderr.write(`hint: run \`lkdiag ${sub && program.commands.some((c) => c.name() === sub) ? `${sub} ` : ''}--help\` for usage.\n`);
      }
      return exitFlushed(ok ? EXIT.ok : EXIT.usage);
    }
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') quietOnEpipe(err as NodeJS.ErrnoException);
    // An action's error that its command did not turn into a report: the two lines, and its exit code.
    const { printError } = await import('./commands/runner.js');
    return exitFlushed(printError(err));
  }
  // rtc-node and open sockets must not keep the process alive: exit with the code the command set.
  return exitFlushed(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
}
