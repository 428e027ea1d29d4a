/**
 * livekit-agents `start` mode (production) logs: `cli/log.py` JsonFormatter writes one object per
 * line — `{"message", "level", "name", …extras inline, "timestamp": "<ISO-8601, +00:00>"}`.
 * Older releases wrote no `level`/`name`; python-json-logger setups use `levelname`/`asctime`.
 */
import { parseIsoUtc, parseTextTimestamp, pyLevel, type LogRecord } from './record.js';

/**
 * @param noTimeT the time of a record pasted without its timestamp (then it needs a valid level and
 * a logger name to be read as a record at all): its wrapper's, or the last record's.
 */
export function fromPythonJson(
  obj: Record<string, unknown>,
  line: number,
  clock: { lastDayMs: number; lastT: number },
  noTimeT?: number,
): LogRecord | undefined {
  const message = obj['message'];
  if (typeof message !== 'string') return undefined;
  // a formatter that writes the traceback into the message (`msg\nTraceback (most recent call last):\n…`):
  // the traceback is also the record's exc_info, as livekit's JsonFormatter writes it (the message is kept
  // whole: rules quote it)
  const tb = message.indexOf('\nTraceback (most recent call last):');
  if (tb > 0 && obj['exc_info'] === undefined) obj['exc_info'] = message.slice(tb + 1);
  const ts = obj['timestamp'] ?? obj['asctime'] ?? obj['time'];
  let t = NaN;
  if (typeof ts === 'string') {
    t = parseIsoUtc(ts) ?? Date.parse(ts);
    if (Number.isNaN(t)) t = parseTextTimestamp(ts, clock);
  } else if (typeof ts === 'number') {
    t = ts < 1e11 ? ts * 1000 : ts; // seconds (time.time()) or ms
  }
  const levelName = obj['level'] ?? obj['levelname'];
  const level = pyLevel(levelName);
  if (levelName !== undefined && level === undefined) return undefined;
  const name = obj['name'] ?? obj['logger'];
  if (ts === undefined && noTimeT !== undefined && level !== undefined && typeof name === 'string') t = noTimeT;
  if (Number.isNaN(t)) return undefined;
  if (t !== noTimeT && t > 0) {
    // a time-of-day line after it (a console copy of the same log) is on this record's day
    clock.lastDayMs = t - (t % 86_400_000);
    clock.lastT = t;
  }
  return {
    t,
    level: level ?? 'info',
    logger: typeof name === 'string' ? name : '',
    message,
    extras: obj,
    line,
    format: 'python-json',
    framework: 'python',
  };
}
