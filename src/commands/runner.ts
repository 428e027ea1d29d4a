/**
 * What every command shares when it runs: the one owner of SIGINT/SIGTERM, error printing, and
 * runCommand (a body that makes a Report, printed as text or JSON, with its exit code).
 *
 * Loaded only when a command runs (from the commands' `*.run.ts` modules and from cli.ts's error
 * path): it pulls in the findings catalogue, the renderers and chalk, which `--help` never needs.
 * Command modules (`<name>.ts`) import nothing from here but types.
 */
import { metaFor } from '../diagnose/catalogue.js';
import { EXIT, UserError } from '../errors.js';
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
  /** Aborted on Ctrl-C (or SIGTERM): sources stop waiting and return what they have. */
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

export interface Interruption {
  /** Aborted at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Stops listening (in a finally: the process's default handling comes back). */
  release(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The one owner of SIGINT and SIGTERM. The first signal aborts `signal` (the command finishes what
 * it can and still writes its report, exit 130) and, given a `notice`, says so on stderr; a second
 * one quits at once with exit 130. Without a notice nothing is written (mock-openai: a signal is
 * how it is stopped).
 */
export function onInterrupt(notice?: string): Interruption {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted); // a second Ctrl-C: leave now
    if (notice) process.stderr.write(chalk.yellow(`\ninterrupted: ${notice} (Ctrl-C again to quit at once)\n`));
    controller.abort();
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    release: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
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
  const interruption = onInterrupt('finishing the report');
  const { signal } = interruption;
  const startedAt = Date.now();
  try {
    let report = await body({ signal, globals, startedAt });
    if (signal.aborted && !report.interrupted) {
      report = makeReport(name, startedAt, report.findings, metaFor, { ...report, interrupted: true });
    }
    process.stdout.write(globals.json ? renderJson(report) : await text(report));
    return report.exitCode;
  } catch (err) {
    return printError(err);
  } finally {
    interruption.release();
  }
}
