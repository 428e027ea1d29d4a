/**
 * Agent-log source: streams a log (file or stdin) into trace events, in constant memory.
 *
 *   parseLogStream(input, opts)  → AsyncIterable<TraceEvent> with `.stats` (filled as it goes)
 *   parseLogFile(path | '-')     → the same over a file or stdin
 *
 * Formats are detected per line (see detect.ts); messages map to kinds in messages.ts. Naive text
 * timestamps (`2025-09-13 23:25:08,039`) are read as UTC.
 */
import { createReadStream } from 'node:fs';
import type { TraceEvent } from '../../diagnose/types.js';
import { RecordAssembler } from './assemble.js';
import { type Detected, newDetectState } from './detect.js';
import { eventFor } from './messages.js';
import { LineSplitter, MAX_LINE_BYTES, decodeLine } from './reader.js';
import type { LogFormat } from './record.js';

export { parsePyRepr, pyReprToJson, PyReprError } from './pyrepr.js';
export { MATCHED_MESSAGES } from './messages.js';
export { LOG_FORMATS, type LogFormat, type LogRecord } from './record.js';

export interface LogParseStats {
  /** Every line read, whatever it was. */
  lines: number;
  /** Lines a supported format recognised. */
  recognised: number;
  /** Non-blank lines no format recognised (including binary and invalid UTF-8 lines). */
  unrecognised: number;
  /** Lines longer than the line bound, skipped without being read whole. */
  oversized: number;
  /** Lines that look like binary data (NUL bytes, mostly control characters). */
  binary: number;
  /** Lines that are not valid UTF-8. */
  invalidUtf8: number;
  /** Empty or whitespace-only lines. */
  blank: number;
  /** Recognised lines per format. */
  formats: Partial<Record<LogFormat, number>>;
  /** Events produced (log.line events count only when kept). */
  events: number;
  /** Timestamps of the first and last recognised records (epoch ms). */
  firstT?: number;
  lastT?: number;
  /** The first unrecognised lines (text cut at 200 characters), when asked for (`unrecognisedSamples`). */
  unrecognisedLines?: Array<{ line: number; text: string }>;
}

export interface LogParseOptions {
  /** Also emit `log.line` events for records no table entry matched (--verbose). */
  keepLines?: boolean;
  /** Bound on one line; longer lines are counted as oversized. Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * The input is followed live (trace room --agent-log, a pipe on stdin): a record is handed on at the end
   * of each chunk instead of when the next record starts (unless its traceback is still coming in). A
   * traceback whose first line arrives in a later chunk is then read as a record of its own.
   */
  live?: boolean;
  /** Keep the first N unrecognised lines in `stats.unrecognisedLines` (trace log --verbose). */
  unrecognisedSamples?: number;
}

export interface LogParse extends AsyncIterable<TraceEvent> {
  readonly stats: LogParseStats;
  /** The same events in batches (one per input chunk): cheaper for high-volume consumers. */
  batches(): AsyncIterable<TraceEvent[]>;
}

export function emptyStats(): LogParseStats {
  return { lines: 0, recognised: 0, unrecognised: 0, oversized: 0, binary: 0, invalidUtf8: 0, blank: 0, formats: {}, events: 0 };
}

/** Counts a line no format read, and keeps it when fewer than `samples` are kept. */
function unrecognisedLine(stats: LogParseStats, samples: number, line: number, text: string): void {
  stats.unrecognised++;
  const shown = stats.unrecognisedLines ?? [];
  if (shown.length < samples) stats.unrecognisedLines = [...shown, { line, text: text.slice(0, 200) }];
}

export function parseLogStream(input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>, opts: LogParseOptions = {}): LogParse {
  const stats = emptyStats();
  const keepLines = opts.keepLines === true;
  const samples = opts.unrecognisedSamples ?? 0;
  let started = false;

  async function* batches(): AsyncGenerator<TraceEvent[]> {
    if (started) throw new Error('a log stream can be read once');
    started = true;
    const splitter = new LineSplitter(opts.maxLineBytes ?? MAX_LINE_BYTES);
    const assembler = new RecordAssembler(newDetectState(), (d) => onRecord(d));
    let out: TraceEvent[] = [];
    const onLine = (buf: Buffer | null): void => {
      const lineNo = ++stats.lines;
      if (buf === null) {
        stats.oversized++;
        return;
      }
      const { kind, text } = decodeLine(buf);
      if (kind !== 'text') {
        if (kind === 'blank') stats.blank++;
        else {
          stats.unrecognised++;
          if (kind === 'binary') stats.binary++;
          else if (kind === 'invalid-utf8') stats.invalidUtf8++;
        }
        return;
      }
      onText(text, lineNo);
    };
    /** A decoded line that is text (see LineSplitter.pushLines). */
    const onDecoded = (text: string): void => {
      onText(text, ++stats.lines);
    };
    const onText = (text: string, lineNo: number): void => {
      // a byte-order mark before the first record (editors, PowerShell's Out-File -Encoding utf8)
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (assembler.push(text, lineNo)) stats.recognised++;
      else unrecognisedLine(stats, samples, lineNo, text);
    };
    const onRecord = (d: Detected): void => {
      stats.formats[d.format] = (stats.formats[d.format] ?? 0) + 1;
      if (d.format === 'lkdiag-ndjson') {
        for (const e of d.events) note(e.t);
        out.push(...d.events);
        return;
      }
      note(d.record.t);
      const ev = eventFor(d.record, keepLines);
      if (ev) out.push(ev);
    };
    const note = (t: number): void => {
      if (stats.firstT === undefined || t < stats.firstT) stats.firstT = t;
      if (stats.lastT === undefined || t > stats.lastT) stats.lastT = t;
    };
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      splitter.pushLines(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, onLine, onDecoded);
      if (opts.live) assembler.idle();
      if (out.length > 0) {
        stats.events += out.length;
        yield out;
        out = [];
      }
    }
    splitter.end(onLine);
    assembler.end();
    if (out.length > 0) {
      stats.events += out.length;
      yield out;
    }
  }

  return {
    stats,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** Opens a file (or stdin for `-`) and parses it. Errors opening the file surface on iteration. */
export function parseLogFile(path: string, opts: LogParseOptions = {}): LogParse {
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  return parseLogStream(input, opts);
}

/** What the input mostly looked like, for the "nothing recognised" message. */
export function describeUnrecognised(stats: LogParseStats): string {
  const n = stats.lines.toLocaleString('en-US');
  if (stats.lines === 0) return 'the log is empty';
  const nonBlank = stats.lines - stats.blank;
  if (nonBlank === 0) return `the log has ${n} line(s), all blank`;
  const what =
    stats.binary * 2 >= nonBlank
      ? 'binary data'
      : stats.oversized * 2 >= nonBlank
        ? `lines longer than ${Math.round(MAX_LINE_BYTES / 1024)} KiB`
        : stats.invalidUtf8 * 2 >= nonBlank
          ? 'text that is not UTF-8'
          : 'text in no supported log format';
  return `no log line recognised in ${n} line(s) (${what})`;
}

/** How long before a session began its agent-log lines still belong to it (same-host clocks). */
export const SESSION_LOG_MARGIN_MS = 2000;

/**
 * A worker's log spans many sessions: keep what happened from shortly before `from` (epoch ms), plus
 * the lines that describe the worker itself (framework, version), whenever they were logged.
 */
export function inSessionWindow(from: number): (e: TraceEvent) => boolean {
  const start = from - SESSION_LOG_MARGIN_MS;
  return (e) => e.t >= start || e.kind === 'log.framework';
}
