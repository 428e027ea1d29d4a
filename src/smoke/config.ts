/**
 * smoke's configuration: flags > config file (lkdiag.config.json in the working directory, or the
 * "lkdiag" key of its package.json) > defaults. A config file that does not validate is a usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SECONDS, MAX_TIMER_MS } from '../commands/parse.js';
import { usageError } from '../errors.js';
import { DEFAULT_GATES, GATE_NAMES, type GateConfig, type GateName } from './gates.js';

export const DEFAULT_AUDIO = 'fixtures/audio/two-part.wav';
export const DEFAULT_ROOM_PREFIX = 'lkdiag-smoke-';
/** The user starts speaking this long before the client starts joining, so the buffer carries words. */
export const DEFAULT_JOIN_DELAY_MS = 3000;

/** The `smoke` section of a config file, as written. */
export interface SmokeFileConfig {
  agentName?: string;
  audio?: string;
  roomPrefix?: string;
  joinDelayMs?: number;
  /** When the user says its next utterance (src/sources/microphone.ts): after-answer, continuous, pause:MS. */
  live?: string;
  gates?: Partial<Omit<GateConfig, 'skip'>> & { skip?: GateName[] };
}

export interface ConfigFile {
  file: string;
  smoke: SmokeFileConfig;
}

const GATE_KEYS: Record<string, 'seconds' | 'boolean' | 'gates' | 'codes'> = {
  agentJoinedWithinS: 'seconds',
  firstAgentAudioWithinS: 'seconds',
  bufferConsumed: 'boolean',
  noErrorFinding: 'boolean',
  noCancelledReply: 'boolean',
  skip: 'gates',
  ignoreFindings: 'codes',
};
const SMOKE_KEYS = ['agentName', 'audio', 'roomPrefix', 'joinDelayMs', 'live', 'gates'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A config file larger than this is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The text of a config file: a regular file of at most MAX_CONFIG_BYTES (a directory, pipe or
 * device would fail oddly, block or never end), without a leading byte-order mark.
 */
function readConfigText(path: string): string {
  const st = statSync(path);
  const fix = 'Fix the file, or remove it to use the defaults.';
  if (st.isDirectory()) throw usageError(`${path} is a directory, not a config file`, fix);
  if (!st.isFile()) throw usageError(`${path} is not a regular file`, fix);
  if (st.size > MAX_CONFIG_BYTES) throw usageError(`${path} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB: not a config file`, fix);
  const text = readFileSync(path, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Validates the `smoke` section; throws a usage error naming the file and the key. */
export function validateSmokeConfig(raw: unknown, where: string): SmokeFileConfig {
  const bad = (key: string, want: string) => usageError(`${where}: smoke.${key} ${want}`, `Fix ${where} (see docs/ci.md, "Configuration").`);
  if (raw === undefined) return {};
  if (!isObject(raw)) throw usageError(`${where}: "smoke" must be an object`, 'See docs/ci.md, "Configuration".');
  for (const k of Object.keys(raw)) if (!SMOKE_KEYS.includes(k)) throw bad(k, `is not a known key (known: ${SMOKE_KEYS.join(', ')})`);
  for (const k of ['agentName', 'audio', 'roomPrefix'] as const) {
    if (raw[k] !== undefined && (typeof raw[k] !== 'string' || raw[k] === '')) throw bad(k, 'must be a non-empty string');
  }
  if (raw['joinDelayMs'] !== undefined && !(typeof raw['joinDelayMs'] === 'number' && raw['joinDelayMs'] >= 0 && raw['joinDelayMs'] <= MAX_TIMER_MS))
    throw bad('joinDelayMs', `must be a number of milliseconds from 0 to ${MAX_TIMER_MS}`);
  if (raw['live'] !== undefined && !(typeof raw['live'] === 'string' && /^(after-answer|continuous|pause:\d{1,6})$/.test(raw['live'])))
    throw bad('live', 'must be after-answer, continuous or pause:MS');
  const gates = raw['gates'];
  if (gates !== undefined) {
    if (!isObject(gates)) throw bad('gates', 'must be an object');
    for (const [k, v] of Object.entries(gates)) {
      const kind = Object.hasOwn(GATE_KEYS, k) ? GATE_KEYS[k] : undefined; // not "constructor", "toString", …
      if (!kind) throw bad(`gates.${k}`, `is not a known gate setting (known: ${Object.keys(GATE_KEYS).join(', ')})`);
      if (kind === 'seconds' && !(typeof v === 'number' && v > 0 && v <= MAX_SECONDS))
        throw bad(`gates.${k}`, `must be a positive number of seconds (at most ${MAX_SECONDS})`);
      if (kind === 'boolean' && typeof v !== 'boolean') throw bad(`gates.${k}`, 'must be true or false');
      if (kind === 'gates' && !(Array.isArray(v) && v.every((g) => GATE_NAMES.includes(g as GateName))))
        throw bad(`gates.${k}`, `must be a list of gate names (${GATE_NAMES.join(', ')})`);
      if (kind === 'codes' && !(Array.isArray(v) && v.every((c) => typeof c === 'string' && /^[a-z-]+\/(\*|[a-z0-9-]+)$/.test(c))))
        throw bad(`gates.${k}`, 'must be a list of finding codes such as "openai/response-cancelled" or "preconnect/*"');
    }
  }
  return raw as SmokeFileConfig;
}

/** Finds and validates the config file in `cwd`: lkdiag.config.json first, else package.json's "lkdiag" key. */
export function loadConfigFile(cwd: string = process.cwd()): ConfigFile | undefined {
  const own = join(cwd, 'lkdiag.config.json');
  const pkg = join(cwd, 'package.json');
  let file: string;
  let root: unknown;
  if (existsSync(own)) {
    file = own;
    const text = readConfigText(own);
    try {
      root = JSON.parse(text);
    } catch (err) {
      throw usageError(`${own}: not valid JSON (${(err as Error).message})`, 'Fix the file, or remove it to use the defaults.');
    }
    if (!isObject(root)) throw usageError(`${own}: must be a JSON object like { "smoke": { … } }`, 'See docs/ci.md, "Configuration".');
  } else if (existsSync(pkg)) {
    let parsed: unknown;
    try {
      if (!statSync(pkg).isFile()) return undefined; // a pipe would block
      const text = readFileSync(pkg, 'utf8');
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return undefined; // not ours to judge
    }
    if (!isObject(parsed) || parsed['lkdiag'] === undefined) return undefined;
    file = `${pkg} ("lkdiag" key)`;
    root = parsed['lkdiag'];
    if (!isObject(root)) throw usageError(`${file}: must be an object like { "smoke": { … } }`, 'See docs/ci.md, "Configuration".');
  } else return undefined;
  return { file, smoke: validateSmokeConfig(root['smoke'], file) };
}

/** Flags that override the file (undefined = not given). */
export interface GateFlags {
  agentJoinedWithin?: number | undefined;
  firstAudioWithin?: number | undefined;
  skipGate?: string[] | undefined;
  ignoreFinding?: string[] | undefined;
}

/** flags > file > defaults. */
export function resolveGates(flags: GateFlags, file: SmokeFileConfig = {}): GateConfig {
  const g = file.gates ?? {};
  const skip = [...(g.skip ?? []), ...(flags.skipGate ?? [])];
  for (const s of flags.skipGate ?? []) {
    if (!GATE_NAMES.includes(s as GateName)) throw usageError(`--skip-gate: unknown gate ${JSON.stringify(s)}`, `Gates: ${GATE_NAMES.join(', ')}.`);
  }
  return {
    agentJoinedWithinS: flags.agentJoinedWithin ?? g.agentJoinedWithinS ?? DEFAULT_GATES.agentJoinedWithinS,
    firstAgentAudioWithinS: flags.firstAudioWithin ?? g.firstAgentAudioWithinS ?? DEFAULT_GATES.firstAgentAudioWithinS,
    bufferConsumed: g.bufferConsumed ?? DEFAULT_GATES.bufferConsumed,
    noErrorFinding: g.noErrorFinding ?? DEFAULT_GATES.noErrorFinding,
    noCancelledReply: g.noCancelledReply ?? DEFAULT_GATES.noCancelledReply,
    skip: [...new Set(skip)] as GateName[],
    ignoreFindings: [...(g.ignoreFindings ?? []), ...(flags.ignoreFinding ?? [])],
  };
}
