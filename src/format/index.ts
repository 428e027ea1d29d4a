/**
 * Formatting helpers shared by rules (and, over time, renderers): one copy of each.
 * Pure functions of their argument; the strings they produce are part of finding texts that tests assert.
 */

/** Whole milliseconds: `1234.6` → `1235 ms`. */
export const ms = (n: number): string => `${Math.round(n)} ms`;

/** Seconds with one decimal: `1234` → `1.2 s`. */
export const sec = (n: number): string => `${(n / 1000).toFixed(1)} s`;

/** Any value as display text: strings as they are, null/undefined as '', anything else through String(). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** `n thing` / `n things`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
