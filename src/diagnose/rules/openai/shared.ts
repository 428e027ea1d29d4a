import { errorOf, type Timeline } from '../../timeline.js';
import type { Finding, OpenAIEvent, TraceEvent } from '../../types.js';
import { report } from '../kit.js';
import { OPENAI, type ApiErrorData, type FailedResponseData } from './codes.js';

/** A Realtime API event of any type. */
export type OE = OpenAIEvent;

/** The codes an API error code (in an error event or a failed response) is explained by. */
export type ApiCode =
  | 'invalidApiKey'
  | 'betaShapeDisabled'
  | 'invalidModel'
  | 'modelNotFound'
  | 'quotaExceeded'
  | 'rateLimited'
  | 'sessionExpired'
  | 'activeResponseConflict'
  | 'truncateRejected'
  | 'temperatureOutOfRange';

/** Error codes of the Realtime API → the finding that explains them. */
const ERROR_CODES: Readonly<Record<string, ApiCode>> = {
  invalid_api_key: 'invalidApiKey',
  beta_api_shape_disabled: 'betaShapeDisabled',
  invalid_model: 'invalidModel',
  missing_model: 'invalidModel',
  model_not_found: 'modelNotFound',
  access_not_enabled: 'modelNotFound',
  insufficient_quota: 'quotaExceeded',
  rate_limit_exceeded: 'rateLimited',
  inference_rate_limit_exceeded: 'rateLimited',
  session_expired: 'sessionExpired',
  conversation_already_has_active_response: 'activeResponseConflict',
  unsupported_content_type: 'truncateRejected',
};

/** The findings an API error code maps to (declared by every rule that reports through `reportApi`). */
export const API_ERROR_FINDINGS = [
  OPENAI.invalidApiKey,
  OPENAI.betaShapeDisabled,
  OPENAI.invalidModel,
  OPENAI.modelNotFound,
  OPENAI.quotaExceeded,
  OPENAI.rateLimited,
  OPENAI.sessionExpired,
  OPENAI.activeResponseConflict,
  OPENAI.truncateRejected,
] as const;

export const apiCodeFor = (errorCode: string): ApiCode | undefined => (Object.hasOwn(ERROR_CODES, errorCode) ? ERROR_CODES[errorCode] : undefined);

/**
 * The API error code a logged error's text carries: livekit-agents' and agents-js' "response failed with error
 * type: insufficient_quota", RealtimeError's "[insufficient_quota]", a repr's code='…' (the record of an
 * unrecoverable error at INFO, where no `error` event or response.done is logged).
 */
export function apiErrorCodeInText(text: string): { errorCode: string; code: ApiCode } | undefined {
  for (const re of [/error type: ([a-z_]+)/g, /\[([a-z_]+)\]/g, /\bcode[=:]\s*['"]([a-z_]+)['"]/g]) {
    for (const m of text.matchAll(re)) {
      const code = apiCodeFor(m[1] ?? '');
      if (code) return { errorCode: m[1] ?? '', code };
    }
  }
  return undefined;
}

function truncateError(e: OE): boolean {
  const err = errorOf(e);
  const msg = err?.message ?? '';
  // audio_end_ms of the wrong type, below 0 or absent: the API names the param (the truncate's own field)
  const endParam = err?.param === 'audio_end_ms' && /^(invalid_type|integer_below_min_value|missing_required_parameter)$/.test(err.code ?? '');
  return endParam || err?.code === 'unsupported_content_type' || msg.includes('can be truncated') || /already shorter than/.test(msg);
}

/** The code that explains an `error` event, if any. */
export function apiCodeOfError(e: OE): ApiCode | undefined {
  const err = errorOf(e);
  if (!err) return undefined;
  if (truncateError(e)) return 'truncateRejected';
  if (err.param === 'session.temperature' && /decimal_(below_min|above_max)_value/.test(err.code ?? '')) return 'temperatureOutOfRange';
  return err.code ? apiCodeFor(err.code) : undefined;
}

/** The finding for an API error or failed response that needs nothing beyond the error itself. */
export function reportApi(code: ApiCode, data: ApiErrorData | FailedResponseData, evidence: readonly TraceEvent[]): Finding {
  switch (code) {
    case 'invalidApiKey':
      return report(OPENAI.invalidApiKey, data, evidence);
    case 'betaShapeDisabled':
      return report(OPENAI.betaShapeDisabled, data, evidence);
    case 'invalidModel':
      return report(OPENAI.invalidModel, data, evidence);
    case 'modelNotFound':
      return report(OPENAI.modelNotFound, data, evidence);
    case 'quotaExceeded':
      return report(OPENAI.quotaExceeded, data, evidence);
    case 'rateLimited':
      return report(OPENAI.rateLimited, data, evidence);
    case 'sessionExpired':
      return report(OPENAI.sessionExpired, data, evidence);
    case 'activeResponseConflict':
      return report(OPENAI.activeResponseConflict, data, evidence);
    case 'truncateRejected':
      return report(OPENAI.truncateRejected, data, evidence);
    case 'temperatureOutOfRange':
      return report(OPENAI.temperatureOutOfRange, data, evidence);
  }
}

/** The client event an error answers (error.event_id is the client's event id). */
export function answeredEvent(t: Timeline, e: OE): OE | undefined {
  const id = errorOf(e)?.event_id;
  if (!id) return undefined;
  return t.openai(undefined, 'client').find((c) => c.data.event.event_id === id && c.t <= e.t);
}

export const itemIdOf = (e: OE): string | undefined => {
  const item = e.data.event['item'];
  if (!item || typeof item !== 'object' || !('id' in item)) return undefined;
  return typeof item.id === 'string' ? item.id : undefined;
};
