import { closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { UserError, usageError } from './errors.js';
import { registerSecret } from './redact.js';

/** Where a configuration value came from, in precedence order. */
export type ValueSource = 'flag' | 'env' | '.env.local' | '.env' | 'default';

export interface Resolved {
  value: string;
  source: ValueSource;
}

/** The variables lkdiag reads, named exactly as LiveKit's own tools name them. */
export const ENV = {
  openaiApiKey: 'OPENAI_API_KEY',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  livekitUrl: 'LIVEKIT_URL',
  livekitApiKey: 'LIVEKIT_API_KEY',
  livekitApiSecret: 'LIVEKIT_API_SECRET',
} as const;

const SECRET_NAMES = new Set<string>([ENV.openaiApiKey, ENV.livekitApiSecret]);

/** A dotenv file larger than this is not one (and is not read whole). */
export const MAX_DOTENV_BYTES = 1024 * 1024;
/** How long a .env that is a named pipe (as secret managers serve it) may take to be written. */
export const DOTENV_PIPE_MS = 1000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Reads a named pipe without blocking on it: what a writer sends within DOTENV_PIPE_MS, else nothing. */
function readPipe(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    const deadline = Date.now() + DOTENV_PIPE_MS;
    let total = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) break;
        sleep(5);
        continue;
      }
      if (n === 0) {
        if (total > 0 || Date.now() > deadline) break; // the writer closed it, or none came
        sleep(5);
        continue;
      }
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > MAX_DOTENV_BYTES) tooLarge(path);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * One dotenv file, or nothing when it is absent, unreadable or not a dotenv file: a regular file of
 * at most MAX_DOTENV_BYTES (a larger one is a usage error), or a named pipe read with a bound (never
 * a device or a directory, which would block or never end). A leading byte-order mark is dropped
 * (parseEnv would keep it in the first name).
 */
function readDotenv(dir: string, name: string): Record<string, string> {
  try {
    const path = join(dir, name);
    const st = statSync(path);
    let text: string;
    if (st.isFile()) text = st.size > MAX_DOTENV_BYTES ? tooLarge(path) : readFileSync(path, 'utf8');
    else if (st.isFIFO()) text = readPipe(path);
    else return {};
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return parseEnv(dropJunkLines(text)) as Record<string, string>;
  } catch (err) {
    if (err instanceof UserError) throw err;
    return {};
  }
}

/**
 * Node 20's parseEnv joins a line without `=` to the next name ("junk\nLIVEKIT_URL=…" defines
 * "junk\nLIVEKIT_URL") and stops at a NUL byte: such lines are dropped (outside multi-line quoted
 * values) and NULs removed, so one stray line cannot hide the variables after it.
 */
export function dropJunkLines(text: string): string {
  if (!text.includes('\0') && !/^[^=\n]*$/m.test(text)) return text;
  const out: string[] = [];
  let open: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replaceAll('\0', '');
    if (open) {
      out.push(line);
      if (line.includes(open)) open = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1) {
      if (line.trimStart().startsWith('#')) out.push(line);
      continue;
    }
    out.push(line);
    const v = line.slice(eq + 1).trimStart();
    const q = v[0];
    if ((q === '"' || q === "'" || q === '`') && v.indexOf(q, 1) === -1) open = q;
  }
  return out.join('\n');
}

function tooLarge(path: string): never {
  throw usageError(
    `${path} is larger than ${MAX_DOTENV_BYTES / 1024 / 1024} MiB: not a dotenv file`,
    'Remove it or move it away; lkdiag reads .env.local and .env in the working directory.',
  );
}

/**
 * Resolves values with precedence flag > environment > .env.local > .env > default, remembering the
 * source of each. Every secret it sees — wherever it came from — is registered for redaction.
 */
export class Config {
  private readonly files: Array<[ValueSource, Record<string, string>]>;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    cwd: string = process.cwd(),
  ) {
    this.files = [
      ['.env.local', readDotenv(cwd, '.env.local')],
      ['.env', readDotenv(cwd, '.env')],
    ];
    for (const name of SECRET_NAMES) {
      registerSecret(env[name]);
      for (const [, vars] of this.files) registerSecret(vars[name]);
    }
  }

  get(name: string, flag?: string, fallback?: string): Resolved | undefined {
    if (SECRET_NAMES.has(name)) registerSecret(flag);
    if (flag !== undefined && flag !== '') return { value: flag, source: 'flag' };
    const fromEnv = this.env[name];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'env' };
    for (const [source, vars] of this.files) {
      const v = vars[name];
      if (v !== undefined && v !== '') return { value: v, source };
    }
    return fallback === undefined ? undefined : { value: fallback, source: 'default' };
  }
}

/** "OPENAI_API_KEY from .env.local" — for the stderr notice of where credentials came from. */
export function describeSource(name: string, r: Resolved | undefined): string {
  if (!r) return `${name}: not set`;
  const where = r.source === 'flag' ? 'command-line flag' : r.source === 'env' ? 'environment' : r.source;
  return `${name} from ${where}`;
}
