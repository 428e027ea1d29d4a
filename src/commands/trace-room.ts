import { ENV } from '../config.js';
import { liveKitOptions } from './livekit-options.js';
import { positiveSeconds } from './parse.js';
import type { TraceCommand } from './trace.js';

/** `lkdiag trace room NAME`: flags and help; the run is in trace-room.run.ts. */
export function registerTraceRoom(trace: TraceCommand): void {
  trace
    .command('room')
    .argument('<name>', 'the room to observe (it must exist: trace room never creates one)')
    .summary('watch a live session as a hidden observer and explain it')
    .description(
      'Joins an existing room as a hidden observer and tails it until the room closes, no user (standard or SIP\n' +
        'participant) is left for 3 s, --duration passes, or Ctrl-C (the report is still written, exit 130):\n' +
        'participants, lk.agent.state, tracks and their audio features (TF_PRECONNECT_BUFFER), lk.transcription,\n' +
        'lk.agent.session events, answers to read-only requests (ping, get_framework_info, get_session_state) and\n' +
        "dispatch state at start and end; --agent-log merges the agent's log as it is written.\n" +
        'Observer grants: hidden (never seen, never "the user"); agent (does not keep the room alive);\n' +
        'no publishing; data only for the read-only requests (never run_input or update_io); no subscribing.\n' +
        `Connection: --url/--api-key/--api-secret (env ${ENV.livekitUrl}, ${ENV.livekitApiKey}, ${ENV.livekitApiSecret}); API credentials are\n` +
        'needed to check the room and read dispatch state; --token replaces only the join token.',
    )
    .addOption(liveKitOptions.url())
    .addOption(liveKitOptions.apiKey())
    .addOption(liveKitOptions.apiSecret())
    .addOption(liveKitOptions.token('a ready-made join token (its own grants apply: make it hidden)'))
    .option('--duration <seconds>', 'stop after this long', positiveSeconds)
    .option('--agent-log <file>', "the agent's log, followed as it is written ('-' for stdin; DEBUG level, LK_OPENAI_DEBUG=1)")
    .option('--html <file>', 'also write a self-contained HTML timeline to this file')
    .action(async (name, opts, cmd) => {
      const { runTraceRoom } = await import('./trace-room.run.js');
      process.exitCode = await runTraceRoom({
        room: name,
        ...(opts.url !== undefined ? { url: opts.url } : {}),
        ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
        ...(opts.apiSecret !== undefined ? { apiSecret: opts.apiSecret } : {}),
        ...(opts.token !== undefined ? { token: opts.token } : {}),
        ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
        ...(opts.agentLog !== undefined ? { agentLog: opts.agentLog } : {}),
        ...(opts.html !== undefined ? { html: opts.html } : {}),
        globals: cmd.optsWithGlobals(),
      });
    });
}
