/**
 * Per-line format detection: a file can mix formats (a Python agent's JSON logs interleaved with
 * lkdiag's own NDJSON, or text lines from a user's handler), so every line is classified alone.
 *   `{…}` → lkdiag NDJSON (TraceEvent / report) · pino (`level` number + `time`) · Python JSON (`message`)
 *   digit → Python text layouts
 */
import type { TraceEvent } from '../../diagnose/types.js';
import { asTraceEvent, isLkdiagReport, reportEvents } from './ndjson.js';
import { fromPino } from './pino.js';
import { fromPythonJson } from './python-json.js';
import { fromPythonText } from './python-text.js';
import { isPlainObject, type LogFormat, type LogRecord } from './record.js';

export interface DetectState {
  clock: { lastDayMs: number; lastT: number };
  /** Whether any lkdiag NDJSON event line was seen (then a report line's events are duplicates). */
  sawNdjsonEvents: boolean;
}

export type Detected =
  | { format: Exclude<LogFormat, 'lkdiag-ndjson'>; record: LogRecord }
  | { format: 'lkdiag-ndjson'; events: TraceEvent[] };

export function newDetectState(): DetectState {
  return { clock: { lastDayMs: 0, lastT: 0 }, sawNdjsonEvents: false };
}

function fromObject(obj: Record<string, unknown>, line: number, state: DetectState): Detected | undefined {
  if (typeof obj['kind'] === 'string' && 'source' in obj) {
    const ev = asTraceEvent(obj);
    if (ev) {
      state.sawNdjsonEvents = true;
      return { format: 'lkdiag-ndjson', events: [ev] };
    }
  }
  if (isLkdiagReport(obj)) {
    return { format: 'lkdiag-ndjson', events: state.sawNdjsonEvents ? [] : reportEvents(obj) };
  }
  if (typeof obj['level'] === 'number') {
    const r = fromPino(obj, line);
    return r && { format: 'pino', record: r };
  }
  const r = fromPythonJson(obj, line, state.clock);
  return r && { format: 'python-json', record: r };
}

/** Classifies one decoded line; undefined when no supported format recognises it. */
export function detectLine(text: string, line: number, state: DetectState): Detected | undefined {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  if (c === 123 /* { */) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return undefined;
    }
    return isPlainObject(obj) ? fromObject(obj, line, state) : undefined;
  }
  const r = fromPythonText(text, line, state.clock);
  return r && { format: 'python-text', record: r };
}
