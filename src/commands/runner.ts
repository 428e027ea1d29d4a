import { EXIT, UserError } from '../errors.js';
import { metaFor } from '../diagnose/catalogue.js';
import { renderJson } from '../report/json.js';
import { makeReport, type Report } from '../report/report.js';
import { renderText } from '../report/text.js';
import { chalk, isVerbose } from '../ui.js';

export type GlobalOptions = {
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
};

export interface RunContext {
  /** Aborted on Ctrl-C: sources stop waiting and return what they have. */
  signal: AbortSignal;
  globals: GlobalOptions;
  startedAt: number;
}

/** Prints a user-facing error as two lines (what is wrong; what to do). */
export function printError(err: unknown): number {
  if (err instanceof UserError) {
    process.stderr.write(`${chalk.red('error:')} ${err.message}\n${chalk.dim('hint:')} ${err.hint}\n`);
    if (isVerbose() && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${chalk.red('error:')} ${e.message}\n${chalk.dim('hint:')} this is unexpected; re-run with --verbose and report it with the output.\n`);
  if (isVerbose() && e.stack) process.stderr.write(`${e.stack}\n`);
  return EXIT.finding;
}

/**
 * Runs a command body that produces a Report, with Ctrl-C handling (the partial report is still
 * printed, exit 130), and prints it as text or JSON on stdout. Returns the exit code.
 */
export async function runCommand(
  name: string,
  globals: GlobalOptions,
  body: (ctx: RunContext) => Promise<Report>,
  text: (report: Report) => string | Promise<string> = (r) => renderText(r),
): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: leave now
    process.stderr.write(chalk.yellow('\ninterrupted: finishing the report (Ctrl-C again to quit at once)\n'));
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const startedAt = Date.now();
  try {
    let report = await body({ signal: controller.signal, globals, startedAt });
    if (controller.signal.aborted && !report.interrupted) {
      report = makeReport(name, startedAt, report.findings, metaFor, { ...report, interrupted: true });
    }
    process.stdout.write(globals.json ? renderJson(report) : await text(report));
    return report.exitCode;
  } catch (err) {
    return printError(err);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
