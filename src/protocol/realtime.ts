/**
 * Wire contract of the OpenAI Realtime API (GA shape) as LiveKit's plugins use it.
 * Source of truth: shared/spec/realtime.md. Shared by the probe, the simulator,
 * the log parsers and the rules, so the exact texts live in one place.
 */

/** A JSON event on the socket (both directions). */
export interface RealtimeEvent {
  type: string;
  event_id?: string;
  [key: string]: unknown;
}

/** The `error` object inside an `error` server event or a failed `status_details`. */
export interface RealtimeErrorDetail {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  /** The *client* event id the error refers to, when known. */
  event_id: string | null;
}

export interface RealtimeErrorEvent {
  type: 'error';
  event_id: string;
  error: RealtimeErrorDetail;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'cancelled' | 'incomplete' | 'failed';

export type ResponseStatusDetails =
  | { type: 'cancelled'; reason: 'turn_detected' | 'client_cancelled' }
  | { type: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' }
  | { type: 'failed'; error: { type: string; code: string | null; message: string } }
  | null;

/** Client → server event types (GA). */
export const CLIENT_EVENT_TYPES = [
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.delete',
  'conversation.item.truncate',
  'conversation.item.retrieve',
  'response.create',
  'response.cancel',
  'output_audio_buffer.clear',
] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** Server → client event types (GA). */
export const SERVER_EVENT_TYPES = [
  'error',
  'session.created',
  'session.updated',
  'rate_limits.updated',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed',
  'input_audio_buffer.cleared',
  'input_audio_buffer.timeout_triggered',
  'conversation.item.added',
  'conversation.item.done',
  'conversation.item.deleted',
  'conversation.item.truncated',
  'conversation.item.retrieved',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.failed',
  'response.created',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.done',
] as const;
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];

/** Beta server event names → GA names (what LiveKit's Python plugin normalizes for Azure). */
export const BETA_TO_GA_EVENT: Readonly<Record<string, ServerEventType>> = {
  'conversation.item.created': 'conversation.item.added',
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
};

/** WebSocket close codes the API uses. */
export const CLOSE_CODES = {
  /** Session hit its maximum duration (GA, reason `Your session hit the maximum duration of 60 minutes.`). */
  goingAway: 1001,
  /** Bad API key (reason `invalid_request_error.invalid_api_key`). */
  invalidApiKey: 3000,
  /** Request error: beta header, missing/invalid model (reason `invalid_request_error.<code>`). */
  invalidRequest: 4000,
} as const;

/** Error codes LiveKit's Python plugin (≥1.6.6) and JS plugin (≥1.6.0) treat as fatal. */
export const FATAL_ERROR_CODES: ReadonlySet<string> = new Set(['insufficient_quota', 'invalid_api_key', 'account_deactivated', 'billing_hard_limit_reached']);

/** Exact error texts (and text builders) of the Realtime API. */
export const MESSAGES = {
  activeResponse: (responseId: string) =>
    `Conversation already has an active response in progress: ${responseId}. Wait until the response is finished before creating a new one.`,
  cancelNotActive: 'Cancellation failed: no active response found',
  truncateNotAudio: 'Only model output audio messages can be truncated',
  truncateTooFar: (haveMs: number, wantMs: number) => `Audio content of ${Math.round(haveMs)}ms is already shorter than ${Math.round(wantMs)}ms`,
  commitEmpty: (ms: number) =>
    `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
  missingParameter: (param: string) => `Missing required parameter: '${param}'.`,
  /** The API's wording for a value of the wrong JSON type (`got`: null, a string, an object …). */
  invalidType: (param: string, expected: string, got: string) => `Invalid type for '${param}': expected ${expected}, but got ${got} instead.`,
  belowMinimum: (param: string, min: number, got: number) =>
    `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${got} instead.`,
  unknownParameter: (param: string) => `Unknown parameter: '${param}'.`,
  invalidValue: (value: string, supported: readonly string[]) => `Invalid value: '${value}'. Supported values are: ${listValues(supported)}.`,
  invalidApiKey: (maskedKey: string) => `Incorrect API key provided: ${maskedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  missingModel: 'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime',
  invalidModel: (model: string) => `Model "${model}" is not supported in realtime mode. Use a realtime model such as gpt-realtime.`,
  sessionExpired: 'Your session hit the maximum duration of 60 minutes.',
  betaShapeDisabled:
    'The Realtime API beta shape has been disabled. Remove the `OpenAI-Beta: realtime=v1` header and use the GA session shape (session.type = "realtime").',
  modelNotFound: (model: string) => `The model \`${model}\` does not exist or you do not have access to it.`,
  insufficientQuota:
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  rateLimited: (model: string) => `Rate limit reached for ${model} on tokens per min (TPM): Limit 40000, Used 40000, Requested 120. Please try again in 180ms.`,
} as const;

function listValues(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** Model names the Realtime endpoint accepts (GA and preview families). */
export function isRealtimeModelName(model: string): boolean {
  return /^(gpt-realtime|gpt-4o-realtime-preview|gpt-4o-mini-realtime|gpt-audio)/.test(model);
}

/**
 * Masks an API key the way OpenAI's error texts do, but revealing at most the last
 * 4 characters (and none when the key is too short for that to be safe).
 */
export function maskApiKey(key: string): string {
  const prefix = /^sk-(proj-|svcacct-|admin-)?/.exec(key)?.[0] ?? '';
  if (key.length < 16) return `${prefix}…****`;
  return `${prefix}…${key.slice(-4)}`;
}

// The base-URL → WebSocket URL rule (LiveKit's Python plugin) lives in ./realtime-url.ts.

/** PCM16 mono sample rate of `audio/pcm`. */
export const REALTIME_SAMPLE_RATE = 24000;
