/**
 * A drive script: the turns lkdiag plays into the agent. JSON or YAML (by extension), validated against
 * DRIVE_SCRIPT_SCHEMA; WAV paths are relative to the script. Every error names the file and the step:
 * `script.json: turns[2].say: file not found (hello.wav)` and what to do (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { loadPcm16 } from '../audio/wav.js';
import { UserError, usageError } from '../errors.js';
import { DRIVE_SCRIPT_SCHEMA } from './script-schema.js';

export const DEFAULT_REPLY_TIMEOUT_MS = 20_000;
export const DEFAULT_SILENCE_TIMEOUT_MS = 30_000;
export const DEFAULT_NOISE_DBFS = -50;
const RATE = 48_000;

export type Step =
  | { kind: 'say'; file: string; samples: Int16Array }
  | { kind: 'wait'; for: 'reply' | 'silence'; timeoutMs: number }
  | { kind: 'pause'; ms: number }
  | { kind: 'barge_in'; file: string; samples: Int16Array; afterMs: number }
  | { kind: 'noise'; ms: number; level: number }
  | { kind: 'hangup' };

export interface DriveScript {
  file: string;
  steps: Step[];
}

/** The bundled default script (fixtures/drive/default.json, shipped with the package). */
export function defaultScriptPath(): string {
  return fileURLToPath(new URL('../../fixtures/drive/default.json', import.meta.url));
}

const HINT = 'Fix the script (docs/drive.md lists the steps: say, wait, pause, barge_in, noise, hangup).';

/** `/turns/2/say` → `turns[2].say`. */
export function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

/** The one ajv error worth showing: the deepest, not the "must match a schema in anyOf" summaries. */
export function firstError(errors: readonly ErrorObject[]): { where: string; what: string } {
  // anyOf summaries say nothing; the `hangup` string branch's const/type errors are noise next to the object branch's
  const rank = (e: ErrorObject) => e.instancePath.split('/').length * 2 + (e.keyword === 'const' || e.keyword === 'type' ? 0 : 1);
  const useful = errors.filter((e) => e.keyword !== 'anyOf');
  const pick = [...(useful.length ? useful : errors)].sort((a, b) => rank(b) - rank(a))[0]!;
  const extra = pick.keyword === 'additionalProperties' ? ` '${String(pick.params['additionalProperty'])}'` : '';
  const allowed = pick.keyword === 'enum' ? ` (${(pick.params['allowedValues'] as unknown[]).join(', ')})` : '';
  const where = jsonPath(pick.instancePath) || '(top level)';
  return { where, what: `${pick.message ?? 'is invalid'}${extra}${allowed}` };
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates a script; throws a usage error naming the file and the step. */
export function parseScript(file: string, text: string): { turns: unknown[]; replyTimeoutMs: number } {
  const name = basename(file);
  let doc: unknown;
  try {
    doc = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw usageError(`${name}: not valid ${extname(file).toLowerCase().startsWith('.y') ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`, HINT);
  }
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(DRIVE_SCRIPT_SCHEMA);
  if (!validator(doc)) {
    const { where, what } = firstError(validator.errors ?? []);
    throw usageError(`${name}: ${where}: ${what}`, HINT);
  }
  const d = doc as { turns: unknown[]; reply_timeout_ms?: number };
  return { turns: d.turns, replyTimeoutMs: d.reply_timeout_ms ?? DEFAULT_REPLY_TIMEOUT_MS };
}

type RawStep = string | Record<string, unknown>;

function loadWav(name: string, where: string, dir: string, path: string): Int16Array {
  const full = resolve(dir, path);
  if (!existsSync(full))
    throw usageError(
      `${name}: ${where}: file not found (${path})`,
      "WAV paths in a script are relative to the script's directory: check the path, or record the utterance.",
    );
  try {
    return loadPcm16(full, { sampleRate: RATE, channels: 1 }).pcm.samples;
  } catch (err) {
    if (err instanceof UserError) throw usageError(`${name}: ${where}: ${err.message}`, err.hint);
    throw err;
  }
}

function toStep(raw: RawStep, i: number, name: string, dir: string, replyTimeoutMs: number): Step {
  if (raw === 'hangup') return { kind: 'hangup' };
  const [key, v] = Object.entries(raw)[0] as [string, unknown];
  const where = `turns[${i}].${key}`;
  const obj = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  switch (key) {
    case 'say': {
      const path = typeof v === 'string' ? v : String(obj['wav']);
      return { kind: 'say', file: resolve(dir, path), samples: loadWav(name, typeof v === 'string' ? where : `${where}.wav`, dir, path) };
    }
    case 'wait': {
      const what = (typeof v === 'string' ? v : obj['for']) as 'reply' | 'silence';
      const bound = typeof obj['timeout_ms'] === 'number' ? obj['timeout_ms'] : what === 'reply' ? replyTimeoutMs : DEFAULT_SILENCE_TIMEOUT_MS;
      return { kind: 'wait', for: what, timeoutMs: bound };
    }
    case 'pause':
      return { kind: 'pause', ms: typeof v === 'number' ? v : Number(obj['ms']) };
    case 'barge_in': {
      const path = String(obj['wav']);
      return { kind: 'barge_in', file: resolve(dir, path), samples: loadWav(name, `${where}.wav`, dir, path), afterMs: Number(obj['after_ms']) };
    }
    case 'noise':
      return { kind: 'noise', ms: Number(obj['ms']), level: typeof obj['level'] === 'number' ? obj['level'] : DEFAULT_NOISE_DBFS };
    default:
      return { kind: 'hangup' };
  }
}

/** Reads, validates and loads a script (its WAVs at 48 kHz mono). */
export function loadScript(file: string): DriveScript {
  const name = basename(file);
  if (!existsSync(file))
    throw usageError(`${name}: file not found (${file})`, 'Give the path of a drive script (.json, .yaml), or leave --script out for the default one.');
  const text = readFileSync(file, 'utf8');
  const { turns, replyTimeoutMs } = parseScript(file, text);
  const dir = dirname(resolve(file));
  return { file: resolve(file), steps: (turns as RawStep[]).map((t, i) => toStep(t, i, name, dir, replyTimeoutMs)) };
}

/** Noise for `noise` steps: white noise at `level` dBFS RMS (deterministic). */
export function noiseSamples(ms: number, level: number, seed = 1): Int16Array {
  const n = Math.round((ms * RATE) / 1000);
  const amp = 10 ** (level / 20) * 32768 * Math.sqrt(3); // uniform noise: RMS = amp/√3
  const out = new Int16Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = Math.max(-32768, Math.min(32767, Math.round((((s >>> 0) / 0xffffffff) * 2 - 1) * amp)));
  }
  return out;
}
