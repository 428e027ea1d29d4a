/**
 * Per-line format detection: a file can mix formats (a Python agent's JSON logs interleaved with
 * lkdiag's own NDJSON, or text lines from a user's handler), so every line is classified alone, by
 * the formats of the registry (formats.ts) in their order:
 *   `{…}` → parsed as JSON once, then lkdiag NDJSON (TraceEvent / report) · pino (`level` number) · Python JSON
 *   anything else → Python text layouts
 */
import { JSON_FORMATS, TEXT_FORMATS, type DetectState, type Detected } from './formats.js';
import { isPlainObject } from './record.js';

export type { DetectState, Detected } from './formats.js';

export function newDetectState(): DetectState {
  return { clock: { lastDayMs: 0, lastT: 0 }, sawNdjsonEvents: false };
}

/** Classifies one decoded line; undefined when no supported format recognises it. */
export function detectLine(text: string, line: number, state: DetectState): Detected | undefined {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (text.charCodeAt(i) === 123 /* { */) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isPlainObject(obj)) return undefined;
    for (const f of JSON_FORMATS) if (f.detect(obj)) return f.parse(obj, line, state);
    return undefined;
  }
  for (const f of TEXT_FORMATS) if (f.detect(text)) return f.parse(text, line, state);
  return undefined;
}
