/**
 * Python tracebacks as they follow a record in a text log (`logger.exception(…)`, asyncio's "Task
 * exception was never retrieved", an uncaught error) or stand alone in a paste:
 *   Traceback (most recent call last):
 *     File "…", line 16, in async_fn_logs
 *       return await fn(*args, **kwargs)
 *   livekit.agents.llm.realtime.RealtimeError: generate_reply timed out.
 * The lines belong to the record before them: TracebackLines collects them, and attach() puts them in
 * the record's `exc_info` (as the JSON format carries it: the exception line last) — with the JSON
 * extras livekit's formatter writes after the whole record, on the exception line, merged into its extras.
 */
import { splitExtras } from './python-text.js';
import type { LogRecord } from './record.js';

const START = /^\s*(?:\+\s*)?(?:Traceback \(most recent call last\):|Exception Group Traceback \(most recent call last\):)\s*$/;
const CHAIN =
  /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
/** The exception line: `module.Class: message` or `Class`. */
const EXCEPTION = /^[A-Za-z_][\w.]*(?::\s.*|:)?$/s;
/** A qualified exception line pasted alone: `livekit.agents.llm.realtime.RealtimeError: generate_reply timed out.` */
const QUALIFIED = /^(?:[a-z_]\w*\.)+[A-Z]\w*(?:Error|Exception|Closed\w*|Timeout\w*): \S/;

export function isTracebackStart(text: string): boolean {
  return START.test(text);
}

/** Whether the line can be the first of a traceback after a record: `Traceback (…):` or asyncio's `future: <Task …>`. */
export function startsTraceback(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 102 /* f */) return text.startsWith('future: <Task');
  return (c === 84 /* T */ || c === 69 /* E */ || c === 32 || c === 9 || c === 43) /* + */ && START.test(text);
}

/** A line that starts a record of its own: a traceback, or a qualified exception line, with no record before it. */
export function startsBareTraceback(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 84 /* T */ && START.test(text)) return true;
  return ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) && QUALIFIED.test(text);
}

export class TracebackLines {
  readonly lines: string[] = [];
  /** A bare traceback's message: the line above it that no format read (see RecordAssembler). */
  above: string | undefined;
  /** none: no traceback yet · frames: inside one · done: after its exception line. */
  private at: 'none' | 'frames' | 'done';

  constructor(first?: string) {
    this.at = 'none';
    if (first !== undefined) {
      this.lines.push(first);
      this.at = START.test(first) ? 'frames' : 'done';
    }
  }

  /** Whether the line continues the record (then it is kept). */
  push(text: string): boolean {
    const c = text.charCodeAt(0);
    const indented = c === 32 || c === 9;
    if (START.test(text)) this.at = 'frames';
    else if (this.at === 'frames' && indented) {
      // a frame, its source line, the carets, an exception group's boxes
    } else if (this.at === 'frames' && EXCEPTION.test(text)) this.at = 'done';
    else if (this.at !== 'none' && CHAIN.test(text)) this.at = 'done';
    else if (this.at === 'none' && text.startsWith('future: <Task')) {
      // asyncio's "Task exception was never retrieved" names the task and its exception
    } else return false;
    this.lines.push(text);
    return true;
  }

  /** The exception line (the last line that is not a frame), if one was seen. */
  exceptionLine(): string | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const l = this.lines[i]!;
      const c = l.charCodeAt(0);
      if (c !== 32 && c !== 9 && !START.test(l) && !CHAIN.test(l) && EXCEPTION.test(l)) return l;
    }
    return undefined;
  }

  /** Puts the lines in `record.extras.exc_info`; a bare traceback's record is named by its exception line. */
  attach(record: LogRecord): void {
    if (this.lines.length === 0) return;
    const last = this.lines.length - 1;
    const split = splitExtras(this.lines[last]!);
    if (Object.keys(split.extras).length > 0) {
      this.lines[last] = split.message;
      for (const [k, v] of Object.entries(split.extras)) if (!(k in record.extras)) record.extras[k] = v;
    }
    const text = this.lines.join('\n');
    const prior = record.extras['exc_info'];
    record.extras['exc_info'] = typeof prior === 'string' && prior !== '' ? `${prior}\n${text}` : text;
    if (record.format === 'python-traceback') {
      record.message = this.above ?? this.exceptionLine() ?? record.message;
    }
  }
}
