import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { collect, nonEmpty, nonNegativeMs, port, positiveInt, positiveSeconds } from './parse.js';

/** `lkdiag drive`: flags and help; the run is in drive.run.ts. */
export function registerDrive(program: Program): void {
  program
    .command('drive')
    .summary(summaryOf('drive'))
    .description(
      'lkdiag is the console broker: a real agent in console mode connects to it over TCP (no LiveKit server, no room).\n' +
        "It streams the script's utterances as a live 48 kHz mic (silence between), plays the agent's audio in real time with\n" +
        "the playout handshake, reads every session event and the agent's log, and measures each turn: heard latency (end of\n" +
        'speech → first agent audio), time to yield after a barge-in, agent speech, false interruptions. See docs/drive.md.\n' +
        'Agent: --agent ENTRY (.py: PYTHON -m livekit.agents console ENTRY --connect-addr H:P, livekit-agents ≥ 1.6;\n' +
        '.js/.mjs/.ts: node ENTRY console --connect-addr H:P, @livekit/agents ≥ 1.4.7), --agent-cmd "… {addr} …", or --listen PORT.',
    )
    .option('--agent <entry>', 'the agent entry file, started in console mode')
    .option('--agent-cmd <command>', 'any command that starts the agent in console mode; {addr} is replaced by HOST:PORT', nonEmpty)
    .option('--python <path>', 'the Python interpreter (or virtualenv directory) for a .py entry (default python3)')
    .option('--listen <port>', 'listen on this port and wait for an agent you start yourself', port)
    .option(
      '--model <model>',
      "simulate[:SCENARIO[+SCENARIO]]: lkdiag's Realtime simulator, handed to the agent as OPENAI_BASE_URL (default: the agent's own environment)",
    )
    .option('--script <file>', 'the turns to play (.json or .yaml; default: the bundled two-turn script)')
    .option('--repeat <n>', 'play the script N times in the session (p50/p95 per measurement)', positiveInt, 1)
    .option('--max-heard-latency <ms>', 'gate: worst heard latency', nonNegativeMs)
    .option('--max-yield <ms>', 'gate: worst time to yield after a barge-in', nonNegativeMs)
    .option('--ignore-finding <codes>', 'finding codes the gates ignore (comma-separated; `area/*` for a whole area)', collect)
    .option('--connect-timeout <seconds>', 'bound on the agent connecting to the broker', positiveSeconds, 30)
    .option('--session-timeout <seconds>', 'bound on its session listening after it connected', positiveSeconds, 30)
    .option('--record-audio <file.wav>', 'write the session as a stereo WAV (left: the user, right: the agent as played)')
    .option('--record', 'pass --record to the agent (it writes console-recordings/…/session_report.json in its working directory)')
    .option('--agent-log <file>', "the log of an agent you started (--listen), followed as it grows (lkdiag reads its own agents' stdout/stderr)")
    .option('--html <file>', 'write the timeline as a self-contained HTML page')
    .option('--junit <file>', 'write a JUnit XML report (one testcase per gate)')
    .action(async (opts, cmd) => {
      const { driveCommand } = await import('./drive.run.js');
      process.exitCode = await driveCommand(opts, cmd.optsWithGlobals());
    });
}
