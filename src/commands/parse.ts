import { InvalidArgumentError } from '@commander-js/extra-typings';

/** Option value parsers: a bad value is a usage error (exit 2) with commander's one-line message. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || value.trim() === '') throw new InvalidArgumentError('expected a positive number of seconds.');
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
  return n;
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
