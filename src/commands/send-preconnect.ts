import { Option } from '@commander-js/extra-typings';
import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { ENV } from '../config.js';
import { liveKitOptions } from './livekit-options.js';
import { liveMode, nonEmpty, nonNegativeMs, oneOf, positiveSeconds } from './parse.js';
import { SDK_NAMES } from '../sources/sdk-profiles.js';

/** `lkdiag send-preconnect`: flags and help; the run is in send-preconnect.run.ts. */
export function registerSendPreconnect(program: Program): void {
  program
    .command('send-preconnect')
    .summary(summaryOf('send-preconnect'))
    .description(
      "Joins a room as a synthetic user that behaves like LiveKit's client SDKs: records the WAV from t=0 while connecting,\n" +
        'publishes the microphone with TF_PRECONNECT_BUFFER, sends the buffer on lk.agent.pre-connect-audio-buffer to the\n' +
        'first ACTIVE agent, then continues live. Reports timings and whether the agent used the buffer, with evidence.\n' +
        `Connection: --url/--api-key/--api-secret (env ${ENV.livekitUrl}, ${ENV.livekitApiKey}, ${ENV.livekitApiSecret}) or --token.`,
    )
    .requiredOption('--room <name>', 'room to join (created if needed; deleted afterwards unless --keep-room)')
    .requiredOption('--audio <file.wav>', "the user's speech (a sidecar <name>.txt or <name>.json gives its words)")
    .option('--agent-name <name>', 'agent to dispatch explicitly')
    .addOption(
      new Option(
        '--dispatch <how>',
        "api (default with --agent-name): create a dispatch; token: via the token's room configuration; none: wait for an agent already dispatched",
      ).argParser(oneOf(['api', 'token', 'none'] as const)),
    )
    .addOption(
      new Option('--mode <mode>', 'stream (like the JS SDK: keep appending until the agent subscribes) or snapshot (like Android)')
        .argParser(oneOf(['stream', 'snapshot'] as const))
        .default('stream' as const),
    )
    .addOption(
      new Option(
        '--as <sdk>',
        'send what that client SDK sends: js (audio/webm;codecs=opus in 100 ms blobs, needs --buffer-file unless --audio is fixtures/audio/speech-48k-mono.wav), swift (PCM 24 kHz, streamed), android (PCM 48 kHz, one write); sets --mode',
      ).argParser(oneOf(SDK_NAMES)),
    )
    .option('--buffer-file <file>', 'the encoded buffer to send with --as js (a WebM/Opus or MP4 MediaRecorder recording of the --audio WAV)', nonEmpty)
    .option(
      '--mime <type>',
      "fault: label the buffer with this mime type (e.g. an MP4 buffer as application/octet-stream, as an agent reads Safari's)",
      nonEmpty,
    )
    .addOption(liveKitOptions.url())
    .addOption(liveKitOptions.apiKey())
    .addOption(liveKitOptions.apiSecret())
    .addOption(liveKitOptions.token())
    .option(
      '--live <when>',
      'when the user says its next utterance (the sidecar .json gives the utterances): after-answer (default: once the agent has answered, or after 8 s without one), pause:MS (MS after the buffer was sent), or continuous (the WAV straight through, for timing scripts)',
      liveMode,
      'after-answer',
    )
    .option('--join-delay <ms>', 'the user starts speaking this long before the client starts joining (simulates a slow join)', nonNegativeMs, 0)
    .option('--agent-timeout <seconds>', 'bound on waiting for an ACTIVE agent (the SDKs use 10 s)', positiveSeconds, 10)
    .option('--timeout <seconds>', "bound on observing the agent's answer after the buffer", positiveSeconds, 30)
    .option('--agent-log <file>', "the agent's log for this session (JSON or text; DEBUG level, LK_OPENAI_DEBUG=1), merged into the timeline")
    .option('--keep-room', 'do not delete the room this command created')
    .option('--omit-track-id', 'fault: send the buffer without the trackId attribute')
    .option('--send-before-active', 'fault: send as soon as the agent joins, before it is ACTIVE')
    .option('--no-preconnect-flag', 'fault: publish the microphone without TF_PRECONNECT_BUFFER')
    .option('--hold-open <ms>', 'fault: keep the stream open this long after the agent subscribed', nonNegativeMs)
    .option('--delay-send <ms>', 'fault: wait this long after the agent is active before sending', nonNegativeMs)
    .option('--sample-rate-lie', 'fault: claim a different sampleRate than the PCM has')
    .option('--stereo', 'fault: send two channels (the agent resamples pre-connect audio as mono)')
    .action(async (opts, cmd) => {
      const { sendPreconnectCommand } = await import('./send-preconnect.run.js');
      process.exitCode = await sendPreconnectCommand(opts, cmd.optsWithGlobals());
    });
}
