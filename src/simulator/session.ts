/**
 * The GA session object: defaults, `session.update` validation and merging.
 */
import { MESSAGES } from '../protocol/realtime.js';
import { sessionId } from './ids.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface TurnDetection {
  type: 'server_vad' | 'semantic_vad';
  threshold?: number;
  prefix_padding_ms?: number;
  silence_duration_ms?: number;
  idle_timeout_ms?: number | null;
  create_response?: boolean;
  interrupt_response?: boolean;
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
}

export const DEFAULT_INSTRUCTIONS =
  "Your knowledge cutoff is 2023-10. You are a helpful, witty, and friendly AI. Act like a human, but remember that you aren't a human and that you can't do human things in the real world. (lkdiag simulator default instructions)";

const SERVER_VAD_DEFAULTS: JsonObject = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  idle_timeout_ms: null,
  create_response: true,
  interrupt_response: true,
};
const SEMANTIC_VAD_DEFAULTS: JsonObject = {
  type: 'semantic_vad',
  eagerness: 'auto',
  create_response: true,
  interrupt_response: true,
};

export function defaultSession(model: string): JsonObject {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: sessionId(),
    model,
    output_modalities: ['audio'],
    instructions: DEFAULT_INSTRUCTIONS,
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: { ...SERVER_VAD_DEFAULTS },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1.0 },
    },
  };
}

/** Allowed keys per path; `true` = leaf (any value), an object = nested schema. */
type Schema = { [k: string]: true | Schema };
const FORMAT: Schema = { type: true, rate: true };
const SESSION_SCHEMA: Schema = {
  type: true,
  model: true,
  instructions: true,
  output_modalities: true,
  tools: true,
  tool_choice: true,
  max_output_tokens: true,
  tracing: true,
  truncation: true,
  prompt: true,
  include: true,
  reasoning: true,
  parallel_tool_calls: true,
  audio: {
    input: {
      format: FORMAT,
      transcription: { model: true, language: true, prompt: true, delay: true },
      noise_reduction: { type: true },
      turn_detection: {
        type: true,
        threshold: true,
        prefix_padding_ms: true,
        silence_duration_ms: true,
        idle_timeout_ms: true,
        create_response: true,
        interrupt_response: true,
        eagerness: true,
      },
    },
    output: { format: FORMAT, voice: true, speed: true },
  },
};

export interface ValidationError {
  code: string;
  message: string;
  param: string;
}

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(value: JsonObject, schema: Schema, path: string): ValidationError | null {
  for (const [k, v] of Object.entries(value)) {
    const sub = schema[k];
    const p = `${path}.${k}`;
    if (sub === undefined) return { code: 'unknown_parameter', message: MESSAGES.unknownParameter(p), param: p };
    if (sub !== true && isObj(v)) {
      const e = unknownKeys(v, sub, p);
      if (e) return e;
    }
  }
  return null;
}

function invalid(param: string, value: unknown, supported: string[]): ValidationError {
  return { code: 'invalid_value', message: MESSAGES.invalidValue(String(value), supported), param };
}

/** Validates the `session` of a GA `session.update`. Returns the first problem, or null. */
export function validateSessionUpdate(session: unknown): ValidationError | null {
  if (!isObj(session)) {
    return { code: 'missing_required_parameter', message: MESSAGES.missingParameter('session'), param: 'session' };
  }
  if (session.type === undefined) {
    return {
      code: 'missing_required_parameter',
      message: MESSAGES.missingParameter('session.type'),
      param: 'session.type',
    };
  }
  if (session.type !== 'realtime') {
    return invalid('session.type', session.type, ['realtime', 'transcription']);
  }
  const unknown = unknownKeys(session, SESSION_SCHEMA, 'session');
  if (unknown) return unknown;
  const mods = session.output_modalities;
  if (mods !== undefined) {
    const ok = Array.isArray(mods) && mods.length === 1 && (mods[0] === 'audio' || mods[0] === 'text');
    if (!ok) return invalid('session.output_modalities', JSON.stringify(mods), ['["audio"]', '["text"]']);
  }
  const audio = isObj(session.audio) ? session.audio : undefined;
  for (const dir of ['input', 'output'] as const) {
    const fmt = audio && isObj(audio[dir]) ? (audio[dir] as JsonObject).format : undefined;
    if (isObj(fmt)) {
      const p = `session.audio.${dir}.format`;
      if (!['audio/pcm', 'audio/pcmu', 'audio/pcma'].includes(String(fmt.type))) {
        return invalid(`${p}.type`, fmt.type, ['audio/pcm', 'audio/pcmu', 'audio/pcma']);
      }
      if (fmt.type === 'audio/pcm' && fmt.rate !== undefined && fmt.rate !== 24000) {
        return invalid(`${p}.rate`, fmt.rate, ['24000']);
      }
    }
  }
  const input = audio && isObj(audio.input) ? audio.input : undefined;
  const td = input?.turn_detection;
  if (isObj(td) && td.type !== 'server_vad' && td.type !== 'semantic_vad') {
    return invalid('session.audio.input.turn_detection.type', td.type, ['server_vad', 'semantic_vad']);
  }
  return null;
}

/**
 * Deep-merges a validated update into `current` (objects merge; arrays, scalars and null
 * replace). A turn_detection whose `type` changes starts from that type's defaults; an
 * `instructions: null` means "server default".
 */
export function mergeSession(current: JsonObject, update: JsonObject): JsonObject {
  const next = structuredClone(current);
  const upd = structuredClone(update);
  const td = (upd.audio as JsonObject | undefined)?.input as JsonObject | undefined;
  if (td && isObj(td.turn_detection)) {
    const curTd = ((next.audio as JsonObject).input as JsonObject).turn_detection;
    const newType = td.turn_detection.type ?? (isObj(curTd) ? curTd.type : undefined) ?? 'server_vad';
    if (!isObj(curTd) || curTd.type !== newType) {
      ((next.audio as JsonObject).input as JsonObject).turn_detection = newType === 'semantic_vad' ? { ...SEMANTIC_VAD_DEFAULTS } : { ...SERVER_VAD_DEFAULTS };
    }
  }
  if (upd.instructions === null) upd.instructions = DEFAULT_INSTRUCTIONS;
  deepMerge(next, upd);
  return next;
}

function deepMerge(target: JsonObject, src: JsonObject): void {
  for (const [k, v] of Object.entries(src)) {
    const t = target[k];
    if (isObj(v) && isObj(t)) deepMerge(t, v);
    else target[k] = v;
  }
}

/** The session's turn detection, or null when off. */
export function turnDetectionOf(session: JsonObject): TurnDetection | null {
  const td = ((session.audio as JsonObject | undefined)?.input as JsonObject | undefined)?.turn_detection;
  return isTurnDetection(td) ? td : null;
}

/** session.update validation has checked the fields; what input handling needs is an object with a type. */
const isTurnDetection = (v: unknown): v is TurnDetection => isObj(v) && typeof v['type'] === 'string';

/** The configured input transcription model, or null. */
export function transcriptionModelOf(session: JsonObject): string | null {
  const t = ((session.audio as JsonObject | undefined)?.input as JsonObject | undefined)?.transcription;
  return isObj(t) ? String(t.model ?? 'whisper-1') : null;
}

export function voiceOf(session: JsonObject): string {
  const v = ((session.audio as JsonObject | undefined)?.output as JsonObject | undefined)?.voice;
  return typeof v === 'string' ? v : 'alloy';
}

export function outputModalitiesOf(session: JsonObject): string[] {
  const m = session.output_modalities;
  return Array.isArray(m) ? m.map(String) : ['audio'];
}

export function inputFormatOf(session: JsonObject): string {
  const f = ((session.audio as JsonObject | undefined)?.input as JsonObject | undefined)?.format;
  return isObj(f) ? String(f.type) : 'audio/pcm';
}

export { isObj };
