/**
 * A bounded line splitter: cuts a byte stream into lines without ever holding more than
 * `maxLineBytes` of one line. A longer line is reported as oversized (`null`) and its bytes are
 * dropped as they arrive, so a 10 MB line — or a binary file with no newline at all — costs at
 * most `maxLineBytes` of memory.
 */
import { isUtf8 } from 'node:buffer';

export const MAX_LINE_BYTES = 1024 * 1024;

/** What one line turned out to be before any format is tried. */
export type LineKind = 'text' | 'blank' | 'oversized' | 'binary' | 'invalid-utf8';

export class LineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Feeds one chunk; `emit(line)` is called for every complete line (`null` = oversized, skipped). */
  push(chunk: Buffer, emit: (line: Buffer | null) => void): void {
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        if (this.skipping) return;
        const rest = chunk.subarray(start);
        if (this.pending + rest.length > this.maxLineBytes) {
          this.skipping = true;
          this.parts = [];
          this.pending = 0;
          return;
        }
        // copy: a retained subarray would pin the whole chunk
        this.parts.push(Buffer.from(rest));
        this.pending += rest.length;
        return;
      }
      if (this.skipping) {
        this.skipping = false;
        emit(null);
      } else {
        let line = chunk.subarray(start, nl);
        if (this.pending > 0) {
          this.parts.push(line);
          line = Buffer.concat(this.parts, this.pending + line.length);
          this.parts = [];
          this.pending = 0;
        }
        emit(line.length > this.maxLineBytes ? null : line);
      }
      start = nl + 1;
    }
  }

  /**
   * Like push(), but decodes the complete lines in the middle of a chunk without a Buffer per line:
   * when those bytes hold no NUL and are valid UTF-8 (checked once for all of them), each line is
   * decoded straight from the chunk, already classified as text — `text(line)` gets it without its
   * CR, starting with a printable ASCII character (so never blank nor binary). Every other line
   * (the first and the last of the chunk, the lines of a chunk that fails the checks, unusual
   * lines) goes to `emit` exactly as push() would send it: decodeLine() makes the same of each.
   */
  pushLines(chunk: Buffer, emit: (line: Buffer | null) => void, text: (line: string) => void): void {
    const first = chunk.indexOf(10);
    const last = first === -1 ? -1 : chunk.lastIndexOf(10);
    // the middle: every complete line after the first newline and up to the last one
    if (last - first - 1 < 2 || last - first - 1 > this.maxLineBytes) {
      this.push(chunk, emit);
      return;
    }
    this.push(chunk.subarray(0, first + 1), emit);
    const mid = chunk.subarray(first + 1, last);
    if (mid.indexOf(0) !== -1 || !isUtf8(mid)) {
      this.push(chunk.subarray(first + 1), emit);
      return;
    }
    let start = first + 1;
    while (start <= last) {
      const nl = chunk.indexOf(10, start);
      const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
      const c = end > start ? chunk[start]! : 0;
      // a line that may be blank or binary (it starts with whitespace, a control character or a
      // multi-byte character, which may be Unicode whitespace): decodeLine decides
      if (c <= 32 || c >= 127) emit(chunk.subarray(start, nl));
      else text(chunk.toString(undefined, start, end)); // (no encoding: straight to utf8Slice)
      start = nl + 1;
    }
    if (start < chunk.length) this.push(chunk.subarray(start), emit);
  }

  /** Flushes the last line (a file that does not end with a newline). */
  end(emit: (line: Buffer | null) => void): void {
    if (this.skipping) emit(null);
    else if (this.pending > 0) emit(Buffer.concat(this.parts, this.pending));
    this.skipping = false;
    this.parts = [];
    this.pending = 0;
  }
}

/** Control characters other than tab, CR, LF, ESC (colour codes) and form feed. */
function controlCount(buf: Buffer, limit: number): number {
  let n = 0;
  const end = Math.min(buf.length, limit);
  for (let i = 0; i < end; i++) {
    const c = buf[i]!;
    if (c < 32 && c !== 9 && c !== 13 && c !== 27 && c !== 12) n++;
  }
  return n;
}

/**
 * Decodes a line, classifying what cannot be a log record: NUL bytes or mostly control
 * characters → binary; bytes that are not UTF-8 → invalid-utf8; whitespace only → blank.
 */
export function decodeLine(buf: Buffer): { kind: LineKind; text: string } {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 13) end--; // CRLF
  const b = end === buf.length ? buf : buf.subarray(0, end);
  if (b.indexOf(0) !== -1) return { kind: 'binary', text: '' };
  const text = b.toString('utf8');
  if (text.includes('\uFFFD') && !isUtf8(b)) {
    return { kind: controlCount(b, 4096) * 10 > Math.min(b.length, 4096) ? 'binary' : 'invalid-utf8', text: '' };
  }
  if (text.trim() === '') return { kind: 'blank', text: '' };
  const first = text.charCodeAt(0);
  if (first < 32 && first !== 9 && first !== 27 && first !== 13 && controlCount(b, 256) * 10 > Math.min(b.length, 256)) {
    return { kind: 'binary', text: '' };
  }
  return { kind: 'text', text };
}
