import {
  atLeast,
  below,
  BETA_HEADER,
  ERROR_CORRELATION,
  FATAL_ERRORS,
  GENERATE_REPLY,
  JS_PLUGIN_PIN,
  JS_PLUGIN_STALE_LATEST,
  MULTI_MESSAGE,
  PROACTIVE_RECONNECT_PY,
  TRUNCATE_REPLAYED,
  TRUNCATE_NULL_END,
  TRUNCATE_ZERO,
} from '../../../facts/versions.js';
import { sec } from '../../../format/index.js';
import { defineCode } from '../kit.js';

const GR = GENERATE_REPLY;
const TIMEOUT_S = `${GR.timeoutMs / 1000} s`;
const OLD_TIMEOUT_S = `${GR.oldTimeoutMs / 1000} s`;

const TRUNCATE_FIX = `Upgrade: livekit-agents ${atLeast(TRUNCATE_ZERO.pyFixed)} (Python) or @livekit/agents-plugin-openai ${atLeast(TRUNCATE_ZERO.jsFixed)} (Node) skip the truncate when nothing was played (they delete the item instead).`;

// ── data shared by several codes ────────────────────────────────────────────────────────────

/** The body of a Realtime `error` event, as far as a finding tells it. */
export interface ApiErrorInfo {
  code?: string | null | undefined;
  type?: string | undefined;
  message?: string | undefined;
}

/** An `error` event the API sent (and the close that followed it, if the server closed). */
export interface ApiErrorData {
  via: 'error';
  error: ApiErrorInfo;
  /** The server's close code when it closed the socket right after. */
  closedWith?: string;
}

/** A response.done with status failed. */
export interface FailedResponseData {
  via: 'response';
  responseId: string;
  errorCode: string;
  message?: string | undefined;
}

/** `code: message` of an error, as every finding quotes it. */
export const errorText = (e: ApiErrorInfo): string => `${e.code ?? e.type ?? 'error'}: ${e.message ?? ''}`.trim();
const closeNote = (d: ApiErrorData): string => (d.closedWith !== undefined ? ` The server then closed the socket with ${d.closedWith}.` : '');
const failedText = (d: FailedResponseData): string => `Response ${d.responseId} failed: ${d.errorCode}${d.message ? ` — ${d.message}` : ''}`;

/** The detail of a finding that only reports an API error or a failed response. */
function apiDetail(d: ApiErrorData | FailedResponseData): string {
  return d.via === 'error' ? `${errorText(d.error)}${closeNote(d)}` : failedText(d);
}
type ApiData = ApiErrorData | FailedResponseData;

// ── per-code data ───────────────────────────────────────────────────────────────────────────

export interface ConnectFailedData {
  code: string;
  message: string;
}
export interface UpgradeRejectedData {
  status: number;
  statusMessage: string;
  body: string;
  /** Why the log alone cannot say it was the Realtime socket (read from a crash block), if so. */
  unconfirmed?: string;
}
export type InvalidApiKeyData = { via: 'upgrade'; body: string; unconfirmed?: string } | ApiData;
export type RateLimitedData = { via: 'upgrade' } | ApiData;
export type SessionExpiredData = { via: 'close'; reason: string } | ApiData;
export type ModelNotFoundData = { via: 'models'; model: string; status: string } | ApiData;
export type TemperatureData = { via: 'update'; temperature: number } | ApiData;

/** The reply a dropped connection cut off. */
export interface LostReply {
  responseId: string;
  createdBeforeMs: number;
  audioDeltas: number;
  words: string;
}
export type ConnectionClosedData =
  | { via: 'close'; code: number; reason: string }
  | { via: 'reconnect'; line: string; afterMs: number; lost?: LostReply }
  /** An agent log that shows the close and no reconnect after it (livekit-plugins-openai 0.x never reconnected). */
  | { via: 'log'; line: string }
  /** An INFO log: the close and the agent's "connection failed, retrying" line, without the Realtime events that would show the new session. */
  | { via: 'retry'; line: string };

export interface StepTimeoutData {
  step: string;
  boundMs: number;
}

/** Why a truncate was rejected, as far as the events tell. */
export type TruncateWhy =
  | { kind: 'past-end'; itemId: string; endMs: number }
  | { kind: 'zero'; itemId: string }
  /** audio_end_ms null (a NaN serialised by JSON.stringify) or not a number: `got` is what the API says it got. */
  | { kind: 'null-end'; itemId: string; got: string }
  | { kind: 'replayed'; itemId: string; endMs: number; sessionAt: string; replayedType: string; replayedBeforeMs: number }
  | { kind: 'self-created'; itemId: string; endMs: number }
  | { kind: 'plain'; itemId: string; endMs: number };
export type TruncateRejectedData = (ApiErrorData & { truncate?: TruncateWhy }) | FailedResponseData;

export type ActiveResponseConflictData = (ApiErrorData & { rejectedId?: string }) | FailedResponseData;

export interface SessionUpdateRejectedData {
  error: ApiErrorInfo;
  updateId: string;
  /** The session field the error names, when the session.update itself is not in the trace. */
  param?: string;
}
export type GenerateReplyTimeoutRiskData = { via: 'late'; ms: number; old: boolean } | { via: 'none'; boundMs: number };
export interface MetadataNotEchoedData {
  clientEventId: string;
  /** The metadata that came back, as JSON. */
  got: string;
}
export interface ResponseCancelledData {
  responseId: string;
  reason: string;
  /** turn_detected: how long before the done the speech started. */
  speechBeforeMs?: number;
  /** client_cancelled: how long before the done the client sent response.cancel. */
  cancelBeforeMs?: number;
}
export interface ResponseIncompleteData {
  responseId: string;
  reason?: string | undefined;
}
export interface NoAudioOutputData {
  responseId: string;
  parts: Array<string | undefined>;
}
export interface CheckNotReproducedData {
  check: string;
  expected: string;
}

function lostText(l: LostReply | undefined): string {
  if (!l) return '';
  const { audioDeltas: deltas, words } = l;
  const got =
    deltas || words
      ? ` after ${deltas ? `${deltas} audio delta(s)` : ''}${deltas && words ? ' and ' : ''}${words ? `the words "${words.trim()}"` : ''}`
      : ' before any of its audio';
  return `\nThe reply in progress was lost: ${l.responseId} (created ${Math.round(l.createdBeforeMs)} ms before the drop) was cut off${got}, and no response.done ever came for it.`;
}

function truncateText(w: TruncateWhy | undefined): string {
  switch (w?.kind) {
    case undefined:
      return '';
    case 'past-end':
      return `\nThe agent truncated ${w.itemId} at ${w.endMs} ms, past the audio the model generated for it.`;
    case 'zero':
      return `\nThe agent truncated ${w.itemId} at audio_end_ms=0: the user barged in after the reply declared audio but before its first frame played.`;
    case 'replayed':
      return (
        `\nThe agent truncated ${w.itemId} at ${w.endMs} ms while it was still playing it, but the connection that generated that audio had closed; ` +
        `the agent reconnected (session.created ${w.sessionAt}) and replayed the conversation, so ${w.itemId} came back as a text item (${w.replayedType} ${Math.round(w.replayedBeforeMs)} ms before the truncate). ` +
        'Only audio the model generated in the current connection can be truncated. The session goes on, but the model keeps the full text of a reply the user heard only in part.'
      );
    case 'null-end':
      return (
        `\nThe agent sent conversation.item.truncate${w.itemId ? ` for ${w.itemId}` : ''} with audio_end_ms ${w.got}: a playback position that was not a number (NaN, which JSON writes as null). ` +
        `@livekit/agents before ${TRUNCATE_NULL_END.jsFixed} does this on every interruption with a DataStream avatar (Anam, Bey, D-ID, LemonSlice, Runway, Tavus, Trugen): it reads the avatar's lk.playback_finished payload as playbackPosition while avatars send playback_position. The interrupted turn then cannot recover.`
      );
    case 'self-created':
      return `\nThe agent truncated ${w.itemId} at ${w.endMs} ms, but it created that item itself (conversation.item.create) as a text item; the model never generated audio for it.`;
    case 'plain':
      return `\nThe agent truncated ${w.itemId} at ${w.endMs} ms.`;
  }
}

function truncateFix(w: TruncateWhy | undefined): string | undefined {
  switch (w?.kind) {
    case 'past-end':
      return 'The reported playback position is wrong (an avatar or custom audio output reporting more than was played): clamp audio_end_ms to the generated audio, and report it with the agent versions.';
    case 'replayed':
      return `Nothing in the agent code causes this: livekit-agents (Python, still in ${TRUNCATE_REPLAYED.pyStillIn}) truncates items replayed after a reconnect, while @livekit/agents-plugin-openai ${atLeast(TRUNCATE_REPLAYED.jsSkipsFrom)} (Node) skips them. Avoid reconnects during speech: fix what closed the session (see openai/connection-closed; for the 60-minute limit, end or restart sessions between turns).`;
    case 'null-end':
      return `Upgrade @livekit/agents and @livekit/agents-plugin-openai to ${atLeast(TRUNCATE_NULL_END.jsFixed)} (${TRUNCATE_NULL_END.ref}: the avatar payload is read in snake_case and a non-finite position is clamped to 0). A custom audio output must report a finite playback position in seconds.`;
    case 'self-created':
      return 'Truncate only assistant items the model generated with audio in this connection (agents-js keeps that set, audioCapableItemIds; livekit-agents does not), or send the shortened text instead.';
    default:
      return undefined;
  }
}

const RECONNECT_FIX =
  "Find what closed the socket — the agent log does not show the close code: a proxy or gateway idle timeout, the network, or the server's session limit (60 min; livekit-agents recycles its session earlier, max_session_duration, 20 min by default). `lkdiag probe-openai` from the agent host shows close codes.";

const TIMES_OUT = `a LiveKit agent's generate_reply would time out — ${TIMEOUT_S} since livekit-agents ${GR.pySince}, ${OLD_TIMEOUT_S} before.`;

/** The Realtime API findings. docs/findings.md is generated from these entries. */
/** The same fatal API error over and over: the agent reconnecting on an error no retry can fix. */
export interface FatalErrorLoopData {
  /** The API error code (invalid_api_key, insufficient_quota, …). */
  errorCode: string;
  count: number;
  spanMs: number;
  /** Connection attempts the log shows between them (connection errors, session.created), when it shows any. */
  reconnects: number;
}

/** A chat-context item the API refused (conversation.item.create answered with an error). */
export interface ChatItemRejectedData {
  error: ApiErrorInfo;
  /** The client event id the error names (livekit-agents: `chat_ctx_create_…`). */
  eventId?: string;
  param?: string;
  count: number;
}
/** Text answers in an audio session, as the plugin logged them, and its recovery (1.0.14–1.1). */
export interface TextOnlyData {
  count: number;
  recovery?: 'trying' | 'failed' | 'recovered' | 'cancelled';
  retries?: number;
}

export const OPENAI = {
  connectFailed: defineCode<ConnectFailedData>({
    code: 'openai/connect-failed',
    severity: 'error',
    exit: 3,
    title: 'Could not connect to the Realtime API',
    cause: 'DNS, TCP or TLS failed before any HTTP answer: wrong host, no network route, a proxy, or a TLS interception.',
    evidence: 'probe.connect.error with the socket error code (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, a TLS error).',
    fix: 'Check OPENAI_BASE_URL (or --base-url), DNS and egress from this host; an agent on the same host fails the same way ("connection failed, retrying").',
    detail: (d) => `${d.code}: ${d.message}`,
  }),
  upgradeRejected: defineCode<UpgradeRejectedData>({
    code: 'openai/upgrade-rejected',
    severity: 'error',
    exit: 3,
    title: 'The WebSocket upgrade was refused with an HTTP error',
    cause:
      '403: the key or project has no Realtime access (or a gateway refused it); 404: wrong path, Azure deployment or proxy route; 429: rate limited; 5xx: the API or a proxy is failing. LiveKit Python retries 3 times then fails "connection failed after 3 attempts"; agents-js throws an uncaught "Unexpected server response".',
    evidence: 'probe.upgrade.response with the HTTP status and body.',
    fix: 'Read the status: 403 → enable Realtime for the project/key; 404 → fix the base URL path (it must end in /realtime or be /v1); 429/5xx → back off and retry later.',
    detail: (d) =>
      `HTTP ${d.status}${d.statusMessage ? ` ${d.statusMessage}` : ''} on the WebSocket upgrade.${d.body ? ` Body: ${d.body}` : ''}${d.unconfirmed ? ` ${d.unconfirmed}` : ''}`,
  }),
  invalidApiKey: defineCode<InvalidApiKeyData>({
    code: 'openai/invalid-api-key',
    severity: 'error',
    exit: 3,
    title: 'The API key was rejected',
    cause: `A bad or revoked key. The API answers 401 on the upgrade, or accepts the upgrade then sends error invalid_api_key and closes 3000. livekit-agents ${below(FATAL_ERRORS.pyFixed)} and agents-js ${below(FATAL_ERRORS.jsFixed)} reconnect forever instead of failing.`,
    evidence: 'HTTP 401 on the upgrade, or an error event with code invalid_api_key (and close 3000).',
    fix: 'Set a valid OPENAI_API_KEY for the agent (check which .env the agent actually loads).',
    detail: (d) =>
      d.via === 'upgrade'
        ? `The upgrade was refused with HTTP 401 (unauthorized).${d.body ? ` Body: ${d.body}` : ''}${d.unconfirmed ? ` ${d.unconfirmed}` : ''}`
        : apiDetail(d),
  }),
  betaShapeDisabled: defineCode<ApiData>({
    code: 'openai/beta-shape-disabled',
    severity: 'error',
    title: 'The retired beta Realtime interface was used',
    cause: `The client sent the OpenAI-Beta: realtime=v1 header; OpenAI retired the beta shape in 2026 and answers beta_api_shape_disabled, then closes 4000. livekit-plugins-openai ${below(BETA_HEADER.pyFixed)}, RealtimeModelBeta, and @livekit/agents-plugin-openai ${below(BETA_HEADER.jsFixed)} (and the npm "latest" ${JS_PLUGIN_STALE_LATEST} tag) still send it.`,
    evidence: 'error beta_api_shape_disabled and close 4000.',
    fix: `Upgrade livekit-plugins-openai to ${atLeast(BETA_HEADER.pyFixed)} (agents-js plugin ${atLeast(BETA_HEADER.jsFixed)}, pinned ${JS_PLUGIN_PIN} — not the ${JS_PLUGIN_STALE_LATEST} tag) and use a GA model such as gpt-realtime.`,
    detail: apiDetail,
  }),
  invalidModel: defineCode<ApiData>({
    code: 'openai/invalid-model',
    severity: 'error',
    title: 'The model name is missing or not a Realtime model',
    cause: 'A typo in the model, a non-realtime model, or no ?model= in the URL: the API sends invalid_model or missing_model and closes 4000.',
    evidence: 'error invalid_model / missing_model and close 4000.',
    fix: 'Use a Realtime model name such as gpt-realtime (RealtimeModel(model=...)).',
    detail: apiDetail,
  }),
  modelNotFound: defineCode<ModelNotFoundData>({
    code: 'openai/model-not-found',
    severity: 'error',
    title: 'No access to the model',
    cause:
      'The model exists but this key/project cannot use it: the response fails with model_not_found; or the organization has no Realtime API access at all (access_not_enabled, early Realtime rollout).',
    evidence:
      'response.done status failed with status_details.error.code model_not_found, an error event model_not_found / access_not_enabled (or the model missing from the REST model list).',
    fix: 'Grant the project access to the model in the OpenAI dashboard, or choose a model it has.',
    detail: (d) => (d.via === 'models' ? `The REST model list has no ${d.model} for this key (HTTP ${d.status}).` : apiDetail(d)),
  }),
  quotaExceeded: defineCode<ApiData>({
    code: 'openai/quota-exceeded',
    severity: 'error',
    title: 'The account is out of quota',
    cause: `insufficient_quota: billing limit reached. It is a fatal error for livekit-agents ${atLeast(FATAL_ERRORS.pyFixed)}; older versions reconnect in a loop.`,
    evidence: 'error or failed response.done with code insufficient_quota.',
    fix: 'Add credit or raise the billing limit for the project that owns the key.',
    detail: apiDetail,
  }),
  rateLimited: defineCode<RateLimitedData>({
    code: 'openai/rate-limited',
    severity: 'error',
    title: 'Rate limited',
    cause: 'Too many requests or tokens: response.done fails with rate_limit_exceeded, or the upgrade answers 429.',
    evidence: 'failed response.done with rate_limit_exceeded / inference_rate_limit_exceeded, or HTTP 429 on the upgrade.',
    fix: 'Back off and retry; check the limits in rate_limits.updated and your tier; spread concurrent sessions.',
    detail: (d) => (d.via === 'upgrade' ? 'The upgrade answered HTTP 429: too many connections or requests.' : apiDetail(d)),
  }),
  sessionExpired: defineCode<SessionExpiredData>({
    code: 'openai/session-expired',
    severity: 'error',
    title: 'The Realtime session expired',
    cause:
      'GA sessions end after 60 minutes (close 1001); beta after 15/30 minutes. LiveKit recycles its session at 20 minutes, so an agent seeing this runs an old version or a custom client.',
    evidence: 'close 1001 "Your session hit the maximum duration…" or error session_expired.',
    fix: `Use livekit-agents ${atLeast(PROACTIVE_RECONNECT_PY)} (it reconnects proactively before expiry) or reconnect before the limit in your own client.`,
    detail: (d) => (d.via === 'close' ? `The server closed the session with 1001: ${d.reason}` : apiDetail(d)),
  }),
  fatalErrorLoop: defineCode<FatalErrorLoopData>({
    code: 'openai/fatal-error-loop',
    severity: 'error',
    title: 'The agent reconnects forever on an error no retry can fix',
    cause: `livekit-agents ${below(FATAL_ERRORS.pyFixed)} and @livekit/agents-plugin-openai ${below(FATAL_ERRORS.jsFixed)} treat every Realtime error as recoverable: on invalid_api_key or insufficient_quota they reconnect at once, get the same error, and repeat until the job ends — the user hears nothing, the log fills (hundreds of records a minute) and every attempt is a new connection. Newer versions fail the session on these codes (an unrecoverable error the application can handle).`,
    evidence:
      'the same fatal error code (invalid_api_key, insufficient_quota, account_deactivated, billing_hard_limit_reached) in three or more error events, with reconnects between them and no unrecoverable-error record.',
    fix: `Fix the cause the error names (the key, the quota: see the finding for the code), and upgrade to livekit-agents ${atLeast(FATAL_ERRORS.pyFixed)} (Python) or @livekit/agents + plugin-openai ${atLeast(FATAL_ERRORS.jsFixed)} (Node), which stop on these errors and close the session with the error, so the application can end the call or fall back instead of looping.`,
    detail: (d) =>
      `${d.errorCode} came back ${d.count} times in ${sec(d.spanMs)}${d.reconnects > 0 ? `, with ${d.reconnects} reconnect(s) between them` : ''}, and the agent never gave up: it retried an error that cannot succeed on retry.`,
    // a loop longer than one rule window of trace log is one finding (the first window's counts)
    sameAs: (d) => d.errorCode,
  }),
  sessionUpdateRejected: defineCode<SessionUpdateRejectedData>({
    code: 'openai/session-update-rejected',
    severity: 'error',
    title: 'session.update was rejected — the session runs without your settings',
    cause:
      'An unknown or beta-only field (temperature, top-level voice, modalities) or a missing session.type. The whole update is ignored: the model runs without your instructions, voice or tools.',
    evidence:
      'an error whose error.event_id is the session.update event id (unknown_parameter, missing_required_parameter), or — when the log has no session.update — whose error.param names a session field (session.…).',
    fix: 'Send the GA shape: session.type "realtime", audio.input/output nested formats, no temperature. In LiveKit, drop temperature= and beta options.',
    detail: (d) =>
      `${errorText(d.error)}\n${d.param !== undefined ? `The trace has no session.update, but ${d.param} is a session field, which only session.update sets: the update ${d.updateId}` : `The update ${d.updateId}`} was ignored as a whole: instructions, voice, turn detection and tools in it did not apply.`,
  }),
  temperatureOutOfRange: defineCode<TemperatureData>({
    code: 'openai/temperature-out-of-range',
    severity: 'error',
    title: 'temperature is outside [0.6, 1.2]',
    cause:
      'The beta Realtime interface only accepts temperature in [0.6, 1.2] (decimal_below_min_value / decimal_above_max_value); GA has no temperature at all.',
    evidence: 'a session.update carrying temperature outside the range, or the API error naming session.temperature.',
    fix: 'Remove temperature (GA ignores it; LiveKit GA never sends it) or keep it within 0.6–1.2 on beta.',
    detail: (d) => (d.via === 'update' ? `session.update sets temperature ${d.temperature}; the beta interface accepts 0.6–1.2.` : apiDetail(d)),
  }),
  generateReplyTimeoutRisk: defineCode<GenerateReplyTimeoutRiskData>({
    code: 'openai/generate-reply-timeout-risk',
    severity: 'error',
    title: 'response.created came too late for generate_reply',
    cause: `LiveKit fails generate_reply when response.created has not arrived within ${TIMEOUT_S} (livekit-agents ${atLeast(GR.pySince)}, agents-js plugin ${atLeast(GR.jsSince)}), ${OLD_TIMEOUT_S} in livekit-agents ≤ ${GR.pyOldUpTo}. A slow API, region or proxy makes every reply time out.`,
    evidence: 'the time from response.create to response.created.',
    fix: 'If this probe is slow too, the API/network path is slow: try another region/egress, check proxies, retry later. If the probe is fast but the agent times out, look at the agent host (blocked event loop, CPU).',
    detail: (d) =>
      d.via === 'none'
        ? `No response.created within ${sec(d.boundMs)}: ${TIMES_OUT}`
        : d.old
          ? `response.created took ${sec(d.ms)}: within today's ${TIMEOUT_S}, but livekit-agents ≤ ${GR.pyOldUpTo} (${OLD_TIMEOUT_S}) would time out, and there is little headroom.`
          : `response.created took ${sec(d.ms)}: ${TIMES_OUT}`,
  }),
  metadataNotEchoed: defineCode<MetadataNotEchoedData>({
    code: 'openai/metadata-not-echoed',
    severity: 'error',
    title: 'response.metadata was not echoed',
    cause: `LiveKit matches a pending generate_reply to response.created by response.metadata.client_event_id. A gateway, proxy or simulator that drops it makes every generate_reply time out after ${TIMEOUT_S} even though a reply plays (as a second, unrequested speech).`,
    evidence: 'a response.create with metadata.client_event_id followed by response.created with metadata null or different.',
    fix: 'Make the proxy/gateway pass response.metadata through unchanged, or connect the agent to the API directly.',
    detail: (d) =>
      `response.create sent metadata.client_event_id=${d.clientEventId}; response.created came back with metadata ${d.got}. LiveKit cannot match it, so generate_reply times out after ${TIMEOUT_S} while the reply still plays.`,
  }),
  activeResponseConflict: defineCode<ActiveResponseConflictData>({
    code: 'openai/active-response-conflict',
    severity: 'error',
    title: 'response.create collided with a response already in progress',
    cause: `The API allows one active response per conversation. Typically server VAD auto-created a response (create_response=true) while the agent called generate_reply. livekit-agents ${ERROR_CORRELATION.pyGap} do not match the error to the request, so it surfaces as a generic "generate_reply timed out" ${TIMEOUT_S} later.`,
    evidence: 'error conversation_already_has_active_response whose error.event_id is the rejected response.create.',
    fix: `Upgrade to livekit-agents ${atLeast(ERROR_CORRELATION.pyFixed)} (fails fast with the error code); avoid calling generate_reply while server VAD responds (create_response=False, or wait for the current reply).`,
    detail: (d) =>
      d.via === 'response'
        ? failedText(d)
        : `${errorText(d.error)}\nThe rejected response.create was ${d.rejectedId ?? '(no event id)'}. An agent on livekit-agents ${ERROR_CORRELATION.pyGapOr} would log only "generate_reply timed out" ${TIMEOUT_S} later.`,
  }),
  responseCancelled: defineCode<ResponseCancelledData>({
    code: 'openai/response-cancelled',
    severity: 'error',
    title: 'The response was cancelled',
    cause:
      'turn_detected: server VAD with interrupt_response=true heard speech (barge-in, echo, room noise); client_cancelled: the client sent response.cancel (LiveKit does on user speech, interrupt(), an interrupted pending reply, or a late-response discard).',
    evidence: 'response.done status cancelled with status_details.reason.',
    fix: 'turn_detected: use headphones/echo cancellation, raise the VAD threshold, or set interrupt_response=False; client_cancelled: find the response.cancel in the agent log (LK_OPENAI_DEBUG=1).',
    detail: (d) => {
      const why =
        d.reason === 'turn_detected'
          ? `server VAD heard speech${d.speechBeforeMs !== undefined ? ` (speech_started ${Math.round(d.speechBeforeMs)} ms before)` : ''} while interrupt_response was on`
          : d.reason === 'client_cancelled'
            ? `the client sent response.cancel${d.cancelBeforeMs !== undefined ? ` ${Math.round(d.cancelBeforeMs)} ms before` : ''}`
            : `reason ${d.reason}`;
      return `Response ${d.responseId} was cancelled (${d.reason}): ${why}.`;
    },
  }),
  responseIncomplete: defineCode<ResponseIncompleteData>({
    code: 'openai/response-incomplete',
    severity: 'warning',
    title: 'The response ended incomplete',
    cause: 'max_output_tokens reached or the content filter stopped it.',
    evidence: 'response.done status incomplete with status_details.reason.',
    fix: 'Raise max_output_tokens (or leave it "inf"); review content if the reason is content_filter.',
    detail: (d) => `Response ${d.responseId} ended incomplete (${d.reason ?? 'unknown reason'}).`,
  }),
  responseFailed: defineCode<FailedResponseData>({
    code: 'openai/response-failed',
    severity: 'error',
    title: 'The response failed',
    cause: 'The API failed the response (server_error or another code); LiveKit raises "response failed with error type: …", fatal for quota/auth codes.',
    evidence: 'response.done status failed with status_details.error.',
    fix: 'Read the error code; retry on server_error; check status.openai.com.',
    detail: failedText,
  }),
  noAudioOutput: defineCode<NoAudioOutputData>({
    code: 'openai/no-audio-output',
    severity: 'error',
    title: 'The response carried no audio',
    cause:
      'The model answered in text although audio was requested (LiveKit warns "Text response received from OpenAI Realtime API in audio modality.", often after text-only history or a reconnect), output_modalities is ["text"], or the response ended before the first audio delta.',
    evidence: 'response.done with no response.output_audio.delta for that response; text content parts.',
    fix: 'Request output_modalities ["audio"] (LiveKit modalities=["audio"]); after reconnects keep audio history; check the response status.',
    detail: (d) => `Response ${d.responseId} completed without a single audio delta${d.parts.length ? ` (content: ${d.parts.join(', ')})` : ''}.`,
  }),
  chatItemRejected: defineCode<ChatItemRejectedData>({
    code: 'openai/chat-item-rejected',
    severity: 'error',
    title: 'The Realtime API rejected a chat-context item the agent sent',
    cause:
      'LiveKit syncs the agent\'s chat context to the Realtime session as conversation.item.create events (event ids chat_ctx_create_…, on session start, every agent handoff and update_chat_ctx). The API refused one: an item id outside its pattern ^[a-zA-Z0-9_-]+$, a content type or field the model does not take, a function_call_output without its call. The item is missing from the model\'s conversation, and livekit-agents waits 5 s for it before raising "update_chat_ctx timed out.".',
    evidence: 'an error event whose event_id is a conversation.item.create (chat_ctx_create_…) or whose param is item.…',
    fix: 'Read the param the error names: give items ids of letters, digits, _ and - only, drop content the model cannot take (images on a model without image input, empty messages), and keep function calls paired with their outputs when you build or edit chat_ctx.',
    detail: (d) =>
      `${d.error.code ?? 'error'}${d.param ? ` on ${d.param}` : ''}: ${d.error.message ?? '(no message)'}${d.eventId ? ` (answering ${d.eventId})` : ''}${d.count > 1 ? `; ${d.count} items rejected` : ''}.`,
  }),
  onlyFirstMessagePlayed: defineCode<{ count: number }>({
    code: 'openai/only-first-message-played',
    severity: 'error',
    title: 'The model answered in several messages and the agent played only the first',
    cause: `Realtime-2 models (gpt-realtime-2, -2.1) may answer with more than one message item in one response — a short preamble ("One moment, let me check that."), then the answer. livekit-agents ${below(MULTI_MESSAGE.pyFixed)} and @livekit/agents ${below(MULTI_MESSAGE.jsFixed)} play the first message item and drop the rest (livekit/agents#5684): the user hears the preamble and never the answer.`,
    evidence: '"expected to receive only one message generation from the realtime API" (warning, livekit.agents) in the agent log, once per dropped message.',
    fix: `Upgrade to livekit-agents ${atLeast(MULTI_MESSAGE.pyFixed)} (Python) or @livekit/agents ${atLeast(MULTI_MESSAGE.jsFixed)} (Node), which play every message of a response; until then use a model that answers in one message (gpt-realtime, gpt-realtime-mini) or ask in the instructions for no preamble.`,
    detail: (d) =>
      `The agent logged "expected to receive only one message generation from the realtime API" ${d.count === 1 ? 'once' : `${d.count} times`}: ${d.count === 1 ? 'a reply' : 'replies'} of the model went unplayed after the first message.`,
  }),
  textOnlyResponse: defineCode<TextOnlyData>({
    code: 'openai/text-only-response',
    severity: 'warning',
    title: 'The model answered in text in an audio session',
    cause:
      'With text chat history synced to the session (a restored conversation, handoffs, text input) the Realtime model sometimes answers in text only: nothing is spoken for that turn. livekit-plugins-openai 1.0.14–1.1 tried to recover (deleting the text item and asking again, up to 5 times); from 1.2 it reports the error and leaves it.',
    evidence:
      '"received text-only response from realtime API" (1.0.x–1.1), "Text response received from OpenAI Realtime API in audio modality." (1.2+), "trying to / failed to recover from text-only response".',
    fix: 'Use modalities=["text"] with a TTS when the history is text; otherwise keep the history short or in audio, and give instructions that ask for spoken answers.',
    detail: (d) =>
      `The plugin logged ${d.count} text-only answer(s)${d.recovery === 'recovered' ? `; it recovered${d.retries ? ` after ${d.retries} retr${d.retries === 1 ? 'y' : 'ies'}` : ''}` : d.recovery === 'trying' ? '; it was trying to recover when the log ends' : ''}.`,
  }),
  textOnlyRecoveryFailed: defineCode<TextOnlyData>({
    code: 'openai/text-only-recovery-failed',
    severity: 'error',
    title: 'The plugin could not turn a text-only answer back into audio',
    cause:
      'livekit-plugins-openai 1.0.14–1.1 retried a text-only answer up to 5 times ("failed to recover from text-only response") or gave up because generate_reply had already timed out ("generate_reply timed out, cancel recovery"): the user heard nothing for that turn.',
    evidence: '"failed to recover from text-only response" (retried_times), "generate_reply timed out, cancel recovery".',
    fix: 'Upgrade livekit-agents (1.2+ no longer loops on it) and use modalities=["text"] with a TTS when the chat history is text.',
    detail: (d) =>
      d.recovery === 'cancelled'
        ? 'The recovery of a text-only answer was cancelled: generate_reply had timed out.'
        : `The plugin gave up recovering a text-only answer${d.retries ? ` after ${d.retries} retries` : ''}.`,
  }),
  truncateRejected: defineCode<TruncateRejectedData>({
    code: 'openai/truncate-rejected',
    severity: 'error',
    title: 'conversation.item.truncate was rejected',
    cause: `"Only model output audio messages can be truncated": a barge-in landed after the response declared audio but before the first frame played, so the agent truncated at audio_end_ms=0 (livekit-agents ${below(TRUNCATE_ZERO.pyFixed)}, agents-js plugin ${below(TRUNCATE_ZERO.jsFixed)}); or the agent truncated a reply it was still playing after a reconnect, when the item had come back as a replayed text item (livekit-agents, Python). "already shorter than": audio_end_ms past the generated audio. invalid_type on audio_end_ms: the agent sent null (a NaN playback position; agents-js DataStream avatars ${below(TRUNCATE_NULL_END.jsFixed)}).`,
    evidence:
      "a conversation.item.truncate followed by an error unsupported_content_type / invalid_value (or invalid_type on audio_end_ms, with the truncate's audio_end_ms null); for the reconnect case the new session.created and the item replayed (conversation.item.create / conversation.item.added with the same id) before the truncate.",
    fix: TRUNCATE_FIX,
    detail: (d) => (d.via === 'response' ? failedText(d) : `${errorText(d.error)}${truncateText(d.truncate)}${closeNote(d)}`),
    fixFor: (d) => (d.via === 'error' ? truncateFix(d.truncate) : undefined),
  }),
  stepTimeout: defineCode<StepTimeoutData>({
    code: 'openai/step-timeout',
    severity: 'error',
    exit: 4,
    title: 'A step did not happen within its bound',
    cause: 'The API (or the network path) did not answer in time.',
    evidence: 'probe.timeout naming the step and the bound.',
    fix: 'Retry with a larger --timeout to measure how slow it is; compare with another network; check status.openai.com.',
    detail: (d) => `${d.step} did not happen within ${sec(d.boundMs)}.`,
  }),
  connectionClosed: defineCode<ConnectionClosedData>({
    code: 'openai/connection-closed',
    severity: 'error',
    exit: 3,
    title: 'The API closed the connection unexpectedly',
    cause:
      'The server closed the socket with a code not explained by another finding. LiveKit reconnects ("connection closed unexpectedly") and replays the conversation as text items; reported as a warning when an agent log shows it (with the reconnect, or livekit-plugins-openai 0.x, which never reconnected).',
    evidence: 'probe.close by the server with its code and reason; in an agent log, log.openai.connection-error followed by a new openai.session.created.',
    fix: 'Read the close code/reason; retry; check status.openai.com.',
    detail: (d) =>
      d.via === 'close'
        ? `Closed by the server with ${d.code}${d.reason ? ` (${d.reason})` : ''}.`
        : d.via === 'log'
          ? `The agent logged "${d.line}" and no new Realtime session follows it in the log: the model stopped answering in that session.`
          : d.via === 'retry'
            ? `The agent logged "${d.line}" and "connection failed, retrying": it reconnects, replays the conversation as text items and discards a reply in progress. The log (INFO) does not show the Realtime events, so whether the new session came up is unconfirmed; the server's session limit (session_expired) is a likely cause.`
            : `The agent logged "${d.line}" and reconnected ${Math.round(d.afterMs)} ms later (new session.created). On a reconnect LiveKit replays the conversation as text items and discards a reply in progress; audio it already received keeps playing.${lostText(d.lost)}`,
    fixFor: (d) =>
      d.via === 'reconnect' || d.via === 'retry'
        ? RECONNECT_FIX
        : d.via === 'log'
          ? `${RECONNECT_FIX} livekit-plugins-openai 0.x did not reconnect at all: upgrade to livekit-agents 1.x.`
          : undefined,
  }),
  checkNotReproduced: defineCode<CheckNotReproducedData>({
    code: 'openai/check-not-reproduced',
    severity: 'warning',
    title: 'The reproduction did not show the expected failure',
    cause: 'The API behaved differently from what the --check expects (e.g. it accepted a second response.create, or VAD did not fire).',
    evidence: 'the events of the check run.',
    fix: 'Inspect the events with --json; the API or the endpoint (proxy, simulator) may have changed behaviour.',
    detail: (d) => `--check ${d.check} expected ${d.expected}, but the API did not show it.`,
  }),
};
