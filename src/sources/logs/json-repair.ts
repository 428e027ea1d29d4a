/**
 * JSON log records as they get pasted when they are no longer JSON: a traceback's quotes left unescaped
 * inside `message` (`File "/usr/…/tts.py", line 435`), a value cut by a line break, the closing brace lost.
 * repairJsonRecord reads such a line leniently: the object's keys are found where a `"key": ` follows the
 * opening brace or a comma, each value runs up to the next key, and a string value is unescaped as JSON
 * would. It never throws; it returns undefined unless the result has a string `message` and a level, a
 * logger name or a timestamp (what makes it a log record rather than any text with a brace).
 */

/** `{"key": ` or `, "key": ` — where a key can start (a key of the livekit/python-json-logger shape). */
const KEY = /(?:^\s*\{|,)\s*"([A-Za-z_@$][\w.@$-]{0,100})"\s*:\s*/g;

const RECORD_KEYS = ['level', 'levelname', 'name', 'logger', 'timestamp', 'asctime', 'time'];

/** The keys of a record-like object pasted broken, or undefined when the text is not that. */
export function repairJsonRecord(text: string): Record<string, unknown> | undefined {
  const found: Array<{ key: string; from: number; valueAt: number }> = [];
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    // the first key must open the object
    if (found.length === 0 && m.index !== 0 && text.slice(0, m.index).trim() !== '') return undefined;
    found.push({ key: m[1]!, from: m.index, valueAt: m.index + m[0].length });
    if (found.length > 500) break;
  }
  if (found.length === 0 || !/^\s*\{/.test(text.slice(0, found[0]!.valueAt))) return undefined;
  // the object ends at its last closing brace (or at the end of the text, when the brace was lost)
  const close = text.lastIndexOf('}');
  const end = close > found.at(-1)!.valueAt ? close : text.length;
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const raw = text.slice(f.valueAt, i + 1 < found.length ? found[i + 1]!.from : end).trim();
    if (!(f.key in obj)) obj[f.key] = readValue(raw);
  }
  if (typeof obj['message'] !== 'string' || !RECORD_KEYS.some((k) => k in obj)) return undefined;
  return obj;
}

/** A value as written: a string (quotes unescaped, its closing quote maybe lost), or any JSON value, else the raw text. */
function readValue(written: string): unknown {
  // a Markdown backtick the paste put inside the object (`{"message":` "…"}`)
  const raw = written.replace(/^`+\s*|\s*`+$/g, '');
  if (raw.charCodeAt(0) === 34 /* " */) {
    const body = raw.length > 1 && raw.endsWith('"') ? raw.slice(1, -1) : raw.slice(1);
    return unescapeJson(body);
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/** JSON string escapes, leniently: an escape JSON does not know is kept as written. */
function unescapeJson(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (all, e: string) => {
    if (e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? all;
  });
}
