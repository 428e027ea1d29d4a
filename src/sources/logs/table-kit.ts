/**
 * The shape of a wording-table row (log message → trace event kind) and the small readers rows use.
 * messages.ts holds the core table; tables/*.ts hold the tables of other areas (one file each), which
 * messages.ts appends. See CONTRIBUTING.md, "add a log format / a new wording".
 */
import type { DataOf, EventKind } from '../../diagnose/types.js';
import type { LogLineFields } from '../../events/index.js';
import { optStr } from '../../format/index.js';
import { isPlainObject, type LogRecord } from './record.js';

/** The kinds a log message maps to (every `log.*` kind but `log.line`, and the agent facts logs report). */
export type TableKind =
  | Exclude<Extract<EventKind, `log.${string}`>, 'log.line'>
  | 'agent.state'
  | 'user.state'
  | 'user.transcript'
  | 'conversation.item'
  | 'agent.false-interruption'
  | 'agent.start-reading'
  | 'agent.generate-reply-failed'
  | 'agent.turn-committed'
  | 'agent.fatal'
  | 'agent.session-closed';

/** What a message adds to the log-line fields: the kind's own fields (undefined ones are left out). */
export type Extras<K extends TableKind> = { [F in Exclude<keyof DataOf<K>, keyof LogLineFields>]?: DataOf<K>[F] | undefined };

/** One row of the table, its extras typed by its kind. */
export type Rule = {
  [K in TableKind]: {
    kind: K;
    /** Exact message, or a pattern tried when no exact message matched. */
    exact?: string[];
    re?: RegExp;
    extras?: (r: LogRecord, m: RegExpExecArray | null) => Extras<K>;
  };
}[TableKind];

/** First defined value among the extras' candidate keys (Python ≥1.7 renamed PII keys to lk.pii.*). */
export function pick(x: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (x[k] !== undefined && x[k] !== null) return x[k];
  return undefined;
}

export const num = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
export const str = optStr;

/** The error text pino attaches (`err`/`error` serialised objects), if any. */
export function errText(x: Record<string, unknown>): string | undefined {
  for (const k of ['err', 'error']) {
    const e = x[k];
    if (typeof e === 'string') return e;
    if (isPlainObject(e) && typeof e['message'] === 'string') return e['message'];
  }
  return undefined;
}

/** The last non-blank line of a traceback text (the exception), if any. */
export function lastLine(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const lines = v.trimEnd().split('\n');
  return lines.at(-1)?.trim() || undefined;
}
