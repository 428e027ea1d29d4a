import type { Program } from '../cli.js';
import { summaryOf } from './catalog.js';
import { registerTraceLog } from './trace-log.js';
import { registerTraceRoom } from './trace-room.js';

function traceParent(program: Program) {
  return program
    .command('trace')
    .summary(summaryOf('trace'))
    .description('Builds one timeline from what a session left behind and explains it with the same rules as every other command.');
}

/** The `trace` parent command; its subcommands register on it. */
export type TraceCommand = ReturnType<typeof traceParent>;

/** `lkdiag trace log FILE` and `lkdiag trace room NAME`. */
export function registerTrace(program: Program): void {
  const trace = traceParent(program);
  registerTraceLog(trace);
  registerTraceRoom(trace);
}
