/**
 * The one place secrets are removed from anything lkdiag prints or writes. Every secret the
 * configuration loads is registered here; `installRedaction()` filters stdout and stderr so that
 * nothing — our own output, a library's log line, an error message — can print one.
 */
import { isUtf8 } from 'node:buffer';

const secrets = new Set<string>();

/**
 * Patterns that look like credentials even when we were not told about them. Each has a cheap
 * substring guard so that ordinary text (most of a large NDJSON stream) skips the regex entirely.
 */
const PATTERNS: Array<[guard: (s: string) => boolean, re: RegExp, rep: string]> = [
  [(s) => s.includes('sk-'), /\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-***'],
  [(s) => s.includes('earer'), /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [(s) => s.includes('eyJ'), /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<jwt:***>'],
  [(s) => s.includes('=') && /token|api[-_]key/i.test(s), /([?&](?:access_token|token|api-key|api_key)=)[^&\s"']+/gi, '$1***'],
  // Azure OpenAI's `api-key` header (32 hex characters, or the newer 84-character keys) as a header line,
  // JSON or a Python dict repr: `api-key: …`, `"api-key": "…"`, `'api-key': '…'`
  [(s) => /api-key/i.test(s), /(\bapi-key["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
];

/** A single scan that tells whether any pattern could match at all. */
const ANY_CREDENTIAL_HINT = /sk-|earer|eyJ|token=|api[-_]key=|api-key["']?\s*[:=]/i;

/**
 * Whether any guard above can pass: each guard's string contains one of these, which V8 finds
 * several times faster than the regex scans ordinary text (a search led by a rare character
 * skips ahead with memchr): `sk-` ⊃ `k-`, `earer` ⊃ `rer`, `eyJ` ⊃ `yJ`, the fourth needs `=`, the fifth
 * `api-key` in any case (`-key`, `-Key`, `-KEY`; a mixed-case spelling such as `-kEy` is not caught by this guard).
 * When none is present no pattern runs, so skipping the rest changes nothing.
 */
const CREDENTIAL_HINTS = ['k-', 'yJ', '=', 'rer', '-key', '-Key', '-KEY'] as const;

function mayHoldCredential(s: string): boolean {
  return CREDENTIAL_HINTS.some((h) => s.includes(h));
}

export function registerSecret(value: string | undefined): void {
  // Very short values (e.g. "secret" in dev mode) are still secrets; only ignore empty ones.
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  if (!mayHoldCredential(out) || !ANY_CREDENTIAL_HINT.test(out)) return out; // fast passes over ordinary text
  for (const [guard, re, rep] of PATTERNS) if (guard(out)) out = out.replace(re, rep);
  return out;
}

/** Deep-redacts a JSON-able value (strings only). */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

/**
 * What the stdout/stderr filter writes for a chunk of bytes: redact() of its UTF-8 text. Bytes
 * that are valid UTF-8 and hold none of what redact() looks for — no secret's UTF-8 bytes, none of
 * mayHoldCredential's hints — are passed on as they are: exactly the bytes redact()'s unchanged
 * text would encode to, without decoding and encoding them again (large NDJSON output).
 */
export function redactBytes(chunk: Uint8Array): Uint8Array | string {
  const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (isUtf8(buf) && !bytesMayNeedRedaction(buf)) return chunk;
  return redact(buf.toString('utf8'));
}

function bytesMayNeedRedaction(buf: Buffer): boolean {
  // Buffer#includes(string) looks for the string's UTF-8 bytes: in valid UTF-8 they are found
  // exactly where the decoded text contains the string
  for (const s of secrets) if (buf.includes(s)) return true;
  return CREDENTIAL_HINTS.some((h) => buf.includes(h));
}

let installed = false;

/** Wraps process.stdout/stderr.write so every byte printed passes through redact(). */
export function installRedaction(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(redact(chunk), ...rest);
      if (chunk instanceof Uint8Array) {
        // (with an encoding argument, as before: the decoded text is written with it)
        if (typeof rest[0] !== 'string') return write(redactBytes(chunk), ...rest);
        return write(redact(Buffer.from(chunk).toString('utf8')), ...rest);
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
