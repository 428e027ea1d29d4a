/**
 * The last reading of a line no layout (nor wrapper) accounts for:
 *   - a custom `logging` format with a timestamp and a level somewhere near its start, in any order and
 *     with any separators — `[2025-01-01 10:00:00,123] 1234 livekit.agents - ERROR - msg`,
 *     `2025-01-01 10:00:00 | ERROR | livekit.agents | msg`, `INFO 2025-01-01 10:00:00,123 livekit.agents msg`;
 *     the logger is the dotted name among or right after them, when there is one;
 *   - a line with neither (`failed to connect to livekit, retrying in 2s`, `livekit.agents - worker failed`):
 *     read only when its message is one the wording tables know (`known`), at the time of the record
 *     before it, level info.
 */
import { splitExtras } from './python-text.js';
import { parseTextTimestamp, pyLevel, type LogRecord } from './record.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const TS = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|(?<![\d:.])\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?![\d:])/;
/** A level name as a word of the header (upper case only: "error" in a sentence is not a level). */
const LEVEL = /(?<![\w.])(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?![\w.])/;
/** A dotted logger name (`livekit.agents`, `livekit.plugins.openai.realtime`). */
const LOGGER = /(?<![\w./])([A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)+)(?![\w/])/;
const SEPARATORS = /^[\s\-|:\])>,]+/;
/** Where the header may be: a timestamp and a level further in are part of a message, not a layout. */
const HEAD = 120;

export function fromLoose(
  raw: string,
  line: number,
  clock: { lastDayMs: number; lastT: number },
  noTimeT: number,
  known: (message: string) => boolean,
): LogRecord | undefined {
  const text = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
  const head = text.slice(0, HEAD);
  const ts = TS.exec(head);
  const lvl = LEVEL.exec(head);
  if (ts && lvl) {
    const t = parseTextTimestamp(ts[0], clock);
    const level = pyLevel(lvl[1]);
    if (Number.isNaN(t) || !level) return undefined;
    let end = Math.max(ts.index + ts[0].length, lvl.index + lvl[0].length);
    const from = Math.min(ts.index, lvl.index);
    // the logger: among the header's fields, or the first field after them
    let logger = '';
    const inside = LOGGER.exec(head.slice(from, end));
    if (inside) logger = inside[1]!;
    else {
      // (loguru's `name:function:line` after it is part of the logger's field)
      const after = /^[\s\-|:\])]*([A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)+)(?::[\w<>]+)*(?=[\s|\-\]])/.exec(text.slice(end));
      if (after) {
        logger = after[1]!;
        end += after[0].length;
      }
    }
    const { message, extras } = splitExtras(text.slice(end).replace(SEPARATORS, ''));
    if (message === '') return undefined;
    return { t, level, logger, message, extras, line, format: 'python-text', framework: 'python' };
  }
  if (ts || lvl) return undefined;
  // neither: `logger - message`, or the message alone, when it is a known one
  const named = /^([A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)+)\s+-\s+(.*)$/s.exec(text.trim());
  const { message, extras } = splitExtras(named ? named[2]! : text.trim());
  if (message === '' || !known(message)) return undefined;
  return { t: noTimeT, level: 'info', logger: named ? named[1]! : '', message, extras, line, format: 'python-text', framework: 'python' };
}
