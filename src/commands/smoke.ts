import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { ENV } from '../config.js';
import { DEFAULT_GATES, GATE_NAMES } from '../smoke/gates.js';
import { DEFAULT_JOIN_DELAY_MS, DEFAULT_ROOM_PREFIX } from '../smoke/config.js';
import { collect, liveMode, nonNegativeMs, positiveInt, positiveSeconds } from './parse.js';
import { liveKitOptions } from './livekit-options.js';

/** `lkdiag smoke`: flags and help; the run is in smoke.run.ts. */
export function registerSmoke(program: Program): void {
  program
    .command('smoke')
    .summary(summaryOf('smoke'))
    .description(
      'For each run: a fresh room, an explicit dispatch of --agent-name, a synthetic user who speaks while the agent joins\n' +
        '(pre-connect buffer, then live audio), a trace until the agent replies or the bound passes, then the room is deleted.\n' +
        `Gates: ${GATE_NAMES.join(', ')} (defaults: joined ≤ ${DEFAULT_GATES.agentJoinedWithinS} s, first audio ≤ ${DEFAULT_GATES.firstAgentAudioWithinS} s after the user stops).\n` +
        'Settings: flags > lkdiag.config.json (or the "lkdiag" key of package.json) > defaults; see docs/ci.md.\n' +
        `Connection: --url/--api-key/--api-secret (env ${ENV.livekitUrl}, ${ENV.livekitApiKey}, ${ENV.livekitApiSecret}).`,
    )
    .option('--agent-name <name>', 'the agent to dispatch (required here or as smoke.agentName in the config file)')
    .option('--audio <file.wav>', "the user's speech (default: the packaged fixtures/audio/two-part.wav; a .txt/.json sidecar gives its words)")
    .option('--room-prefix <prefix>', `prefix of each run's fresh room (default ${DEFAULT_ROOM_PREFIX})`)
    .option(
      '--join-delay <ms>',
      `the user starts speaking this long before joining, so the buffer carries words (default ${DEFAULT_JOIN_DELAY_MS})`,
      nonNegativeMs,
    )
    .option(
      '--live <when>',
      'when the user says its next utterance: after-answer (default: once the agent answered, or after 8 s without an answer), pause:MS (MS after the buffer was sent), or continuous (the WAV straight through)',
      liveMode,
    )
    .addOption(liveKitOptions.url())
    .addOption(liveKitOptions.apiKey())
    .addOption(liveKitOptions.apiSecret())
    .option('--agent-joined-within <seconds>', `gate: the agent joins within this bound (default ${DEFAULT_GATES.agentJoinedWithinS})`, positiveSeconds)
    .option(
      '--first-audio-within <seconds>',
      `gate: first agent audio within this bound of the end of user speech (default ${DEFAULT_GATES.firstAgentAudioWithinS})`,
      positiveSeconds,
    )
    .option('--skip-gate <names>', `gates not to evaluate (comma-separated; ${GATE_NAMES.join(', ')})`, collect)
    .option('--ignore-finding <codes>', 'finding codes the gates ignore (comma-separated; `area/*` for a whole area)', collect)
    .option('--timeout <seconds>', "bound on observing the agent's answer after the buffer", positiveSeconds, 20)
    .option('--repeat <n>', 'number of runs (p50/p95 per timing and the flake rate)', positiveInt, 1)
    .option('--concurrency <n>', 'runs at a time', positiveInt, 1)
    .option(
      '--shard <i/n>',
      "make only shard I of N of the --repeat runs (runs i with (i-1) % N == I-1); merge the shards' --json reports with `lkdiag report merge`",
    )
    .option('--agent-log <file>', "the agent's log (DEBUG, LK_OPENAI_DEBUG=1), merged into each run's timeline")
    .option('--probe-openai', 'probe the Realtime API first and add its findings')
    .option('--openai-api-key <key>', `API key for --probe-openai (env ${ENV.openaiApiKey})`)
    .option('--openai-base-url <url>', `base URL for --probe-openai (env ${ENV.openaiBaseUrl})`)
    .option('--junit <file>', 'write a JUnit XML report (one testcase per gate per run)')
    .option('--keep-room', 'do not delete the rooms (debugging)')
    .action(async (opts, cmd) => {
      const { smokeCommand } = await import('./smoke.run.js');
      process.exitCode = await smokeCommand(opts, cmd.optsWithGlobals());
    });
}
