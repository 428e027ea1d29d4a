import { InvalidArgumentError } from '@commander-js/extra-typings';

/**
 * The longest wait a timer can hold: Node fires a setTimeout of more than 2^31 - 1 ms after 1 ms
 * (with a TimeoutOverflowWarning), so a bound of 30 days would elapse at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** Option value parsers: a bad value is a usage error (exit 2) with commander's one-line message. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || value.trim() === '') throw new InvalidArgumentError('expected a positive number of seconds.');
  if (n > MAX_SECONDS) throw new InvalidArgumentError(`expected at most ${MAX_SECONDS} seconds (about 24 days).`);
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

export function nonNegativeMs(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === '') throw new InvalidArgumentError('expected a number of milliseconds ≥ 0.');
  if (n > MAX_TIMER_MS) throw new InvalidArgumentError(`expected at most ${MAX_TIMER_MS} milliseconds (about 24 days).`);
  return n;
}

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535 || value.trim() === '') throw new InvalidArgumentError('expected a port number from 1 to 65535.');
  return n;
}

export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a value, not an empty string.');
  return value;
}

export function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') throw new InvalidArgumentError('expected a number.');
  return n;
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!choices.includes(value as T)) throw new InvalidArgumentError(`expected one of: ${choices.join(', ')}.`);
    return value as T;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[,+]/).filter(Boolean)];
}

/** --live: when the synthetic user says its next utterance (src/sources/microphone.ts). */
export function liveMode(value: string): string {
  if (!/^(after-answer|continuous|pause:\d{1,6})$/.test(value))
    throw new InvalidArgumentError('expected after-answer, continuous or pause:MS (e.g. pause:1500).');
  return value;
}
