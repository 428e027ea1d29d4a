/** The one shape every log format is normalised to before messages are mapped to trace events. */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** Formats the parsers recognise (keys of `stats.formats`). */
export type LogFormat =
  | 'python-json'
  | 'python-text'
  | 'python-default'
  | 'python-traceback'
  | 'pino'
  | 'pino-pretty'
  | 'python-rich'
  | 'bare-message'
  | 'livekit-server'
  | 'livekit-server-json'
  | 'lkdiag-ndjson'
  | 'session-report';

export const LOG_FORMATS: readonly LogFormat[] = [
  'python-json',
  'python-text',
  'python-default',
  'python-traceback',
  'pino',
  'pino-pretty',
  'python-rich',
  'bare-message',
  'livekit-server',
  'livekit-server-json',
  'lkdiag-ndjson',
  'session-report',
];

export interface LogRecord {
  /** Epoch ms (naive text timestamps are read as UTC). */
  t: number;
  level: LogLevel;
  logger: string;
  message: string;
  /** Fields beside the message: Python `extra=`, pino bindings and merged objects. */
  extras: Record<string, unknown>;
  /** 1-based line number in the input. */
  line: number;
  format: LogFormat;
  /** Who wrote it: a Python or Node agent, or livekit-server (Go). */
  framework: 'python' | 'node' | 'server';
}

const PY_LEVELS: Record<string, LogLevel> = {
  DEBUG: 'debug',
  TRACE: 'debug',
  INFO: 'info',
  WARNING: 'warning',
  WARN: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
  FATAL: 'critical',
};

/** Python level names (any case) → our level; undefined when it is not one. */
export function pyLevel(name: unknown): LogLevel | undefined {
  if (typeof name !== 'string') return undefined;
  return PY_LEVELS[name] ?? PY_LEVELS[name.toUpperCase()];
}

/** pino's numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
export function pinoLevel(n: number): LogLevel {
  if (n >= 60) return 'critical';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warning';
  if (n >= 30) return 'info';
  return 'debug';
}

/**
 * `YYYY-MM-DD HH:MM:SS[,.]fff…` with an optional zone, or a time of day only (`%H:%M:%S`, the
 * dev-mode console layout). Naive timestamps are read as UTC. Returns NaN when it is neither.
 */
export function parseTextTimestamp(ts: string, clock: { lastDayMs: number; lastT: number }): number {
  // the common case without the regex: a full naive timestamp, maybe with `Z`
  const end = scanDateTime(ts, 0);
  if (end === ts.length || (end === ts.length - 1 && ts.charCodeAt(end) === 90) /* Z */) return naiveTimestamp(ts, 0, end, clock);
  return textTimestampByRegex(ts, clock);
}

/** parseTextTimestamp without its fast path (exported for the tests that compare the two). */
export function textTimestampByRegex(ts: string, clock: { lastDayMs: number; lastT: number }): number {
  const m = /^(?:(\d{4})-(\d{2})-(\d{2})[ T])?(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(ts);
  if (!m) return NaN;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const tod = ((Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6])) * 1000 + Math.floor(frac);
  let t: number;
  if (m[1]) {
    t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + tod;
    if (m[8] && m[8] !== 'Z') {
      const z = m[8].replace(':', '');
      const off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
      t += z[0] === '+' ? -off : off;
    }
    clock.lastDayMs = t - tod;
  } else {
    // a time of day only: keep the day of the last full timestamp, and roll over at midnight
    t = clock.lastDayMs + tod;
    if (t < clock.lastT - 12 * 3600_000) {
      clock.lastDayMs += 86_400_000;
      t += 86_400_000;
    }
  }
  clock.lastT = t;
  return t;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- fast paths for the timestamps of large logs (same results as the general code above) ----

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/** Offsets of the 14 digits of `YYYY-MM-DD HH:MM:SS`. */
const DATE_TIME_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] as const;

/**
 * Scans `YYYY-MM-DD[ T]HH:MM:SS` at `from`, with an optional `[.,]` fraction of 1–9 digits;
 * returns the index just past it, or -1 when the text there does not have this exact shape.
 */
export function scanDateTime(s: string, from: number): number {
  if (s.length < from + 19) return -1;
  const f = from;
  // separators first (a cheap rejection), then the 14 digits
  if (s.charCodeAt(f + 4) !== 45 /* - */ || s.charCodeAt(f + 7) !== 45 || s.charCodeAt(f + 13) !== 58 /* : */ || s.charCodeAt(f + 16) !== 58) return -1;
  const sep = s.charCodeAt(f + 10);
  if (sep !== 32 && sep !== 84 /* T */) return -1;
  for (const o of DATE_TIME_DIGITS) if (!isDigit(s.charCodeAt(f + o))) return -1;
  let end = from + 19;
  const dot = s.charCodeAt(end);
  if (dot === 46 /* . */ || dot === 44 /* , */) {
    let j = end + 1;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    const n = j - end - 1;
    if (n === 0) return end; // a separator without digits is not a fraction
    if (n > 9) return -1;
    end = j;
  }
  return end;
}

/** Milliseconds of a fraction's digits s[from, to), truncated: what `Math.floor(Number('0.' + digits) * 1000)` gives. */
function fractionMs(s: string, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return 0;
  if (n > 6) return Math.floor(Number(`0.${s.slice(from, to)}`) * 1000); // as the general code does
  // up to 6 digits the truncated first three are exact (checked against the formula in the tests)
  let ms = 0;
  for (let k = 0; k < 3; k++) ms = ms * 10 + (k < n ? s.charCodeAt(from + k) - 48 : 0);
  return ms;
}

/** Time of day in ms of a span scanDateTime accepted at `from` (fraction included). */
function timeOfDay(s: string, from: number, end: number): number {
  const tod = ((d2(s, from + 11) * 60 + d2(s, from + 14)) * 60 + d2(s, from + 17)) * 1000;
  return tod + (end > from + 19 ? fractionMs(s, from + 20, end) : 0);
}

/** `YYYY-MM-DD` at `from` (scanned digits) as the number YYYYMMDD: a key for the day caches. */
function dayKey(s: string, from: number): number {
  return (d2(s, from) * 100 + d2(s, from + 2)) * 10_000 + d2(s, from + 5) * 100 + d2(s, from + 8);
}

/** The day of consecutive lines repeats: its epoch ms is computed once per distinct date. */
let naiveDayKey = -1;
let naiveDayMs = 0;

/**
 * A naive (UTC) timestamp that scanDateTime accepted at s[from, end): the same number
 * parseTextTimestamp's general code computes, with the same effect on `clock`.
 */
export function naiveTimestamp(s: string, from: number, end: number, clock: { lastDayMs: number; lastT: number }): number {
  const key = dayKey(s, from);
  if (key !== naiveDayKey) {
    naiveDayKey = key;
    naiveDayMs = Date.UTC(Number(s.slice(from, from + 4)), d2(s, from + 5) - 1, d2(s, from + 8));
  }
  const t = naiveDayMs + timeOfDay(s, from, end);
  clock.lastDayMs = naiveDayMs;
  clock.lastT = t;
  return t;
}

/** Per distinct date, `Date.parse` of its midnight UTC (NaN when Date.parse rejects the date). */
let isoDayKey = -1;
let isoDayMs = NaN;

/**
 * `Date.parse(ts)` for the ISO-8601 timestamps of JSON logs (`2026-01-05T09:00:00.003000+00:00`),
 * computed without parsing the date again on every line; undefined when `ts` is not exactly
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` with every field in range (then call Date.parse).
 */
export function parseIsoUtc(ts: string): number | undefined {
  const end = scanDateTime(ts, 0);
  if (end < 0 || ts.charCodeAt(10) !== 84 /* T */ || ts.charCodeAt(19) === 44 /* , */) return undefined;
  let off = 0;
  if (end === ts.length - 1 && ts.charCodeAt(end) === 90 /* Z */) off = 0;
  else if (end === ts.length - 6 && ts.charCodeAt(end + 3) === 58 /* : */) {
    const sign = ts.charCodeAt(end);
    if (
      (sign !== 43 && sign !== 45) ||
      !isDigit(ts.charCodeAt(end + 1)) ||
      !isDigit(ts.charCodeAt(end + 2)) ||
      !isDigit(ts.charCodeAt(end + 4)) ||
      !isDigit(ts.charCodeAt(end + 5))
    )
      return undefined;
    const oh = d2(ts, end + 1);
    const om = d2(ts, end + 4);
    if (oh > 23 || om > 59) return undefined;
    off = (oh * 60 + om) * 60_000 * (sign === 43 ? 1 : -1);
  } else return undefined;
  if (d2(ts, 11) > 23 || d2(ts, 14) > 59 || d2(ts, 17) > 59) return undefined;
  const key = dayKey(ts, 0);
  if (key !== isoDayKey) {
    isoDayKey = key;
    isoDayMs = Date.parse(`${ts.slice(0, 10)}T00:00:00Z`);
  }
  if (Number.isNaN(isoDayMs)) return undefined;
  return isoDayMs + timeOfDay(ts, 0, end) - off;
}
