/**
 * Node's own text when a process dies on an uncaught error, written to stderr beside an agents-js pino log:
 *
 *   node:events:502
 *         throw er; // Unhandled 'error' event
 *         ^
 *
 *   Error: Unexpected server response: 401
 *       at ClientRequest.<anonymous> (…/node_modules/ws/lib/websocket.js:960:7)
 *       …
 *   Emitted 'error' event on WebSocket instance at:
 *
 * No time, no level, no logger: the error line under the `throw er; // Unhandled 'error' event` marker is read
 * as one record (critical, at the time of the record before it); the frames stay unread lines.
 */
import type { LogRecord } from './record.js';

const UNHANDLED = /^\s*throw er; \/\/ Unhandled 'error' event\s*$/;
/** The thrown error's line: `Error: …`, `TypeError: …` (Node prints it after a blank line under the caret). */
const ERROR_LINE = /^([A-Z]\w*Error|Error)(?: \[\w+\])?: (\S.*)$/;
/** How many lines after the marker the error line may come (the caret and a blank line between). */
const WITHIN = 4;

export class NodeCrashLines {
  private markerLine = -1;

  /** The crash's error line as a record, or undefined (a marker line is remembered, not read). */
  read(text: string, line: number, t: number): LogRecord | undefined {
    if (UNHANDLED.test(text)) {
      this.markerLine = line;
      return undefined;
    }
    if (this.markerLine < 0 || line - this.markerLine > WITHIN) return undefined;
    const m = ERROR_LINE.exec(text.trimEnd());
    if (!m) return undefined;
    this.markerLine = -1;
    return {
      t,
      level: 'critical',
      logger: 'node',
      message: text.trimEnd(),
      extras: { uncaught: "Unhandled 'error' event" },
      line,
      format: 'bare-message',
      framework: 'node',
    };
  }
}
