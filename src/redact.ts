/**
 * The one place secrets are removed from anything lkdiag prints or writes. Every secret the
 * configuration loads is registered here; `installRedaction()` filters stdout and stderr so that
 * nothing — our own output, a library's log line, an error message — can print one.
 */
const secrets = new Set<string>();

/** Patterns that look like credentials even when we were not told about them. */
const PATTERNS: Array<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-***'],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<jwt:***>'],
  [/([?&](?:access_token|token|api-key|api_key)=)[^&\s"']+/gi, '$1***'],
];

export function registerSecret(value: string | undefined): void {
  // Very short values (e.g. "secret" in dev mode) are still secrets; only ignore empty ones.
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

/** Deep-redacts a JSON-able value (strings only). */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
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
      if (chunk instanceof Uint8Array) return write(redact(Buffer.from(chunk).toString('utf8')), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
