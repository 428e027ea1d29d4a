/**
 * livekit-server's own log (Go, zap), read as the server's side of a session. Two encodings, both
 * checked against livekit-server v1.13.5 (`--dev`, and `logging: {json: true}`):
 *
 *   console  `2026-12-01T16:37:42.840Z\tWARN\tlivekit.agents\tservice/agentservice.go:428\tfailed to assign job to worker\t{"jobID": …}`
 *            (tabs; spaces once pasted; indented; its `{…}` fields wrapped over several lines by the
 *            terminal, or on the next line alone)
 *   json     `{"level":"warn","ts":1796143062.59,"logger":"livekit.agents","caller":"service/agentservice.go:428","msg":"failed to assign job to worker",…}`
 *
 * The record's message is zap's `msg` alone; the caller goes in `extras.caller`, the fields in extras.
 */
import type { LogLevel, LogRecord } from './record.js';
import { isPlainObject, parseIsoUtc } from './record.js';

const ZAP_LEVELS: Record<string, LogLevel> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warning',
  ERROR: 'error',
  DPANIC: 'critical',
  PANIC: 'critical',
  FATAL: 'critical',
};

const zapLevel = (name: string): LogLevel | undefined => ZAP_LEVELS[name.toUpperCase()];

/** `<RFC 3339 time> LEVEL [logger] file.go:NNN message[ {fields}]`, tabs or spaces, maybe indented. */
const CONSOLE =
  /^[ \t]*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d))[ \t]+(DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)[ \t]+(?:([A-Za-z][\w.-]*)[ \t]+)?([\w./-]+\.go:\d+)(?:[ \t]+(.*))?$/;

/** Fields whose `{…}` is not closed on the record's line (the terminal wrapped it): the text so far. */
const PARTIAL = new WeakMap<LogRecord, string>();

/** The last line detect matched, and its match: parse reads it again right after (one regex run per line). */
let lastText: string | undefined;
let lastMatch: RegExpExecArray | null = null;

function match(text: string): RegExpExecArray | null {
  if (text !== lastText) {
    lastText = text;
    lastMatch = CONSOLE.exec(text);
  }
  return lastMatch;
}

/** Cheap pre-check before the regex: a digit first (after indentation) and a Go caller on the line. */
export function isServerConsole(text: string): boolean {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57 && text.includes('.go:') && match(text) !== null;
}

export function fromServerConsole(text: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  const m = match(text);
  if (!m) return undefined;
  const t = parseIsoUtc(m[1]!) ?? Date.parse(m[1]!);
  const level = zapLevel(m[2]!);
  if (Number.isNaN(t) || level === undefined) return undefined;
  clock.lastT = t;
  const { message, fields } = splitFields(m[5] ?? '');
  const extras: Record<string, unknown> = { caller: m[4]! };
  const r: LogRecord = { t, level, logger: m[3] ?? '', message, extras, line, format: 'livekit-server', framework: 'server' };
  // JSON.parse first (native, and the fields of most lines are whole); only text it rejects is scanned
  if (fields !== undefined && !parseInto(fields, r)) {
    if (balanced(fields)) r.extras['fields'] = fields;
    else PARTIAL.set(r, fields);
  }
  return r;
}

/** The message and the `{…}` of fields after it (a tab before it as zap writes it, a space once pasted). */
function splitFields(rest: string): { message: string; fields?: string } {
  const tab = rest.indexOf('\t{');
  if (tab !== -1) return { message: rest.slice(0, tab).trim(), fields: rest.slice(tab + 1) };
  const sp = rest.search(/ \{"/);
  if (sp !== -1) return { message: rest.slice(0, sp).trim(), fields: rest.slice(sp + 1) };
  if (rest.trimEnd().endsWith('{')) {
    const at = rest.lastIndexOf('{');
    return { message: rest.slice(0, at).trim(), fields: rest.slice(at) };
  }
  return { message: rest.trim() };
}

/** Whether the braces of a JSON text are closed (outside strings). */
function balanced(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return depth <= 0 && !inString;
}

/** Puts the fields in the record's extras when the text is a JSON object; false when it is not. */
function parseInto(text: string, r: LogRecord): boolean {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isPlainObject(obj)) return false;
  Object.assign(r.extras, obj);
  return true;
}

/** Puts the parsed fields in the record's extras; text that is not JSON either way is kept as `fields`. */
function readFields(text: string, r: LogRecord, alt: string): void {
  if (!parseInto(text, r) && !parseInto(alt, r)) r.extras['fields'] = text;
}

/**
 * The lines after a console record that are its fields: the rest of a `{…}` the terminal wrapped, or a
 * `{…}` alone on the next line (a paste that broke the line before the fields). Undefined when the
 * record needs none.
 */
export class ServerFieldLines {
  /** The lines as the terminal wrapped them, trimmed. */
  private parts: string[];
  private open: boolean;

  private constructor(
    private readonly record: LogRecord,
    partial: string | undefined,
  ) {
    this.parts = partial === undefined ? [] : [partial.trim()];
    this.open = true;
  }

  static for(record: LogRecord): ServerFieldLines | undefined {
    if (record.format !== 'livekit-server') return undefined;
    const partial = PARTIAL.get(record);
    if (partial !== undefined) return new ServerFieldLines(record, partial);
    // no fields on the record's own line: they may come alone on the next one
    return Object.keys(record.extras).length === 1 ? new ServerFieldLines(record, undefined) : undefined;
  }

  /** Whether the line is the rest of the record's fields (then it is read). */
  push(text: string): boolean {
    if (!this.open) return false;
    const line = text.trim();
    if (this.parts.length === 0) {
      // only a `{"…` right under the record starts its fields
      if (!line.startsWith('{"')) {
        this.open = false;
        return false;
      }
    } else if (line === '' || isServerConsole(text)) {
      this.end();
      return false;
    }
    this.parts.push(line);
    if (balanced(this.parts.join(' '))) this.close();
    return true;
  }

  /** The next record started (or the input ended): read what came, closed or not. */
  end(): void {
    if (this.open && this.parts.length > 0) this.close();
    this.open = false;
  }

  private close(): void {
    PARTIAL.delete(this.record);
    // a wrap at a space lost nothing; a wrap mid-word is joined back without one
    readFields(this.parts.join(' '), this.record, this.parts.join(''));
    this.open = false;
  }
}

/** A zap JSON record: `level` a name, `msg`, and zap's `ts` (epoch seconds) or an ISO time. */
export function isServerJson(obj: Record<string, unknown>): boolean {
  return (
    typeof obj['msg'] === 'string' &&
    typeof obj['level'] === 'string' &&
    (typeof obj['ts'] === 'number' || typeof obj['ts'] === 'string') &&
    (typeof obj['caller'] === 'string' || (typeof obj['logger'] === 'string' && obj['logger'].startsWith('livekit')))
  );
}

export function fromServerJson(obj: Record<string, unknown>, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  const level = zapLevel(String(obj['level']));
  const ts = obj['ts'];
  const t = typeof ts === 'number' ? Math.round(ts * 1000) : Date.parse(String(ts));
  if (level === undefined || Number.isNaN(t)) return undefined;
  clock.lastT = t;
  const { level: _l, ts: _t, logger, msg, ...extras } = obj;
  return {
    t,
    level,
    logger: typeof logger === 'string' ? logger : '',
    message: String(msg),
    extras,
    line,
    format: 'livekit-server-json',
    framework: 'server',
  };
}
