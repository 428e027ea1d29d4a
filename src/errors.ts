/** Exit codes, the same for every command (README: "Exit codes"). */
export const EXIT = {
  ok: 0,
  finding: 1,
  usage: 2,
  connect: 3,
  timeout: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A problem the user can fix: printed as one line saying what is wrong and one saying what to do,
 * never with a stack trace (unless --verbose).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const usageError = (message: string, hint: string) => new UserError(message, hint, EXIT.usage);
export const connectError = (message: string, hint: string) => new UserError(message, hint, EXIT.connect);
export const timeoutError = (message: string, hint: string) => new UserError(message, hint, EXIT.timeout);
