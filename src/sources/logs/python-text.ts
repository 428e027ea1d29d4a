/**
 * Python `logging` text layouts, as users and livekit-agents' own dev formatter write them:
 *   A  %(asctime)s - %(levelname)s %(name)s - %(message)s        (livekit-agents `dev`, the issue's example)
 *   B  %(asctime)s %(levelname)s %(name)s %(message)s            (livekit-agents `console` / compact)
 *   C  %(asctime)s - %(name)s - %(levelname)s - %(message)s      (the logging cookbook layout)
 * optionally followed by the JSON extras livekit's ColoredFormatter appends (` {"k": v}`), with or
 * without ANSI colours. asctime is `2025-09-13 23:25:08,039` (naive: read as UTC) or `23:25:08`.
 */
import { isPlainObject, parseTextTimestamp, pyLevel, type LogRecord } from './record.js';

const TS = String.raw`(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)`;
const LVL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|debug|info|warning|warn|error|critical|fatal)';
const NAME = String.raw`([A-Za-z_][\w.\-:<>]*)`;

/** Tried in order; each yields [ts, level, name, message] in its own group order. */
const LAYOUTS: Array<{ re: RegExp; ts: number; level: number; name: number; msg: number }> = [
  // A: "ts - LEVEL name - message"
  { re: new RegExp(`^${TS}\\s+-\\s+${LVL}\\s+${NAME}\\s+-(?:\\s(.*))?$`, 's'), ts: 1, level: 2, name: 3, msg: 4 },
  // C: "ts - name - LEVEL - message"
  { re: new RegExp(`^${TS}\\s+-\\s+${NAME}\\s+-\\s+${LVL}\\s+-(?:\\s(.*))?$`, 's'), ts: 1, name: 2, level: 3, msg: 4 },
  // B: "ts LEVEL name message" (also "ts [LEVEL] name: message")
  { re: new RegExp(`^${TS}\\s+\\[?${LVL}\\]?\\s+${NAME}:?(?:\\s+(.*))?$`, 's'), ts: 1, level: 2, name: 3, msg: 4 },
];

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Splits trailing JSON extras (` {"k": …}`) off a message, when they parse. */
export function splitExtras(message: string): { message: string; extras: Record<string, unknown> } {
  const trimmed = message.trimEnd();
  if (!trimmed.endsWith('}')) return { message: trimmed, extras: {} };
  // left to right: the first ' {"' whose remainder is exactly one JSON object is the extras
  let at = trimmed.startsWith('{"') ? 0 : trimmed.indexOf(' {"');
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

export function fromPythonText(raw: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  let text = raw;
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.charCodeAt(0) === 13) text = text.replace(/^\r+/, '');
  const c = text.charCodeAt(0);
  if (c < 48 || c > 57) return undefined; // every layout starts with a digit
  for (const L of LAYOUTS) {
    const m = L.re.exec(text);
    if (!m) continue;
    const level = pyLevel(m[L.level]);
    const t = parseTextTimestamp(m[L.ts]!, clock);
    if (!level || Number.isNaN(t)) continue;
    const { message, extras } = splitExtras(m[L.msg] ?? '');
    return { t, level, logger: m[L.name]!, message, extras, line, format: 'python-text', framework: 'python' };
  }
  return undefined;
}
