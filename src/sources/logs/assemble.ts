/**
 * Records that are not one line: the lines after a record that belong to it — a Python traceback
 * (traceback.ts) or pino-pretty's indented fields (pino-pretty.ts), each line maybe behind the same
 * wrapper as the record's. A record is handed on only when the next record starts (or the input
 * ends), with those lines attached.
 *
 * A paste that starts with records that have no time of their own (Python's default layout, a bare
 * traceback, a cut-off timestamp, before any timestamp was seen) would put them in 1970: they are held
 * (up to MAX_HELD) and given the time of the first record that has one.
 */
import { type DetectState, type Detected, detectBare, detectJsonObject, detectUnwrapped, isJsonStart, unwrap } from './detect.js';
import { repairJsonRecord } from './json-repair.js';
import { fromLoose } from './loose.js';
import { isKnownMessage } from './messages.js';
import { NodeCrashLines } from './node-crash.js';
import { ServerFieldLines } from './livekit-server.js';
import { PrettyFields } from './pino-pretty.js';
import { isPlainObject, type LogRecord } from './record.js';
import { RichLines } from './rich.js';
import { TracebackLines, isTracebackStart, startsTraceback } from './traceback.js';

const MAX_HELD = 1000;
/** A JSON record pasted over several lines is joined over at most this many lines (and characters). */
const MAX_PARTIAL_LINES = 200;
const MAX_PARTIAL_CHARS = 512 * 1024;

type RecordDetected = Exclude<Detected, { format: 'lkdiag-ndjson' }>;

export class RecordAssembler {
  private pending: RecordDetected | undefined;
  private traceback: TracebackLines | undefined;
  /** The field lines that follow the pending record (pino-pretty's, or a livekit-server record's wrapped `{…}`). */
  private fields: Pick<PrettyFields, 'push' | 'end'> | undefined;
  /** The last line, if no format read it and nothing since: a bare traceback's message, maybe. */
  private unread: string | undefined;
  /** Whether the pending record is Python text, which a traceback may follow. */
  private python = false;
  /** Records read before any timestamp (t = 0), waiting for the first time seen. */
  private held: RecordDetected[] = [];
  private readonly crash = new NodeCrashLines();
  /**
   * A line that starts a JSON object but is not one: a record split over lines (pretty-printed, or cut by a
   * terminal), joined with the lines after it until it parses or the next record starts (then it is
   * repaired: json-repair.ts).
   */
  private partial: { text: string; line: number; lines: number } | undefined;

  constructor(
    private readonly state: DetectState,
    private readonly emit: (d: Detected) => void,
  ) {}

  /** Reads one text line; false when it is neither a record nor a line of the one before it. */
  push(text: string, line: number): boolean {
    if (this.partial && this.joins(text, line)) return true;
    if (this.continues(text)) return true;
    let d = detectBare(text, line, this.state);
    if (d === undefined && this.glued(text, line)) return true;
    if (d === undefined && isJsonStart(text)) return this.startPartial(text, line);
    if (d === undefined) {
      const inner = unwrap(text);
      if (inner.text !== text && this.continues(inner.text)) return true;
      d = detectUnwrapped(text, line, this.state);
    }
    if (d === undefined) d = this.loose(text, line);
    if (d === undefined) d = this.nodeCrash(text, line);
    if (d === undefined) {
      this.unread = text;
      return false;
    }
    const before = this.unread;
    this.unread = undefined;
    // the same record from a second handler (a JSON and a text handler, or a handler added twice): read once
    if (d.format !== 'lkdiag-ndjson' && this.pending && sameRecord(this.pending.record, d.record)) {
      mergeInto(this.pending.record, d.record);
      return true;
    }
    this.flush();
    if (d.format === 'lkdiag-ndjson') this.hand(d);
    else this.start(d);
    // a bare traceback right under a line no format read: that line is its record's message, as
    // `logger.exception(…)` under a bare "%(message)s" formatter writes them
    if (this.traceback && before !== undefined && /^[A-Za-z][^\n]{0,1999}$/.test(before) && isTracebackStart(text)) this.traceback.above = before;
    return true;
  }

  /**
   * A live input paused (the end of a chunk of a followed log): hand on the pending record now unless its
   * traceback or fields are still coming in — a live trace must not wait for the next record to see this one.
   */
  idle(): void {
    if (this.pending && !this.traceback && !this.fields) this.flush();
  }

  /** Hands on the record still waiting for its lines (call at the end of the input). */
  end(): void {
    if (this.partial) this.endPartial();
    this.flush();
    this.release();
  }

  private hand(d: Detected): void {
    if (d.format !== 'lkdiag-ndjson' && d.record.t === 0 && this.held.length < MAX_HELD) {
      this.held.push(d);
      return;
    }
    if (this.held.length > 0) {
      if (d.format !== 'lkdiag-ndjson') for (const h of this.held) h.record.t = d.record.t;
      this.release();
    }
    this.emit(d);
  }

  private release(): void {
    if (this.held.length === 0) return;
    for (const h of this.held) this.emit(h);
    this.held = [];
  }

  /** A line no format read, read loosely (loose.ts), without its wrappers. */
  private loose(text: string, line: number): RecordDetected | undefined {
    // the line as it is first: a wrapper's ` | ` separators are also a custom layout's
    let r = fromLoose(text, line, this.state.clock, this.state.clock.lastT, isKnownMessage);
    if (r === undefined) {
      const inner = unwrap(text);
      if (inner.text !== text) r = fromLoose(inner.text, line, this.state.clock, inner.t ?? this.state.clock.lastT, isKnownMessage);
    }
    return r && { format: 'python-text', record: r };
  }

  /** The error line of Node's uncaught-error block (node-crash.ts), at the time of the record before it. */
  private nodeCrash(text: string, line: number): RecordDetected | undefined {
    const r = this.crash.read(text, line, this.pending?.record.t || this.state.clock.lastT);
    return r && { format: 'bare-message', record: r };
  }

  /** A line that starts a JSON object and does not parse: repaired now when it is whole, else joined with the next lines. */
  private startPartial(text: string, line: number): boolean {
    const obj = /\}\s*$/.test(text) ? repairJsonRecord(text) : undefined;
    const d = obj && detectJsonObject(obj, line, this.state);
    if (d !== undefined && d.format !== 'lkdiag-ndjson') {
      this.unread = undefined;
      this.flush();
      this.start(d);
      return true;
    }
    if (/\}\s*$/.test(text)) {
      this.unread = text;
      return false;
    }
    this.unread = undefined;
    this.flush();
    this.partial = { text, line, lines: 1 };
    return true;
  }

  /** Whether the line continues the JSON record being joined (false: the record ended before it, and was handed on). */
  private joins(text: string, line: number): boolean {
    const p = this.partial!;
    // a line that is a record of its own (or starts another object) ends the one being joined
    if (isJsonStart(text) || detectBare(text, line, this.state) !== undefined || detectUnwrapped(text, line, this.state) !== undefined) {
      this.endPartial();
      return false;
    }
    // a break inside a value (a terminal's wrap) or between the members of a pretty-printed object: joined as nothing
    p.text += text;
    p.lines++;
    let obj: unknown;
    try {
      obj = JSON.parse(p.text);
    } catch {
      if (/\}\s*$/.test(text) || p.lines >= MAX_PARTIAL_LINES || p.text.length >= MAX_PARTIAL_CHARS) this.endPartial();
      return true;
    }
    this.partial = undefined;
    const d = isPlainObject(obj) ? detectJsonObject(obj, p.line, this.state) : undefined;
    if (d !== undefined) {
      if (d.format === 'lkdiag-ndjson') this.hand(d);
      else this.start(d);
    }
    return true;
  }

  /** The record being joined, repaired as far as it goes (nothing when it is not a log record). */
  private endPartial(): void {
    const p = this.partial!;
    this.partial = undefined;
    const obj = repairJsonRecord(p.text);
    const d = obj && detectJsonObject(obj, p.line, this.state);
    if (d !== undefined && d.format !== 'lkdiag-ndjson') this.start(d);
  }

  /** JSON records glued on one line (`{…} {…}`, as a web page shows them): each read as its own line. */
  private glued(text: string, line: number): boolean {
    const parts = splitJsonObjects(text);
    if (parts === undefined) return false;
    const found: Detected[] = [];
    for (const p of parts) {
      const d = detectBare(p, line, this.state);
      if (d === undefined) return false;
      found.push(d);
    }
    for (const d of found) {
      this.flush();
      if (d.format === 'lkdiag-ndjson') this.hand(d);
      else this.start(d);
    }
    return true;
  }

  private start(d: RecordDetected): void {
    this.pending = d;
    const r = d.record;
    if (d.format === 'pino-pretty') this.fields = new PrettyFields(r.extras);
    else if (d.format === 'livekit-server') this.fields = ServerFieldLines.for(r);
    else if (d.format === 'python-rich') this.fields = new RichLines(r);
    else if (d.format === 'python-traceback') this.traceback = new TracebackLines(r.message);
    else this.python = d.format === 'python-text' || d.format === 'python-default';
  }

  private continues(text: string): boolean {
    if (this.traceback) return this.traceback.push(text);
    if (this.fields) return this.fields.push(text);
    // most records have no traceback: its lines are collected from the first one on
    if (this.python && startsTraceback(text)) {
      this.traceback = new TracebackLines();
      return this.traceback.push(text);
    }
    return false;
  }

  private flush(): void {
    const d = this.pending;
    if (!d) return;
    this.traceback?.attach(d.record);
    this.fields?.end();
    this.pending = undefined;
    this.traceback = undefined;
    this.fields = undefined;
    this.python = false;
    this.hand(d);
  }
}

/** Two or more JSON objects side by side on one line, as strings; undefined when the line is not that. */
export function splitJsonObjects(text: string): string[] | undefined {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (text.charCodeAt(i) !== 123 /* { */ || !/\}\s*\{/.test(text)) return undefined;
  const out: string[] = [];
  while (i < text.length) {
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92 /* \\ */) i++;
        else if (c === 34 /* " */) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123) depth++;
      else if (c === 125 /* } */ && --depth === 0) break;
    }
    if (depth !== 0) return undefined;
    out.push(text.slice(start, ++i));
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    if (i < text.length && text.charCodeAt(i) !== 123) return undefined;
  }
  return out.length >= 2 ? out : undefined;
}

/** Fields of a record that say how it was written rather than what it says. */
const WRITTEN = new Set(['message', 'level', 'levelname', 'name', 'logger', 'timestamp', 'asctime', 'time', 'exc_info', 'exc_text', 'msg', 'hostname', 'pid']);

/**
 * Whether `b`, read right after `a`, is `a` printed a second time: the same level, logger and message, at
 * the same time (a copy whose layout has whole seconds only within that second), and no field the two
 * both have differing.
 */
export function sameRecord(a: LogRecord, b: LogRecord): boolean {
  if (a.message !== b.message || a.level !== b.level || a.message === '') return false;
  if (a.logger !== b.logger && a.logger !== '' && b.logger !== '') return false;
  // two copies in one format are two identical lines (but the text layouts differ: dev, console with whole seconds)
  if (a.format === b.format && a.format !== 'python-text') return a.t === b.t && a.logger === b.logger && JSON.stringify(a.extras) === JSON.stringify(b.extras);
  const dt = Math.abs(a.t - b.t);
  if (dt !== 0 && !(dt < 1000 && (a.t % 1000 === 0 || b.t % 1000 === 0) && Math.floor(a.t / 1000) === Math.floor(b.t / 1000))) return false;
  for (const k of Object.keys(b.extras)) {
    if (WRITTEN.has(k) || !(k in a.extras)) continue;
    if (JSON.stringify(a.extras[k]) !== JSON.stringify(b.extras[k])) return false;
  }
  return true;
}

/** What the second copy has and the first lacks (the extras a text copy left out, a finer time). */
function mergeInto(a: LogRecord, b: LogRecord): void {
  for (const [k, v] of Object.entries(b.extras)) if (!(k in a.extras)) a.extras[k] = v;
  if (a.t % 1000 === 0 && b.t % 1000 !== 0) a.t = b.t;
  if (a.logger === '') a.logger = b.logger;
}
