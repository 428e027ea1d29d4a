/**
 * The log formats `trace log` (and every --agent-log) reads, in one registry: detection tries them in
 * this order, `trace log --help` and the "nothing recognised" hint list them from it. To add a format:
 * a parser module beside this one, an entry here, and a fixture line in test/unit/logs-parsers.test.ts.
 *
 * Each line is classified alone (a file can mix formats). A line that starts with `{` is parsed as
 * JSON once and offered to the `json` formats; any other line to the `text` formats. The first
 * format whose `detect` claims the line parses it; if that parse returns undefined the line is
 * unrecognised (no later format is tried). A text line no format recognises is tried again without
 * the wrapper in front of it (LINE_PREFIX_REGISTRY: Docker, compose, kubectl, journald…), whose
 * timestamp then stands for a record that has none (`state.prefixT`).
 */
import type { TraceEvent } from '../../diagnose/types.js';
import { asTraceEvent, isLkdiagReport, reportEvents } from './ndjson.js';
import { fromServerConsole, fromServerJson, isServerConsole, isServerJson } from './livekit-server.js';
import { fromPino } from './pino.js';
import { fromPinoPretty, isPinoPretty } from './pino-pretty.js';
import { type Stripped, stripCompose, stripKubectl, stripQuote, stripRfc3339, stripSyslog } from './prefix.js';
import { fromPythonJson } from './python-json.js';
import { fromBareMessage, fromRich, isBareMessage, isRich } from './rich.js';
import { fromPythonDefault, fromPythonTextOrCut, isPythonDefault } from './python-text.js';
import { startsBareTraceback } from './traceback.js';
import type { LogFormat, LogRecord } from './record.js';

export interface DetectState {
  clock: { lastDayMs: number; lastT: number };
  /** Whether any lkdiag NDJSON event line was seen (then a report line's events are duplicates). */
  sawNdjsonEvents: boolean;
  /** The timestamp of the wrapper stripped from the line being read, if it had one. */
  prefixT?: number;
}

/** The time of a record whose line has none: its wrapper's, else the last record's. */
const noTime = (state: DetectState): number => state.prefixT ?? state.clock.lastT;

export type Detected =
  | { format: Exclude<LogFormat, 'lkdiag-ndjson' | 'session-report'>; record: LogRecord }
  | { format: 'lkdiag-ndjson'; events: TraceEvent[] };

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

/**
 * A format read as one whole document before any line is (src/sources/logs/session-report.ts
 * parseLogOrReport): listed here for the help and the hint; never offered a line.
 */
export interface DocumentLogFormat extends FormatBase {
  input: 'document';
}

export type LogFormatEntry = JsonLogFormat | TextLogFormat | DocumentLogFormat;

const record = <F extends Exclude<LogFormat, 'lkdiag-ndjson' | 'session-report'>>(format: F, r: LogRecord | undefined): Detected | undefined =>
  r && { format, record: r };

const isNdjsonEvent = (obj: Record<string, unknown>): boolean => typeof obj.kind === 'string' && 'source' in obj && asTraceEvent(obj) !== undefined;

export const LOG_FORMAT_REGISTRY: readonly LogFormatEntry[] = [
  {
    name: 'session-report',
    input: 'document',
    help: [
      "an agent's session_report.json (one JSON document): livekit-agents >= 1.3 make_session_report(),",
      '  console --record, @livekit/agents >= 1.0.19: its events, chat messages and their metrics',
    ],
    short: 'session_report.json',
  },
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
    name: 'livekit-server-json',
    input: 'json',
    help: "livekit-server JSON (`logging: {json: true}`): the server's side (dispatch, rooms)",
    short: 'livekit-server JSON',
    detect: isServerJson,
    parse: (obj, line, state) => record('livekit-server-json', fromServerJson(obj, line, state.clock)),
  },
  {
    name: 'python-json',
    input: 'json',
    help: 'Python livekit-agents JSON (`start` mode)',
    short: 'Python livekit-agents JSON (`start` mode)',
    detect: () => true,
    parse: (obj, line, state) => record('python-json', fromPythonJson(obj, line, state.clock, noTime(state))),
  },
  {
    name: 'livekit-server',
    input: 'text',
    help: [
      "livekit-server console output (zap), the server's side (dispatch, rooms):",
      '  "2025-08-25T17:48:33.723Z  INFO  livekit  agent/client.go:173  msg  {…}"',
    ],
    short: 'livekit-server logs',
    detect: isServerConsole,
    parse: (text, line, state) => record('livekit-server', fromServerConsole(text, line, state.clock)),
  },
  {
    name: 'pino-pretty',
    input: 'text',
    help: ['agents-js dev output (pino-pretty) and its indented fields:', '  "[12:04:37.724] ERROR (11228): msg"'],
    short: 'agents-js pino-pretty',
    detect: isPinoPretty,
    parse: (text, line, state) => record('pino-pretty', fromPinoPretty(text, line, state.clock)),
  },
  {
    name: 'python-rich',
    input: 'text',
    help: [
      'livekit-agents console/dev terminal output (rich), the wrapped message column rejoined:',
      '  "16:26:42.712 DEBUG  livekit.…ns.google connecting to Gemini Realtime API..."',
    ],
    short: 'livekit-agents console (rich)',
    detect: isRich,
    parse: (text, line, state) => record('python-rich', fromRich(text, line, state.clock, noTime(state))),
  },
  {
    name: 'bare-message',
    input: 'text',
    help: 'a Gemini plugin message pasted alone, without time, level or logger',
    short: 'bare Gemini plugin messages',
    detect: isBareMessage,
    parse: (text, line, state) => record('bare-message', fromBareMessage(text, line, noTime(state))),
  },
  {
    name: 'python-default',
    input: 'text',
    help: ["Python's default layout (ERROR:asyncio:…):", '  "%(levelname)s:%(name)s:%(message)s"'],
    short: 'Python default logging',
    detect: isPythonDefault,
    parse: (text, line, state) => record('python-default', fromPythonDefault(text, line, noTime(state))),
  },
  {
    name: 'python-traceback',
    input: 'text',
    help: 'a Python traceback with no record before it',
    short: 'Python tracebacks',
    detect: startsBareTraceback,
    parse: (text, line, state) =>
      record('python-traceback', {
        t: noTime(state),
        level: 'error',
        logger: '',
        message: text.trim(),
        extras: {},
        line,
        format: 'python-traceback',
        framework: 'python',
      }),
  },
  {
    name: 'python-text',
    input: 'text',
    help: [
      'Python text layouts (naive times are read as UTC):',
      '  "%(asctime)s - %(levelname)s %(name)s - %(message)s"',
      '  "%(asctime)s %(levelname)s %(name)s %(message)s"',
      '  "%(asctime)s - %(name)s - %(levelname)s - %(message)s"',
      '  "%(asctime)s - %(levelname)s - %(name)s - %(message)s"',
      '  "%(asctime)s %(name)s %(levelname)s %(message)s" (console)',
      '  "LEVEL name - message" (the timestamp cut off)',
    ],
    short: 'Python text logs',
    detect: () => true,
    parse: (text, line, state) => record('python-text', fromPythonTextOrCut(text, line, state.clock, noTime(state))),
  },
];

/** A wrapper written in front of every line (by Docker, compose, kubectl, journald…), stripped before the formats are tried again. */
export interface LinePrefix {
  name: string;
  help: string;
  strip(text: string): Stripped | undefined;
}

export const LINE_PREFIX_REGISTRY: readonly LinePrefix[] = [
  { name: 'docker-ts', help: 'Docker --timestamps, Kubernetes, CRI: "<RFC3339> [stdout F] "', strip: stripRfc3339 },
  { name: 'compose', help: 'docker compose "agent-1  | " (and a sink\'s "<ts> | ")', strip: stripCompose },
  { name: 'kubectl', help: 'kubectl logs --prefix "[pod/agent-xyz/agent] "', strip: stripKubectl },
  { name: 'journald', help: 'journald / syslog "Mar 01 10:00:00 host agent[123]: "', strip: stripSyslog },
  { name: 'quote', help: 'a quoted paste "> "', strip: (text) => stripQuote(text) },
];

/** The first wrapper in front of the line, removed; undefined when it has none. */
export function stripLinePrefix(text: string): Stripped | undefined {
  for (const p of LINE_PREFIX_REGISTRY) {
    const s = p.strip(text);
    if (s && s.text.length < text.length) return s;
  }
  return undefined;
}

export const JSON_FORMATS: readonly JsonLogFormat[] = LOG_FORMAT_REGISTRY.filter((f): f is JsonLogFormat => f.input === 'json');
export const TEXT_FORMATS: readonly TextLogFormat[] = LOG_FORMAT_REGISTRY.filter((f): f is TextLogFormat => f.input === 'text');

/** The formats as `trace log --help` lists them: one per line, by name; then the wrappers stripped. */
export const LOG_FORMAT_HELP = [
  ...LOG_FORMAT_REGISTRY.flatMap((f) => (typeof f.help === 'string' ? [f.help] : f.help).map((line, i) => `  ${(i === 0 ? f.name : '').padEnd(16)} ${line}`)),
  'Wrappers stripped from the front of a line (their time kept):',
  ...LINE_PREFIX_REGISTRY.map((p) => `  ${p.name.padEnd(16)} ${p.help}`),
].join('\n');

/** The formats in one sentence, for the hint when nothing was recognised. */
export const LOG_FORMATS_SUPPORTED = `Supported: ${LOG_FORMAT_REGISTRY.map((f) => f.short).join(', ')}.`;
