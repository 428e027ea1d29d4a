import { LOG_FORMAT_HELP } from '../sources/logs/formats.js';
import type { TraceCommand } from './trace.js';

/** `lkdiag trace log FILE|-`: flags and help; the run is in trace-log.run.ts. */
export function registerTraceLog(trace: TraceCommand): void {
  trace
    .command('log')
    .argument('<files...>', "agent log file(s) and livekit-server log(s), merged on one timeline by their timestamps; '-' for stdin")
    .summary("explain a session from an agent log (Python or Node, text or JSON, with LK_OPENAI_DEBUG=1), with the server's log beside it")
    .description(
      'Reads an agent log as a stream (constant memory; unrecognised lines are counted, not fatal) and explains it.\n' +
        `Formats, detected per line:\n${LOG_FORMAT_HELP}\n` +
        'Several files (e.g. agent.log server.log) are merged by their timestamps; the report says how each was read and warns when they do not overlap in time.\n' +
        'For Realtime events run the agent with LK_OPENAI_DEBUG=1 at debug level, in `start` mode for JSON logs (python agent.py start --log-level DEBUG; node agent.js start --log-level debug).\n' +
        '--verbose shows every record, and the first lines that were not understood.',
    )
    .option('--html <file>', 'also write a self-contained HTML timeline to this file')
    .action(async (files: string[], opts, cmd) => {
      const { runTraceLog } = await import('./trace-log.run.js');
      process.exitCode = await runTraceLog({ files, ...(opts.html !== undefined ? { html: opts.html } : {}), globals: cmd.optsWithGlobals() });
    });
}
