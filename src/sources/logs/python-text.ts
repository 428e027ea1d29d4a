/**
 * Python `logging` text layouts, as users and livekit-agents' own dev formatter write them:
 *   A  %(asctime)s - %(levelname)s %(name)s - %(message)s        (livekit-agents `dev`, the issue's example)
 *   B  %(asctime)s %(levelname)s %(name)s %(message)s            (livekit-agents `console` / compact)
 *   C  %(asctime)s - %(name)s - %(levelname)s - %(message)s      (the logging cookbook layout)
 *   D  %(asctime)s - %(levelname)s - %(name)s - %(message)s      (the Rust SDK's records, as pasted)
 *   E  %(asctime)s %(name)s %(levelname)s %(message)s            (livekit-agents 1.x console, time of day)
 * optionally followed by the JSON extras livekit's ColoredFormatter appends (` {"k": v}`), with or
 * without ANSI colours. asctime is `2025-09-13 23:25:08,039` (naive: read as UTC) or `23:25:08`.
 */
import { isPlainObject, naiveTimestamp, parseTextTimestamp, pyLevel, scanDateTime, type LogLevel, type LogRecord } from './record.js';

const TS = String.raw`(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)`;
const LVL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|debug|info|warning|warn|error|critical|fatal)';
const NAME = String.raw`([A-Za-z_][\w.\-:<>]*)`;

/** Tried in order; each yields [ts, level, name, message] in its own group order. */
const LAYOUTS: Array<{ re: RegExp; ts: number; level: number; name: number; msg: number }> = [
  // A: "ts - LEVEL name - message"
  { re: new RegExp(`^${TS}\\s+-\\s+${LVL}\\s+${NAME}\\s+-(?:\\s(.*))?$`, 's'), ts: 1, level: 2, name: 3, msg: 4 },
  // C: "ts - name - LEVEL - message"
  { re: new RegExp(`^${TS}\\s+-\\s+${NAME}\\s+-\\s+${LVL}\\s+-(?:\\s(.*))?$`, 's'), ts: 1, name: 2, level: 3, msg: 4 },
  // D: "ts - LEVEL - name - message" (the Rust SDK's lines in a Python agent's log)
  { re: new RegExp(`^${TS}\\s+-\\s+${LVL}\\s+-\\s+${NAME}\\s+-(?:\\s(.*))?$`, 's'), ts: 1, level: 2, name: 3, msg: 4 },
  // B: "ts LEVEL name message" (also "ts [LEVEL] name: message")
  { re: new RegExp(`^${TS}\\s+\\[?${LVL}\\]?\\s+${NAME}:?(?:\\s+(.*))?$`, 's'), ts: 1, level: 2, name: 3, msg: 4 },
  // E: "time name LEVEL message" (livekit-agents 1.x console: `19:39:20 livekit.agents ERROR   worker failed`)
  { re: new RegExp(`^${TS}\\s+${NAME}\\s+${LVL}(?:\\s+(.*))?$`, 's'), ts: 1, name: 2, level: 3, msg: 4 },
];

// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Splits trailing JSON extras (` {"k": …}`) off a message, when they parse. */
export function splitExtras(message: string): { message: string; extras: Record<string, unknown> } {
  const trimmed = message.trimEnd();
  // (character tests rather than endsWith/startsWith: this runs for every line of a text log)
  if (trimmed.charCodeAt(trimmed.length - 1) !== 125 /* } */) return { message: trimmed, extras: {} };
  // left to right: the first ' {"' whose remainder is exactly one JSON object is the extras
  let at = trimmed.charCodeAt(0) === 123 /* { */ && trimmed.charCodeAt(1) === 34 /* " */ ? 0 : trimmed.indexOf(' {"');
  if (at > 0) at += 1;
  for (let tries = 0; at >= 0 && tries < 8; tries++) {
    try {
      const extras: unknown = JSON.parse(trimmed.slice(at));
      if (isPlainObject(extras)) return { message: trimmed.slice(0, at).trimEnd(), extras };
    } catch {
      // a '{"' inside the message itself: try the next one
    }
    const next = trimmed.indexOf(' {"', at);
    at = next < 0 ? -1 : next + 1;
  }
  return { message: trimmed, extras: {} };
}

/** The level names LVL matches, by length (upper or lower case, as the regex spells them). */
function levelAt(s: string, from: number, to: number): LogLevel | undefined {
  switch (to - from) {
    case 4:
      return s.startsWith('INFO', from) || s.startsWith('info', from)
        ? 'info'
        : s.startsWith('WARN', from) || s.startsWith('warn', from)
          ? 'warning'
          : undefined;
    case 5:
      return s.startsWith('DEBUG', from) || s.startsWith('debug', from)
        ? 'debug'
        : s.startsWith('ERROR', from) || s.startsWith('error', from)
          ? 'error'
          : s.startsWith('FATAL', from) || s.startsWith('fatal', from)
            ? 'critical'
            : undefined;
    case 7:
      return s.startsWith('WARNING', from) || s.startsWith('warning', from) ? 'warning' : undefined;
    case 8:
      return s.startsWith('CRITICAL', from) || s.startsWith('critical', from) ? 'critical' : undefined;
    default:
      return undefined;
  }
}

/** A character NAME may continue with: [\w.\-:<>]. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 58 || c === 60 || c === 62;
}

/**
 * Layout A with a full naive timestamp and single-space-separated fields, read without a regex:
 * the layout of livekit-agents' dev logs, so nearly every line of a large text log. Accepts only
 * what layout A's regex matches with the same groups (anything unusual — a tab, a zone, a time
 * of day only — returns undefined, and the regexes decide).
 */
function fastLayoutA(text: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  const tsEnd = scanDateTime(text, 0);
  if (tsEnd < 0) return undefined;
  // a log has few distinct " - LEVEL name - " headers: one already read is recognised at once
  for (let h = 0; h < headers.length; h++) {
    const known = headers[h]!;
    // (indexOf: much faster than startsWith(text, position) in V8 11; a miss skips ahead quickly)
    if (text.indexOf(known.text, tsEnd) === tsEnd) {
      if (h > 0) {
        // most recently seen first
        headers[h] = headers[h - 1]!;
        headers[h - 1] = known;
      }
      const t = naiveTimestamp(text, 0, tsEnd, clock);
      const split = splitExtras(text.slice(tsEnd + known.text.length));
      return { t, level: known.level, logger: known.logger, message: split.message, extras: split.extras, line, format: 'python-text', framework: 'python' };
    }
  }
  // "<ts> - "
  if (text.charCodeAt(tsEnd) !== 32 || text.charCodeAt(tsEnd + 1) !== 45 || text.charCodeAt(tsEnd + 2) !== 32) return undefined;
  // "<LEVEL> "
  const lvlStart = tsEnd + 3;
  const lvlEnd = text.indexOf(' ', lvlStart);
  if (lvlEnd < 0) return undefined;
  const level = levelAt(text, lvlStart, lvlEnd);
  if (!level) return undefined;
  // "<name> -"
  const nameStart = lvlEnd + 1;
  const c0 = text.charCodeAt(nameStart);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return undefined;
  let i = nameStart + 1;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const nameEnd = i;
  if (text.charCodeAt(i) !== 32 || text.charCodeAt(i + 1) !== 45) return undefined;
  // then the end of the line, or one space and the message
  let message = '';
  const logger = text.slice(nameStart, nameEnd);
  if (i + 2 < text.length) {
    if (text.charCodeAt(i + 2) !== 32) return undefined;
    message = text.slice(i + 3);
    remember(text.slice(tsEnd, i + 3), level, logger);
  }
  const t = naiveTimestamp(text, 0, tsEnd, clock);
  const split = splitExtras(message);
  return { t, level, logger, message: split.message, extras: split.extras, line, format: 'python-text', framework: 'python' };
}

/**
 * Headers fastLayoutA has read in full (" - DEBUG livekit.agents - ", message after it): the same
 * text after a timestamp reads the same way, so its level and logger are reused (the logger is
 * then one string for all its lines). A few, the most recently seen first.
 */
const headers: Array<{ text: string; level: LogLevel; logger: string }> = [];
const MAX_HEADERS = 8;

function remember(text: string, level: LogLevel, logger: string): void {
  if (headers.length >= MAX_HEADERS) headers.pop();
  headers.unshift({ text, level, logger });
}

export function fromPythonText(raw: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  const text = clean(raw);
  const c = text.charCodeAt(0);
  if (c < 48 || c > 57) return undefined; // every layout starts with a digit
  return fastLayoutA(text, line, clock) ?? byLayouts(text, line, clock);
}

function clean(raw: string): string {
  let text = raw;
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.charCodeAt(0) === 13) text = text.replace(/^\r+/, '');
  return text;
}

/**
 * fromPythonText, and when no layout reads the line, layout A with its timestamp cut off by the
 * user (`ERROR livekit.agents - …`) at `noTimeT`: the wrapper's time, or the last record's.
 */
export function fromPythonTextOrCut(raw: string, line: number, clock: { lastDayMs: number; lastT: number }, noTimeT: number): LogRecord | undefined {
  return fromPythonText(raw, line, clock) ?? cutOff(clean(raw), line, noTimeT);
}

/**
 * Layout A with its timestamp cut off by the user: the line starts at the level (` ERROR
 * livekit.plugins.openai.realtime - OpenAI S2S error {…}`) or mid-way through the time (`08,039 - INFO …`).
 */
const CUT_A = new RegExp(`^[\\d:.,]*\\s*(?:-\\s+)?${LVL}\\s+${NAME}\\s+-(?:\\s(.*))?$`, 's');

function cutOff(text: string, line: number, t: number): LogRecord | undefined {
  const m = CUT_A.exec(text.trimStart());
  const level = m && pyLevel(m[1]);
  if (!m || !level) return undefined;
  const { message, extras } = splitExtras(m[3] ?? '');
  return { t, level, logger: m[2]!, message, extras, line, format: 'python-text', framework: 'python' };
}

/** Python's default `logging.basicConfig()` layout: `ERROR:asyncio:Task exception was never retrieved` (no time). */
const PY_DEFAULT = /^(DEBUG|INFO|WARNING|ERROR|CRITICAL):([^:\s]*):(.*)$/s;

export function isPythonDefault(text: string): boolean {
  const c = text.charCodeAt(0); // D I W E C: the first letter of a level name
  return (c === 68 || c === 73 || c === 87 || c === 69 || c === 67) && PY_DEFAULT.test(text);
}

export function fromPythonDefault(text: string, line: number, t: number): LogRecord | undefined {
  const m = PY_DEFAULT.exec(text);
  const level = m && pyLevel(m[1]);
  if (!m || !level) return undefined;
  const { message, extras } = splitExtras(m[3]!);
  return { t, level, logger: m[2]!, message, extras, line, format: 'python-default', framework: 'python' };
}

/** The general reader: every layout's regex in turn (exported for the tests of the fast path). */
export function byLayouts(text: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  for (const L of LAYOUTS) {
    const m = L.re.exec(text);
    if (!m) continue;
    const level = pyLevel(m[L.level]);
    const t = parseTextTimestamp(m[L.ts]!, clock);
    if (!level || Number.isNaN(t)) continue;
    const { message, extras } = splitExtras(m[L.msg] ?? '');
    // "ts [LEVEL] name: message": the colon ends the name
    const name = m[L.name]!;
    const logger = name.length > 1 && name.endsWith(':') ? name.slice(0, -1) : name;
    return { t, level, logger, message, extras, line, format: 'python-text', framework: 'python' };
  }
  return undefined;
}
