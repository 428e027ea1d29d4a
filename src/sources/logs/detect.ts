/**
 * Per-line format detection: a file can mix formats (a Python agent's JSON logs interleaved with
 * lkdiag's own NDJSON, or text lines from a user's handler), so every line is classified alone, by
 * the formats of the registry (formats.ts) in their order:
 *   `{…}` → parsed as JSON once, then lkdiag NDJSON (TraceEvent / report) · pino (`level` number) · Python JSON
 *   anything else → pino-pretty · Python default · bare traceback · Python text layouts
 * A text line none recognises is tried again without its wrapper (Docker, compose, kubectl, journald:
 * LINE_PREFIX_REGISTRY), up to three wrappers deep.
 */
import { JSON_FORMATS, TEXT_FORMATS, type DetectState, type Detected, stripLinePrefix } from './formats.js';
import { isPlainObject } from './record.js';

export type { DetectState, Detected } from './formats.js';

export function newDetectState(): DetectState {
  return { clock: { lastDayMs: 0, lastT: 0 }, sawNdjsonEvents: false };
}

const MAX_WRAPPERS = 3;

/** Classifies one decoded line; undefined when no supported format recognises it. */
export function detectLine(text: string, line: number, state: DetectState): Detected | undefined {
  // a line that starts with { is JSON or nothing (never a text line behind a wrapper)
  return detectBare(text, line, state) ?? (isJsonStart(text) ? undefined : detectUnwrapped(text, line, state));
}

/** The line without its wrappers, read by the formats (undefined when it has no wrapper or is still unrecognised). */
export function detectUnwrapped(text: string, line: number, state: DetectState): Detected | undefined {
  let inner = text;
  for (let depth = 0; depth < MAX_WRAPPERS; depth++) {
    const s = stripLinePrefix(inner);
    if (!s) return undefined;
    inner = s.text;
    if (s.t !== undefined) state.prefixT = s.t;
    const d = detectBare(inner, line, state);
    if (d !== undefined) {
      state.prefixT = undefined;
      return d;
    }
  }
  state.prefixT = undefined;
  return undefined;
}

/** Every wrapper removed from the line (its text unchanged when it has none), and the last wrapper timestamp seen. */
export function unwrap(text: string): { text: string; t?: number } {
  let inner = text;
  let t: number | undefined;
  for (let depth = 0; depth < MAX_WRAPPERS; depth++) {
    const s = stripLinePrefix(inner);
    if (!s) break;
    inner = s.text;
    if (s.t !== undefined) t = s.t;
  }
  return { text: inner, t };
}

/** A JSON object read from a line (or repaired from several): the first JSON format that claims it. */
export function detectJsonObject(obj: Record<string, unknown>, line: number, state: DetectState): Detected | undefined {
  for (const f of JSON_FORMATS) if (f.detect(obj)) return f.parse(obj, line, state);
  return undefined;
}

export function isJsonStart(text: string): boolean {
  let i = 0;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return text.charCodeAt(i) === 123 /* { */;
}

/** The formats on the line as it is. */
export function detectBare(text: string, line: number, state: DetectState): Detected | undefined {
  if (isJsonStart(text)) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return undefined;
    }
    return isPlainObject(obj) ? detectJsonObject(obj, line, state) : undefined;
  }
  for (const f of TEXT_FORMATS) if (f.detect(text)) return f.parse(text, line, state);
  return undefined;
}
