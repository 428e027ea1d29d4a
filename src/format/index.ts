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

/** Seconds with two decimals: `1234` → `1.23 s` (smoke gate summaries). */
export const sec2 = (n: number): string => `${(n / 1000).toFixed(2)} s`;

/** A duration for tables: `—` when unknown, whole ms under 10 s, else seconds with one decimal. */
export const duration = (n: number | undefined): string => (n === undefined ? '—' : n >= 10_000 ? sec(n) : ms(n));

/** A measured value in ms as it is (no rounding), `—` when unknown (markdown stats). */
export const msOrDash = (v: number | undefined): string => (v === undefined ? '—' : `${v} ms`);

/** An offset from a timeline's start: `+12 ms`, `-3 ms`, `+123.4 s` from 100 s on. */
export const offset = (n: number): string => `${n >= 0 ? '+' : ''}${Math.abs(n) >= 100_000 ? sec(n) : ms(n)}`;

/** A string, or undefined for null/undefined (parsers that must tell "absent" from ""). */
export const optStr = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : str(v));
