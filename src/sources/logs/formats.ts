/**
 * The log formats `trace log` (and every --agent-log) reads, in one registry: detection tries them in
 * this order, `trace log --help` and the "nothing recognised" hint list them from it. To add a format:
 * a parser module beside this one, an entry here, and a fixture line in test/unit/logs-parsers.test.ts.
 *
 * Each line is classified alone (a file can mix formats). A line that starts with `{` is parsed as
 * JSON once and offered to the `json` formats; any other line to the `text` formats. The first
 * format whose `detect` claims the line parses it; if that parse returns undefined the line is
 * unrecognised (no later format is tried).
 */
import type { TraceEvent } from '../../diagnose/types.js';
import { asTraceEvent, isLkdiagReport, reportEvents } from './ndjson.js';
import { fromPino } from './pino.js';
import { fromPythonJson } from './python-json.js';
import { fromPythonText } from './python-text.js';
import type { LogFormat, LogRecord } from './record.js';

export interface DetectState {
  clock: { lastDayMs: number; lastT: number };
  /** Whether any lkdiag NDJSON event line was seen (then a report line's events are duplicates). */
  sawNdjsonEvents: boolean;
}

export type Detected = { format: Exclude<LogFormat, 'lkdiag-ndjson'>; record: LogRecord } | { format: 'lkdiag-ndjson'; events: TraceEvent[] };

interface FormatBase {
  name: LogFormat;
  /** What `trace log --help` says of it (more lines are indented under the first). */
  help: string | readonly string[];
  /** For the hint when nothing is recognised ("Supported: …"). */
  short: string;
}

/** A format whose lines are JSON objects (the line is parsed once, before any format is tried). */
export interface JsonLogFormat extends FormatBase {
  input: 'json';
  detect(obj: Record<string, unknown>): boolean;
  parse(obj: Record<string, unknown>, line: number, state: DetectState): Detected | undefined;
}

/** A format whose lines are text. */
export interface TextLogFormat extends FormatBase {
  input: 'text';
  detect(text: string): boolean;
  parse(text: string, line: number, state: DetectState): Detected | undefined;
}

export type LogFormatEntry = JsonLogFormat | TextLogFormat;

const record = <F extends Exclude<LogFormat, 'lkdiag-ndjson'>>(format: F, r: LogRecord | undefined): Detected | undefined => r && { format, record: r };

const isNdjsonEvent = (obj: Record<string, unknown>): boolean => typeof obj.kind === 'string' && 'source' in obj && asTraceEvent(obj) !== undefined;

export const LOG_FORMAT_REGISTRY: readonly LogFormatEntry[] = [
  {
    name: 'lkdiag-ndjson',
    input: 'json',
    help: 'lkdiag NDJSON (a saved trace, explained again)',
    short: 'lkdiag NDJSON',
    detect: (obj) => isNdjsonEvent(obj) || isLkdiagReport(obj),
    parse(obj, _line, state) {
      const ev = typeof obj.kind === 'string' && 'source' in obj ? asTraceEvent(obj) : undefined;
      if (ev) {
        state.sawNdjsonEvents = true;
        return { format: 'lkdiag-ndjson', events: [ev] };
      }
      return { format: 'lkdiag-ndjson', events: state.sawNdjsonEvents ? [] : reportEvents(obj) };
    },
  },
  {
    name: 'pino',
    input: 'json',
    help: 'agents-js pino JSON',
    short: 'agents-js pino JSON',
    detect: (obj) => typeof obj.level === 'number',
    parse: (obj, line) => record('pino', fromPino(obj, line)),
  },
  {
    name: 'python-json',
    input: 'json',
    help: 'Python livekit-agents JSON (`start` mode)',
    short: 'Python livekit-agents JSON (`start` mode)',
    detect: () => true,
    parse: (obj, line, state) => record('python-json', fromPythonJson(obj, line, state.clock)),
  },
  {
    name: 'python-text',
    input: 'text',
    help: [
      'Python text layouts (naive times are read as UTC):',
      '  "%(asctime)s - %(levelname)s %(name)s - %(message)s"',
      '  "%(asctime)s %(levelname)s %(name)s %(message)s"',
      '  "%(asctime)s - %(name)s - %(levelname)s - %(message)s"',
    ],
    short: 'Python text logs',
    detect: () => true,
    parse: (text, line, state) => record('python-text', fromPythonText(text, line, state.clock)),
  },
];

export const JSON_FORMATS: readonly JsonLogFormat[] = LOG_FORMAT_REGISTRY.filter((f): f is JsonLogFormat => f.input === 'json');
export const TEXT_FORMATS: readonly TextLogFormat[] = LOG_FORMAT_REGISTRY.filter((f): f is TextLogFormat => f.input === 'text');

/** The formats as `trace log --help` lists them: one per line, by name. */
export const LOG_FORMAT_HELP = LOG_FORMAT_REGISTRY.flatMap((f) =>
  (typeof f.help === 'string' ? [f.help] : f.help).map((line, i) => `  ${(i === 0 ? f.name : '').padEnd(14)} ${line}`),
).join('\n');

/** The formats in one sentence, for the hint when nothing was recognised. */
export const LOG_FORMATS_SUPPORTED = `Supported: ${LOG_FORMAT_REGISTRY.map((f) => f.short).join(', ')}.`;
