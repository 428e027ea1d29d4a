/**
 * agents-js dev output: pino-pretty, `[12:04:37.724] ERROR (11228): worker connection closed unexpectedly`
 * (the header may also be `(name/pid)` or `(pid on host)`), followed by the record's fields as
 * indented `key: value` lines — values are JSON, objects spread over several lines, an error's
 * stack unquoted inside them. The header is one record; assemble.ts gives it its field lines.
 */
import { parseTextTimestamp, type LogLevel, type LogRecord } from './record.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const HEADER =
  /^\[((?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL|USERLVL)\s+\((?:([^/()]+)\/)?(\d+)(?: on [^)]*)?\):\s?(.*)$/s;

const LEVELS: Record<string, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warning', ERROR: 'error', FATAL: 'critical', USERLVL: 'info' };

export function isPinoPretty(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 91 /* [ */) return HEADER.test(text);
  return c === 27 /* ESC */ && HEADER.test(text.replace(ANSI, ''));
}

export function fromPinoPretty(raw: string, line: number, clock: { lastDayMs: number; lastT: number }): LogRecord | undefined {
  const text = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
  const m = HEADER.exec(text);
  if (!m) return undefined;
  const t = parseTextTimestamp(m[1]!, clock);
  if (Number.isNaN(t)) return undefined;
  const extras: Record<string, unknown> = { pid: Number(m[4]) };
  return {
    t,
    level: LEVELS[m[2]!]!,
    logger: m[3] ?? 'agents-js',
    message: m[5]!.trimEnd(),
    extras,
    line,
    format: 'pino-pretty',
    framework: 'node',
  };
}

const FIELD = /^(\s+)([\w.$-]+): (.*)$/;

/**
 * The field lines under a pino-pretty header, read into `extras`: `key: <json>` on one line, or a
 * `key: {` / `key: [` block up to its closing line, read as JSON when it is JSON, else as the object
 * of its `"k": <json>` lines (an error's unquoted stack is kept whole under `stack`).
 */
export class PrettyFields {
  private key: string | undefined;
  private indent = 0;
  private block: string[] = [];

  constructor(private readonly extras: Record<string, unknown>) {}

  /** Whether the line is one of the record's field lines (then it is read). */
  push(text: string): boolean {
    if (this.key !== undefined) {
      this.block.push(text);
      const close = /^(\s*)[}\]],?\s*$/.exec(text);
      if (close && close[1]!.length <= this.indent) this.closeBlock();
      return true;
    }
    const m = FIELD.exec(text);
    if (!m) return false;
    const value = m[3]!.trimEnd();
    if (value === '{' || value === '[') {
      this.key = m[2]!;
      this.indent = m[1]!.length;
      this.block = [value];
      return true;
    }
    this.extras[m[2]!] = jsonOr(value);
    return true;
  }

  /** A block still open at the next record (a paste cut mid-object). */
  end(): void {
    if (this.key !== undefined) this.closeBlock();
  }

  private closeBlock(): void {
    const joined = this.block.join('\n');
    let value: unknown;
    try {
      value = JSON.parse(joined);
    } catch {
      value = looseObject(this.block);
    }
    this.extras[this.key!] = value;
    this.key = undefined;
    this.block = [];
  }
}

function jsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `"k": <json>` lines of a block that is not JSON as a whole; the lines after `"stack":` (unquoted) are its value. */
function looseObject(lines: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let stack: string[] | undefined;
  for (const l of lines.slice(1, -1)) {
    const m = /^\s*"([^"]+)":\s?(.*?),?\s*$/.exec(l);
    if (m && (stack === undefined || /^\s*"(name|code|message|type)":/.test(l))) {
      stack = undefined;
      if (m[1] === 'stack' && m[2] === '') {
        stack = [];
        out['stack'] = '';
        continue;
      }
      out[m[1]!] = jsonOr(m[2]!);
    } else if (stack !== undefined) {
      stack.push(l.trim());
      out['stack'] = stack.join('\n');
    }
  }
  return out;
}
