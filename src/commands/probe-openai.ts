import { Option } from '@commander-js/extra-typings';
import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { ENV } from '../config.js';
import { number, oneOf, positiveInt, positiveSeconds } from './parse.js';

const API_SHAPES = ['ga', 'beta'] as const;
const TURN_DETECTION = ['server_vad', 'semantic_vad', 'none'] as const;
const CHECKS = ['double-response', 'truncate-zero', 'barge-in'] as const;

/** `lkdiag probe-openai`: flags and help; the run is in probe-openai.run.ts. */
export function registerProbe(program: Program): void {
  program
    .command('probe-openai')
    .summary(summaryOf('probe-openai'))
    .description(
      'Connects to the Realtime API by itself and times each step: upgrade → session.created → session.update/updated →\n' +
        'a user turn → response.create → response.created → first audio → first transcript → response.done.\n' +
        `Credentials: --api-key or ${ENV.openaiApiKey}; endpoint: --base-url or ${ENV.openaiBaseUrl} (default https://api.openai.com/v1).\n` +
        'Use --simulate to run against the built-in simulator with no credentials.',
    )
    .option('--base-url <url>', `Realtime API base URL (env ${ENV.openaiBaseUrl})`)
    .option('--api-key <key>', `API key (env ${ENV.openaiApiKey}); prefer the environment over the command line`)
    .option('--model <name>', 'Realtime model', 'gpt-realtime')
    .addOption(new Option('--api <shape>', 'session shape: ga, or the retired beta shape with its header').argParser(oneOf(API_SHAPES)).default('ga' as const))
    .option('--voice <voice>', 'output voice', 'marin')
    .option('--temperature <n>', 'temperature to send (GA has none: expect a rejection; beta accepts 0.6–1.2)', number)
    .addOption(new Option('--turn-detection <mode>', 'turn detection for the session').argParser(oneOf(TURN_DETECTION)).default('server_vad' as const))
    .option('--timeout <seconds>', 'bound for each step', positiveSeconds, 30)
    .option('--repeat <n>', 'run N times and report p50/p95 per step', positiveInt, 1)
    .option('--audio <file.wav>', 'send this speech as the user turn (converted to 24 kHz mono PCM16)')
    .option('--text <text>', 'the user turn as text (when no --audio)', 'Say hello in one short sentence.')
    .option('--simulate [scenario]', 'run against the built-in simulator (optionally with fault scenarios, comma-separated; see `lkdiag mock-openai --list`)')
    .addOption(new Option('--check <name>', 'reproduce a failure: double-response, truncate-zero, barge-in').argParser(oneOf(CHECKS)))
    .action(async (opts, cmd) => {
      const { probeCommand } = await import('./probe-openai.run.js');
      process.exitCode = await probeCommand(opts, cmd.optsWithGlobals());
    });
}
