/**
 * Command modules are loaded to build `--help`, so they must stay light: the runner (which pulls in
 * the findings catalogue, the renderers and chalk) is loaded only when a command actually runs.
 */
import type { GlobalOptions, RunContext } from './runner.js';
import type { Report } from '../report/report.js';

export type { GlobalOptions, RunContext };

export async function runCommand(
  name: string,
  globals: GlobalOptions,
  body: (ctx: RunContext) => Promise<Report>,
  text?: (report: Report) => string | Promise<string>,
): Promise<number> {
  const runner = await import('./runner.js');
  return runner.runCommand(name, globals, body, text);
}

export async function printError(err: unknown): Promise<number> {
  return (await import('./runner.js')).printError(err);
}
