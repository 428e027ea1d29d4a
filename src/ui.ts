import chalk from 'chalk';

/**
 * Terminal conventions for every command: results on stdout, everything else on stderr; colour off
 * with NO_COLOR (chalk itself ignores it) or --no-color; FORCE_COLOR honoured by chalk; spinners only
 * on an interactive stderr and never under CI.
 */
export interface UiOptions {
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

let verbose = false;
let quiet = false;

export function setupUi(opts: UiOptions): void {
  verbose = !!opts.verbose;
  quiet = !!opts.quiet;
  const noColorEnv = (process.env['NO_COLOR'] ?? '') !== '';
  const forced = process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0';
  if (opts.color === false || (noColorEnv && !forced)) chalk.level = 0;
}

export const isVerbose = () => verbose;

export function interactive(): boolean {
  // A pseudo-terminal without a window size reports 0 columns; ora then computes an unbounded number
  // of lines to clear and never finishes redrawing. Treat it as non-interactive.
  return !!process.stderr.isTTY && (process.stderr.columns ?? 0) > 0 && !process.env['CI'] && process.env['TERM'] !== 'dumb';
}

export const log = {
  info(msg: string): void {
    if (!quiet) process.stderr.write(`${chalk.dim(msg)}\n`);
  },
  warn(msg: string): void {
    process.stderr.write(`${chalk.yellow('warning:')} ${msg}\n`);
  },
  verbose(msg: string): void {
    if (verbose) process.stderr.write(`${chalk.gray(msg)}\n`);
  },
};

export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, succeed() {}, fail() {}, stop() {} };

/** A spinner on an interactive stderr; nothing otherwise (ora is loaded only when used). */
export async function progress(text: string): Promise<Progress> {
  if (!interactive() || quiet) return silent;
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: process.stderr }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    succeed: (t) => void spinner.succeed(t),
    fail: (t) => void spinner.fail(t),
    stop: () => void spinner.stop(),
  };
}

export { chalk };
