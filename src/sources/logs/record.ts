/** The one shape every log format is normalised to before messages are mapped to trace events. */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** Formats the parsers recognise (keys of `stats.formats`). */
export type LogFormat = 'python-json' | 'python-text' | 'pino' | 'lkdiag-ndjson';

export const LOG_FORMATS: readonly LogFormat[] = ['python-json', 'python-text', 'pino', 'lkdiag-ndjson'];

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
  framework: 'python' | 'node';
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
