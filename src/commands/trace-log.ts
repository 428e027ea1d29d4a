import { LOG_FORMAT_HELP } from '../sources/logs/formats.js';
import type { TraceCommand } from './trace.js';

/** `lkdiag trace log FILE|-`: flags and help; the run is in trace-log.run.ts. */
export function registerTraceLog(trace: TraceCommand): void {
  trace
    .command('log')
    .argument('<file>', "agent log file, or '-' for stdin")
    .summary('explain a session from an agent log (Python or Node, text or JSON, with LK_OPENAI_DEBUG=1)')
    .description(
      'Reads an agent log as a stream (constant memory; unrecognised lines are counted, not fatal) and explains it.\n' +
        `Formats, detected per line:\n${LOG_FORMAT_HELP}\n` +
        'For Realtime events run the agent with LK_OPENAI_DEBUG=1 and DEBUG level (Python: --log-level DEBUG).',
    )
    .option('--html <file>', 'also write a self-contained HTML timeline to this file')
    .action(async (file, opts, cmd) => {
      const { runTraceLog } = await import('./trace-log.run.js');
      process.exitCode = await runTraceLog({ file, ...(opts.html !== undefined ? { html: opts.html } : {}), globals: cmd.optsWithGlobals() });
    });
}
