import { Option } from '@commander-js/extra-typings';
import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { ENV } from '../config.js';
import { number, oneOf, positiveInt, positiveSeconds } from './parse.js';

const API_SHAPES = ['ga', 'beta', 'live'] as const;
const PROVIDERS = ['openai', 'azure', 'xai'] as const;
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
        'Azure OpenAI (--provider azure, as RealtimeModel.with_azure): --azure-endpoint or AZURE_OPENAI_ENDPOINT, --azure-deployment,\n' +
        '--api-key or AZURE_OPENAI_API_KEY and/or --entra-token; --api-version or OPENAI_API_VERSION selects the retired preview URL.\n' +
        'xAI (--provider xai): wss://api.x.ai/v1/realtime, --api-key or XAI_API_KEY, model grok-voice-latest, voice Ara.\n' +
        'Use --simulate to run against the built-in simulator with no credentials.',
    )
    .addOption(new Option('--provider <name>', 'the Realtime endpoint: openai, azure or xai').argParser(oneOf(PROVIDERS)).default('openai' as const))
    .option('--base-url <url>', `Realtime API base URL (env ${ENV.openaiBaseUrl}; for azure, a base_url used as given)`)
    .option('--azure-endpoint <url>', 'Azure OpenAI resource endpoint (env AZURE_OPENAI_ENDPOINT)')
    .option('--azure-deployment <name>', 'Azure OpenAI deployment name (what with_azure calls azure_deployment)')
    .option('--api-version <version>', 'Azure preview api-version (env OPENAI_API_VERSION): the legacy URL, retired 2026-04-30')
    .option('--entra-token <token>', 'Azure Entra ID token (sent as Authorization: Bearer); prefer the environment over the command line')
    .option('--api-key <key>', `API key (env ${ENV.openaiApiKey}); prefer the environment over the command line`)
    .option('--model <name>', 'Realtime model (default gpt-realtime; grok-voice-latest with --provider xai)')
    .addOption(new Option('--api <shape>', 'session shape: ga, retired beta, or live (GPT-Live)').argParser(oneOf(API_SHAPES)).default('ga' as const))
    .option('--voice <voice>', 'output voice (default marin; Ara with --provider xai)')
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
