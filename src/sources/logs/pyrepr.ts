/**
 * A small parser for Python literal reprs — what `f"{some_dict}"` prints — into plain JS values,
 * so that livekit-agents < 1.7 `>>> {'type': 'response.cancel'}` debug lines can be read.
 *
 * Handles: dicts (any hashable key becomes a string key, as JSON would), lists, tuples and sets
 * (→ arrays), str and bytes literals with either quote and every escape repr produces
 * (\\ \' \" \n \r \t \xhh \uhhhh \Uhhhhhhhh, octal), ints, floats (incl. inf / nan → null),
 * None / True / False. Anything else (an object repr like `<Foo at 0x…>`) is a PyReprError.
 */
export class PyReprError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} at offset ${at}`);
    this.name = 'PyReprError';
  }
}

const MAX_DEPTH = 200;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    /** Also read object reprs `Name(field=value, …)` (dataclasses, pydantic models) as objects of their fields. */
    readonly calls = false,
  ) {}

  fail(msg: string): never {
    throw new PyReprError(msg, this.i);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.dictOrSet(depth);
      case '[':
        return this.seq(']', depth);
      case '(':
        return this.seq(')', depth);
      case "'":
      case '"':
        return this.str();
      case undefined:
        return this.fail('unexpected end of input');
    }
    // bytes / raw / unicode string prefixes: b'..', rb'..', u'..'
    const prefix = /^(?:[bB][rR]?|[rR][bB]?|[uU])(?=['"])/.exec(this.s.slice(this.i, this.i + 3));
    if (prefix) {
      const raw = /r/i.test(prefix[0]);
      this.i += prefix[0].length;
      return this.str(raw);
    }
    if (this.calls) {
      const name = /^[A-Za-z_][\w.]*(?=\()/.exec(this.s.slice(this.i, this.i + 200));
      if (name) {
        this.i += name[0].length;
        return this.call(depth);
      }
    }
    return this.atom();
  }

  /** `(field=value, …)` after an object's name (positional arguments are kept under "0", "1", …). */
  call(depth: number): Record<string, unknown> {
    this.i++; // (
    const out: Record<string, unknown> = {};
    let n = 0;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ')') {
        this.i++;
        return out;
      }
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.s.slice(this.i, this.i + 200));
      if (kw) this.i += kw[0].length;
      const v = this.value(depth + 1);
      out[kw ? kw[1]! : String(n++)] = v;
      this.ws();
      const sep = this.s[this.i];
      if (sep === ',') {
        this.i++;
        continue;
      }
      if (sep === ')') {
        this.i++;
        return out;
      }
      this.fail("expected ',' or ')'");
    }
  }

  dictOrSet(depth: number): unknown {
    this.i++; // {
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return {};
    }
    const first = this.value(depth + 1);
    this.ws();
    if (this.s[this.i] !== ':') {
      // a set literal
      const items = [first];
      while (this.s[this.i] === ',') {
        this.i++;
        this.ws();
        if (this.s[this.i] === '}') break;
        items.push(this.value(depth + 1));
        this.ws();
      }
      if (this.s[this.i] !== '}') this.fail("expected '}'");
      this.i++;
      return items;
    }
    const out: Record<string, unknown> = {};
    let key: unknown = first;
    for (;;) {
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      const v = this.value(depth + 1);
      out[keyString(key)] = v;
      this.ws();
      const sep = this.s[this.i];
      if (sep === '}') {
        this.i++;
        return out;
      }
      if (sep !== ',') this.fail("expected ',' or '}'");
      this.i++;
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      key = this.value(depth + 1);
    }
  }

  seq(close: ']' | ')', depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.ws();
      const sep = this.s[this.i];
      if (sep === ',') {
        this.i++;
        continue;
      }
      if (sep === close) {
        this.i++;
        return out;
      }
      this.fail(`expected ',' or '${close}'`);
    }
  }

  str(raw = false): string {
    const s = this.s;
    const q = s[this.i]!;
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      const j = s.indexOf('\\', this.i);
      const k = s.indexOf(q, this.i);
      if (k === -1) this.fail('unterminated string');
      if (j === -1 || k < j) {
        out += s.slice(start, k);
        this.i = k + 1;
        return out;
      }
      out += s.slice(start, j);
      const e = s[j + 1];
      if (e === undefined) this.fail('unterminated string');
      if (raw) {
        out += `\\${e}`;
        this.i = j + 2;
      } else if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        this.i = j + 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(j + 2, j + 2 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail(`bad \\${e} escape`);
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) this.fail('code point out of range');
        out += String.fromCodePoint(cp);
        this.i = j + 2 + n;
      } else if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,3}/.exec(s.slice(j + 1, j + 4))!;
        out += String.fromCharCode(parseInt(m[0], 8));
        this.i = j + 1 + m[0].length;
      } else {
        // Python keeps unknown escapes verbatim
        out += `\\${e}`;
        this.i = j + 2;
      }
      start = this.i;
    }
  }

  atom(): unknown {
    const m = /^(?:None|True|False|-?inf|nan|[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?j?)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '') this.fail(`unexpected character ${JSON.stringify(this.s[this.i])}`);
    const w = m[0];
    // a name like "Nonesuch" or "True_x" is not a literal
    const next = this.s[this.i + w.length];
    if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) this.fail(`unexpected name`);
    this.i += w.length;
    if (w === 'None') return null;
    if (w === 'True') return true;
    if (w === 'False') return false;
    if (w.endsWith('inf') || w === 'nan' || w.endsWith('j')) return null; // JSON has no inf/nan/complex
    const n = Number(w.replace(/_/g, ''));
    if (Number.isNaN(n)) this.fail('bad number');
    return n;
  }
}

function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null'; // json.dumps({None: 1}) → {"null": 1}
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (Array.isArray(k)) return JSON.stringify(k);
  return String(k);
}

/** Parses one Python literal (the whole string, surrounding whitespace allowed). Throws PyReprError. */
export function parsePyRepr(text: string): unknown {
  const p = new Parser(text);
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('trailing characters');
  return v;
}

/**
 * Like parsePyRepr, but an object repr `Name(field=value, …)` — how livekit-agents 1.x logs the
 * Realtime API's error (`Error(message='…', type='invalid_request_error', code='…', event_id=…)`) —
 * reads as the object of its fields, at any depth. Throws PyReprError.
 */
export function parsePyObjectRepr(text: string): unknown {
  const p = new Parser(text, true);
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('trailing characters');
  return v;
}

/** The Python literal as a JSON string (what `json.dumps` would have printed). Throws PyReprError. */
export function pyReprToJson(text: string): string {
  return JSON.stringify(parsePyRepr(text));
}
