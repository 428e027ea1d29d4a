import { Option } from '@commander-js/extra-typings';
import type { Program } from '../cli.js';
import { ENV } from '../config.js';
import { summaryOf } from './catalog.js';
import { liveKitOptions } from './livekit-options.js';
import { positiveSeconds } from './parse.js';

/** `lkdiag mock-agent`: flags and help; the run is in mock-agent.run.ts. */
export function registerMockAgent(program: Program): void {
  program
    .command('mock-agent')
    .summary(summaryOf('mock-agent'))
    .description(
      [
        "Stands in for a LiveKit agent so a client developer can check the client's pre-connect audio buffer.",
        'Joins --room (or, with --agent-name, registers as an agent worker and takes the dispatched job) as a participant of kind AGENT,',
        'becomes ACTIVE and sets lk.agent.state initializing → listening, takes the buffer on lk.agent.pre-connect-audio-buffer and',
        "checks it against what livekit-agents accepts: topic, destination, trackId = the microphone's SID, sampleRate, channels,",
        'the mime type against the bytes, completion within 3 s, the 1 s freshness rule, TF_PRECONNECT_BUFFER on the microphone.',
        'Then it measures the seam to the live microphone and answers with an audio reply (speaking → listening).',
        'Exit 0 when the buffer passed every check.\n',
        `Connection: --url/--api-key/--api-secret (env ${ENV.livekitUrl}, ${ENV.livekitApiKey}, ${ENV.livekitApiSecret}).`,
      ].join(' '),
    )
    .option('--room <name>', 'room to join as the agent (the client joins the same room); with --agent-name, the only room whose job is taken')
    .option(
      '--agent-name <name>',
      'register as an agent worker with this name (explicit dispatch, like a real agent) and join the room of the job the server assigns',
    )
    .addOption(liveKitOptions.url())
    .addOption(liveKitOptions.apiKey())
    .addOption(liveKitOptions.apiSecret())
    .option('--timeout <seconds>', "bound on waiting for the client's microphone", positiveSeconds, 30)
    .addOption(
      new Option(
        '--fault <fault>',
        'agent-side fault: active-late:MS (become ACTIVE MS late), handler-late:MS, no-handler, never-active, avatar (an avatar worker with lk.publish_on_behalf is ACTIVE first)',
      ),
    )
    .option('--reply <file.wav>', 'the audio reply (default fixtures/audio/speech-24k-mono.wav)')
    .option('--reference <file.wav>', 'the speech the client plays (e.g. the WAV given to send-preconnect): measures a seam gap, not only an overlap')
    .option('--json-file <file>', 'also write the --json report to this file')
    .option('--html <file>', 'also write a self-contained HTML timeline to this file')
    .option('--junit <file>', 'also write a JUnit XML report (one testcase per finding)')
    .action(async (opts, cmd) => {
      const { mockAgentCommand } = await import('./mock-agent.run.js');
      process.exitCode = await mockAgentCommand(opts, cmd.optsWithGlobals());
    });
}
