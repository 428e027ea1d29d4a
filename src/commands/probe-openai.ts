import { Option, type Command } from '@commander-js/extra-typings';
import { ENV } from '../config.js';
import { collect, number, oneOf, positiveInt, positiveSeconds } from './parse.js';
import { runCommand, type GlobalOptions } from './lazy.js';

const API_SHAPES = ['ga', 'beta'] as const;
const TURN_DETECTION = ['server_vad', 'semantic_vad', 'none'] as const;
const CHECKS = ['double-response', 'truncate-zero', 'barge-in'] as const;

export function registerProbe(program: Command<[], GlobalOptions>): void {
  program
    .command('probe-openai')
    .summary('probe the OpenAI Realtime API step by step, with timings and a verdict in LiveKit terms')
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
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      process.exitCode = await runCommand('probe-openai', globals, async (ctx) => {
        const [{ Config, describeSource }, { usageError }, { log }, { realtimeUrl }] = await Promise.all([import('../config.js'), import('../errors.js'), import('../ui.js'), import('../protocol/realtime-url.js')]);
        const config = new Config();
        const simulate = opts.simulate !== undefined;
        if (simulate && opts.baseUrl) {
          throw usageError('--simulate and --base-url cannot be combined', 'Use --simulate for the built-in simulator, or --base-url for a real endpoint.');
        }
        if (opts.check === 'barge-in' && opts.turnDetection === 'none') {
          throw usageError('--check barge-in needs server turn detection', 'Drop --turn-detection none (barge-in is detected by server VAD).');
        }
        const scenarios = typeof opts.simulate === 'string' ? collect(opts.simulate) : [];
        const baseUrl = simulate ? undefined : config.get(ENV.openaiBaseUrl, opts.baseUrl, 'https://api.openai.com/v1');
        const apiKey = simulate ? { value: 'sk-lkdiag-simulated', source: 'default' as const } : config.get(ENV.openaiApiKey, opts.apiKey);
        if (!apiKey) {
          throw usageError(`${ENV.openaiApiKey} is not set`, `Set ${ENV.openaiApiKey} (environment, .env.local or .env) or pass --api-key; or try --simulate for the built-in simulator.`);
        }
        if (baseUrl) realtimeUrl(baseUrl.value, opts.model); // an invalid URL is a usage error before anything else
        if (!simulate) log.info(`using ${describeSource(ENV.openaiApiKey, apiKey)}; ${describeSource(ENV.openaiBaseUrl, baseUrl)}`);
        const { probeOpenAI } = await import('./probe-openai.run.js');
        return probeOpenAI({
          ...ctx,
          simulate: simulate ? scenarios : undefined,
          baseUrl: baseUrl?.value,
          apiKey: apiKey.value,
          model: opts.model,
          api: opts.api,
          voice: opts.voice,
          temperature: opts.temperature,
          turnDetection: opts.turnDetection,
          stepTimeoutMs: opts.timeout * 1000,
          repeat: opts.repeat,
          audioPath: opts.audio,
          text: opts.text,
          check: opts.check,
        });
      });
    });
}
