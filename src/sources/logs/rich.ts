/**
 * livekit-agents' `console`/`dev` terminal output (RichLoggingHandler, 1.3 onward, and the rich console
 * before it): a table row per record, the message in a column of its own that rich wraps at the terminal
 * width, the logger name cut in the middle to 18 cells (`livekit.…ns.google`), the JSON extras at the end:
 *     16:26:42.712 DEBUG  livekit.…ns.google connecting to Gemini Realtime API...
 *                  ERROR  livekit.…ns.google error in receive task: received
 *                                            1008 (policy violation) Operation
 *                                            is not implemented, …
 * (the time is left blank when it repeats). A traceback is printed below the row at the left margin, or —
 * as pasted from some versions' consoles — inside the message column, wrapped with the rest. Users paste
 * the column alone, or from the logger name on.
 *
 * The header line is one record; RichLines (given to it by assemble.ts) takes the lines of the column
 * below it and rejoins what rich wrapped: a line continues the one above it when the first word would not
 * have fitted in the column after it (rich's own rule), without a space when rich folded a word longer
 * than the column. A line that starts the column on its own (`Traceback (most recent call last):` indented
 * ≥ 20 cells) is a record whose message is the traceback's exception.
 */
import { splitExtras } from './python-text.js';
import { parseTextTimestamp, type LogLevel, type LogRecord } from './record.js';
import { TracebackLines } from './traceback.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** rich cuts the level to its 6-cell column (`WARNIN`, `CRITIC`). */
const LEVEL = '(TRACE|DEBUG|INFO|WARN(?:ING|IN)?|ERROR|CRITIC(?:AL)?|DEV)';
/** A logger name as rich shows it (maybe cut in the middle with an ellipsis). */
const NAME = String.raw`([A-Za-z_][\w.\-…]{0,17})`;
/** `  16:26:42.712 DEBUG  asyncio            msg` (the time blank when it repeats: then ≥ 13 spaces before the level). */
const FULL = new RegExp(String.raw`^(?:\s{0,8}(\d{2}:\d{2}:\d{2}\.\d{3})|\s{13,30}) ${LEVEL} +${NAME} +(\S.*)?$`);
/** From the logger name on, the name cut with `…` (the time and level columns left out of the paste). */
const FROM_NAME = /^\s{0,4}([A-Za-z_][\w.-]*…[\w.-]+) +(\S.*)$/;
/** The column pasted alone: a traceback's first line, deep in the column. */
const COLUMN_TRACEBACK = /^ {20,}(?:Traceback \(most recent call last\):|Exception Group Traceback \(most recent call last\):)\s*$/;
/** Leading spaces that put a line in the message column (the time, level and name columns are ≥ 20 cells). */
const MIN_COLUMN = 20;

const LEVELS: Record<string, LogLevel> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  DEV: 'debug',
  INFO: 'info',
  WARN: 'warning',
  WARNIN: 'warning',
  WARNING: 'warning',
  ERROR: 'error',
  CRITIC: 'critical',
  CRITICAL: 'critical',
};

/** Loggers whose middle-cut form (18 cells) names them back. */
const KNOWN_LOGGERS = [
  'livekit.agents',
  'livekit.plugins.google',
  'livekit.plugins.openai',
  'livekit.plugins.azure',
  'livekit.plugins.deepgram',
  'livekit.plugins.elevenlabs',
  'livekit.plugins.cartesia',
  'livekit.plugins.silero',
  'livekit.plugins.turn_detector',
  'livekit.plugins.noise_cancellation',
];

/** What RichLoggingHandler shows of a logger name: its middle replaced by `…` to fit 18 cells. */
export function middleTruncate(name: string, width = 18): string {
  if (name.length <= width) return name;
  const visible = width - 1;
  const left = Math.floor(visible / 2);
  return `${name.slice(0, left)}…${name.slice(name.length - (visible - left))}`;
}

const CUT_NAMES = new Map(KNOWN_LOGGERS.map((n) => [middleTruncate(n), n]));

function clean(raw: string): string {
  return raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
}

export function isRich(raw: string): boolean {
  const c = raw.charCodeAt(0);
  // every rich line starts with a space (the tag column), a digit (the time) or a letter (the name)
  if (!(c === 32 || (c >= 48 && c <= 57) || c === 27 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  // a time of day first (`16:26:42.712`): most lines of a text log start with a date instead, and stop here
  if (c >= 48 && c <= 57 && raw.charCodeAt(2) !== 58 /* : */) return false;
  const text = clean(raw);
  if (!(c >= 48 && c <= 57) && text.includes('…') && FROM_NAME.test(text)) return true;
  if (c === 32 && COLUMN_TRACEBACK.test(text)) return true;
  return FULL.test(text);
}

export function fromRich(raw: string, line: number, clock: { lastDayMs: number; lastT: number }, noTime: number): LogRecord | undefined {
  const text = clean(raw);
  const base = { line, format: 'python-rich' as const, framework: 'python' as const, extras: {} };
  if (COLUMN_TRACEBACK.test(text)) return { ...base, t: noTime, level: 'error', logger: '', message: text.trim() };
  const full = FULL.exec(text);
  if (full) {
    const t = full[1] ? parseTextTimestamp(full[1], clock) : noTime;
    if (Number.isNaN(t)) return undefined;
    return { ...base, t, level: LEVELS[full[2]!] ?? 'info', logger: loggerName(full[3]!), message: (full[4] ?? '').trimEnd() };
  }
  const cut = FROM_NAME.exec(text);
  if (!cut) return undefined;
  const message = cut[2]!.trimEnd();
  // the level column was left out of the paste: an `error …` message was logged at ERROR
  return { ...base, t: noTime, level: /^error\b/i.test(message) ? 'error' : 'info', logger: loggerName(cut[1]!), message };
}

function loggerName(shown: string): string {
  return CUT_NAMES.get(shown) ?? shown;
}

/** A line of the message column: its indent in the column and its text. */
interface ColumnLine {
  indent: number;
  text: string;
}

/** A line that starts a line of its own even at the column's margin: a traceback's first or exception line. */
const OWN_LINE =
  /^(?:Traceback \(most recent call last\):|Exception Group Traceback|During handling of the above exception|The above exception was the direct cause|(?:[a-z_]\w*\.)+[A-Z]\w*(?::|$)|[A-Z]\w*(?:Error|Exception|Warning)(?::|$))/;

/**
 * The lines below a rich record: the rest of its message column (wrapped text, a traceback inside the
 * column, extras printed on their own line) and a plain traceback at the margin.
 */
export class RichLines {
  private column: ColumnLine[] = [];
  private margin: number | undefined;
  private plain: TracebackLines | undefined;

  /** A record that is the column alone has its first line (the traceback's) as its message until end(). */
  constructor(private readonly record: LogRecord) {}

  /** Whether the line belongs to the record (then it is kept). */
  push(raw: string): boolean {
    const text = clean(raw).replace(/\s+$/, '');
    if (this.plain) return this.plain.push(text);
    if (/^(?:Traceback|Exception Group Traceback) \(most recent call last\):$/.test(text)) {
      this.plain = new TracebackLines();
      return this.plain.push(text);
    }
    let i = 0;
    while (text.charCodeAt(i) === 32) i++;
    if (i < MIN_COLUMN || i === text.length || FULL.test(text)) return false;
    if (this.margin === undefined || i < this.margin) {
      const was = this.margin;
      this.margin = i;
      if (was !== undefined) for (const l of this.column) l.indent += was - i;
    }
    this.column.push({ indent: i - this.margin, text: text.slice(i) });
    return true;
  }

  /** Rejoins the column, splits the message from a traceback in it, and puts both on the record. */
  end(): void {
    const r = this.record;
    const lines = rejoin(r.message, this.column);
    const tbAt = lines.findIndex((l) => /^(?:Exception Group )?Traceback \(most recent call last\):$/.test(l));
    const messageLines = tbAt < 0 ? lines : lines.slice(0, tbAt);
    const tb = tbAt < 0 ? [] : lines.slice(tbAt);
    const { message, extras } = splitExtras(messageLines.join(' '));
    r.message = message;
    for (const [k, v] of Object.entries(extras)) r.extras[k] = v;
    if (tb.length > 0) {
      r.extras['exc_info'] = tb.join('\n');
      if (r.message === '') r.message = exceptionLine(tb) ?? tb[0]!;
    }
    this.plain?.attach(r);
  }
}

function exceptionLine(tb: string[]): string | undefined {
  for (let i = tb.length - 1; i >= 0; i--) if (/^[A-Za-z_][\w.]*(?::\s.*|:)?$/.test(tb[i]!) && !tb[i]!.startsWith('Traceback')) return tb[i];
  return undefined;
}

/**
 * The original lines of a wrapped column. `first` is the header's part of the message (the column's first
 * line), `column` the lines under it. The width is the widest line seen; a line at the margin continues
 * the line above when its first word would not have fitted there (it was wrapped), and is glued to it
 * without a space when the line above is one word filling the width (a word rich folded).
 */
export function rejoin(first: string, column: ColumnLine[]): string[] {
  const all: ColumnLine[] = first === '' ? [...column] : [{ indent: 0, text: first.trimEnd() }, ...column];
  const width = Math.max(0, ...all.map((l) => l.indent + l.text.length));
  const out: string[] = [];
  let prev: ColumnLine | undefined;
  for (const l of all) {
    const shown = ' '.repeat(l.indent) + l.text;
    const prevLen = prev ? prev.indent + prev.text.length : 0;
    if (prev === undefined || l.indent > 0) out.push(shown);
    else if (prevLen === width && !prev.text.includes(' '))
      out[out.length - 1] += l.text; // a word rich folded
    else if (!OWN_LINE.test(l.text) && prevLen + 1 + l.text.split(' ', 1)[0]!.length > width) out[out.length - 1] += ` ${l.text}`;
    else out.push(shown);
    prev = l;
  }
  return out;
}

/**
 * A line that is a provider's message alone, the time, level and logger columns left out of the paste
 * (`Gemini Realtime API error: received 1007 (invalid frame payload data) …`): only the messages of
 * livekit-plugins-google's realtime session, whose words say who wrote them.
 */
const BARE =
  /^(?:Gemini Realtime API error: |Gemini Realtime API connection failed, retrying|Gemini server indicates disconnection soon|Failed to connect to Gemini Live|Gemini Live closed the session: )/;

export function isBareMessage(text: string): boolean {
  return text.charCodeAt(0) === 71 /* G */ || text.charCodeAt(0) === 70 /* F */ ? BARE.test(text) : false;
}

export function fromBareMessage(text: string, line: number, noTime: number): LogRecord {
  const { message, extras } = splitExtras(text);
  const level: LogLevel = /^Gemini server indicates|connection failed, retrying/.test(message) ? 'warning' : 'error';
  return { t: noTime, level, logger: 'livekit.plugins.google', message, extras, line, format: 'bare-message', framework: 'python' };
}
