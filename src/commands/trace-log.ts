import type { Command } from '@commander-js/extra-typings';
import { printError, type GlobalOptions } from './lazy.js';
import { registerTraceRoom } from './trace-room.js';

/**
 * The `trace` parent command, created once whoever registers first (`trace log` here, `trace room`
 * elsewhere): `const trace = traceCommand(program); trace.command('room')…`.
 */
export function traceCommand(program: Command<[], GlobalOptions>): Command {
  const existing = program.commands.find((c) => c.name() === 'trace');
  if (existing) return existing as unknown as Command;
  return program
    .command('trace')
    .summary('one timeline of room, agent-session, agent-log and Realtime events, explained')
    .description('Builds one timeline from what a session left behind and explains it with the same rules as every other command.') as unknown as Command;
}

export function registerTraceLog(program: Command<[], GlobalOptions>): void {
  traceCommand(program)
    .command('log')
    .argument('<file>', "agent log file, or '-' for stdin")
    .summary('explain a session from an agent log (Python or Node, text or JSON, with LK_OPENAI_DEBUG=1)')
    .description(
      'Reads an agent log as a stream (constant memory; unrecognised lines are counted, not fatal) and explains it.\n' +
        'Formats, detected per line:\n' +
        '  Python livekit-agents JSON (`start` mode) and text layouts ("%(asctime)s - %(levelname)s %(name)s - %(message)s",\n' +
        '  "%(asctime)s %(levelname)s %(name)s %(message)s", "%(asctime)s - %(name)s - %(levelname)s - %(message)s"; naive times are read as UTC)\n' +
        '  agents-js pino JSON · lkdiag NDJSON (a saved trace, explained again)\n' +
        'For Realtime events run the agent with LK_OPENAI_DEBUG=1 and DEBUG level (Python: --log-level DEBUG).',
    )
    .option('--html <file>', 'also write a self-contained HTML timeline to this file')
    .action(async (file, opts, cmd) => {
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      try {
        const { runTraceLog } = await import('./trace-log.run.js');
        process.exitCode = await runTraceLog({ file, html: opts.html, globals });
      } catch (err) {
        process.exitCode = await printError(err);
      }
    });
  registerTraceRoom(program);
}
