import { readFileSync } from 'node:fs';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { EXIT } from './errors.js';
import { installRedaction } from './redact.js';
import { registerProbe } from './commands/probe-openai.js';
import { registerMock } from './commands/mock-openai.js';
import { registerSendPreconnect } from './commands/send-preconnect.js';
import { registerDoctor } from './commands/doctor.js';
import { registerTrace } from './commands/trace.js';
import { registerSmoke } from './commands/smoke.js';
import { registerReport } from './commands/report.js';

/**
 * Start-up is part of the product (`lkdiag --help` within 1.4× of `node -e 0`, bench/startup.mjs):
 * this module and the command modules it registers load only commander and light constants. What a
 * command needs to run (rtc-node, openai, the rules, the renderers, chalk) is imported by its
 * `*.run.ts` module, which its action loads.
 */
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

export function buildProgram(): Program {
  const program = makeProgram()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`error: ${s.replace(/^error:\s*/, '')}`),
    })
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
    setupUi({ ...(g['color'] === false ? { color: false } : {}), ...(g['verbose'] ? { verbose: true } : {}), ...(g['quiet'] ? { quiet: true } : {}) });
  });

  registerProbe(program);
  registerMock(program);
  registerSendPreconnect(program);
  registerDoctor(program);
  registerTrace(program);
  registerSmoke(program);
  registerReport(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; always ends the process with the documented exit code. */
export async function main(argv: string[]): Promise<never> {
  installRedaction();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      if (!ok) {
        const sub = argv.slice(2).find((a) => !a.startsWith('-'));
        process.stderr.write(`hint: run \`lkdiag ${sub && program.commands.some((c) => c.name() === sub) ? `${sub} ` : ''}--help\` for usage.\n`);
      }
      process.exit(ok ? EXIT.ok : EXIT.usage);
    }
    // An action's error that its command did not turn into a report: the two lines, and its exit code.
    const { printError } = await import('./commands/runner.js');
    process.exit(printError(err));
  }
  // rtc-node and open sockets must not keep the process alive: exit with the code the command set.
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
}
