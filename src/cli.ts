import { readFileSync } from 'node:fs';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { EXIT } from './errors.js';
import { installRedaction } from './redact.js';
import type { GlobalOptions } from './commands/runner.js';
import { registerProbe } from './commands/probe-openai.js';
import { registerMock } from './commands/mock-openai.js';
import { registerSendPreconnect } from './commands/send-preconnect.js';
import { registerDoctor } from './commands/doctor.js';
import { registerTraceLog } from './commands/trace-log.js';
import { registerSmoke } from './commands/smoke.js';
import { registerReport } from './commands/report.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(): Command<[], GlobalOptions> {
  const program = new Command('lkdiag')
    .description('Diagnose LiveKit voice-agent sessions — OpenAI Realtime, pre-connect audio, turns — and gate them in CI.')
    .version(version(), '-V, --version')
    .option('--json', 'print one JSON document (schema lkdiag/v1) on stdout; streaming commands print NDJSON')
    .option('--no-color', 'disable colour (also: NO_COLOR=1)')
    .option('--verbose', 'more detail on stderr, and stack traces for errors')
    .option('-q, --quiet', 'no progress or notices on stderr')
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
    ) as unknown as Command<[], GlobalOptions>;

  program.hook('preAction', async (_this, action) => {
    const g = action.optsWithGlobals() as GlobalOptions;
    const { setupUi } = await import('./ui.js');
    setupUi({ ...(g.color !== undefined ? { color: g.color } : {}), ...(g.verbose ? { verbose: true } : {}), ...(g.quiet ? { quiet: true } : {}) });
  });

  registerProbe(program);
  registerMock(program);
  registerSendPreconnect(program);
  registerDoctor(program);
  registerTraceLog(program);
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
    throw err;
  }
  // rtc-node and open sockets must not keep the process alive: exit with the code the command set.
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
}
