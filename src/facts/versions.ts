/**
 * Version facts: which livekit-agents / @livekit/agents (and client, server) version introduced or
 * fixed what. The one place these numbers live: the rules (src/diagnose/rules/**) and the doctor's
 * catalogue (src/doctor/catalogue.data.ts) both build their texts and ranges from here.
 *
 * Python plugins are released in lockstep with livekit-agents (one tag `livekit-agents@X` covers
 * both), so a Python fact names one version for both packages. Each fact's source (PR, commit, first
 * release tag) is given in the catalogue entry that uses it.
 */

/** Package names as users see them in lock files. */
export const PKG = {
  agentsPy: 'livekit-agents',
  pluginPy: 'livekit-plugins-openai',
  agentsJs: '@livekit/agents',
  pluginJs: '@livekit/agents-plugin-openai',
  jsClient: 'livekit-client',
  swift: 'client-sdk-swift',
  server: 'livekit-server',
} as const;

/** `≥ v` as the texts write it. */
export const atLeast = (v: string): string => `≥ ${v}`;
/** `< v` as the texts write it. */
export const below = (v: string): string => `< ${v}`;

/** The agents-js plugin line users should pin (not the npm `latest` tag, 2.0.0). */
export const JS_PLUGIN_PIN = '^1.9';
export const JS_PLUGIN_PIN_EXACT = '^1.9.0';
/** The npm dist-tag `latest` of @livekit/agents-plugin-openai: stale beta-era code. */
export const JS_PLUGIN_STALE_LATEST = '2.0.0';

/** generate_reply gives up when response.created has not arrived within this bound. */
export const GENERATE_REPLY = {
  /** livekit-agents ≥ 1.5 and the agents-js plugin ≥ 1.4.11. */
  timeoutMs: 10_000,
  /** livekit-agents ≤ 1.4.x. */
  oldTimeoutMs: 5_000,
  /** First livekit-agents minor with the 10 s bound, as the texts say it ("since livekit-agents 1.5"). */
  pySince: '1.5',
  pySinceFull: '1.5.0',
  /** The last livekit-agents line with the 5 s bound. */
  pyOldUpTo: '1.4.x',
  /** First agents-js plugin with a generateReply timeout at all (10 s). */
  jsSince: '1.4.11',
} as const;

/** A rejected response.create matched to the pending generate_reply (error.event_id). */
export const ERROR_CORRELATION = {
  /** livekit-agents versions that do not match the error to the request, as the texts say it. */
  pyGap: '≤ 1.5.7 and 1.6.0–1.6.11',
  pyGapOr: '≤ 1.5.7 or 1.6.0–1.6.11',
  pyGapRange: '>=1.0.0 <1.5.8 || >=1.6.0 <1.7.0',
  /** Errors were matched from this version… */
  pyCorrelatedFrom: '1.5.8',
  /** …until this one dropped it again. */
  pyRegressedIn: '1.6.0',
  /** Fixed for good (fails fast with the error code). */
  pyFixed: '1.7.0',
  /** The agents-js plugin fails the pending generateReply from this version. */
  jsFixed: '1.3.3',
} as const;

/** Barge-in before the first played frame: truncate at audio_end_ms=0, rejected by the API. */
export const TRUNCATE_ZERO = {
  pyFixed: '1.6.5',
  pyRange: '>=1.0.0 <1.6.5',
  jsFixed: '1.6.3',
} as const;

/**
 * A truncate whose audio_end_ms is not a finite number (NaN, which JSON.stringify writes as null): agents-js
 * DataStream avatars read the lk.playback_finished payload in camelCase while avatars send snake_case
 * (playback_position), so every interruption sent it; the API answers invalid_type. Fixed in @livekit/agents and
 * @livekit/agents-plugin-openai 1.4.7 (agents-js #1795, e64698c: the payload normalised, a non-finite position
 * clamped to 0 in agent_activity.ts and realtime_model.ts).
 */
export const TRUNCATE_NULL_END = {
  jsFixed: '1.4.7',
  ref: 'livekit/agents-js#1795',
} as const;

/** Truncating an item replayed as text after a reconnect. */
export const TRUNCATE_REPLAYED = {
  /** livekit-agents still does it in this version (the newest checked). */
  pyStillIn: '1.8.9',
  /** The agents-js plugin skips replayed items from this version. */
  jsSkipsFrom: '1.0.36',
} as const;

/**
 * Several message items in one response (gpt-realtime-2 preambles): older agents play the first and
 * drop the rest with "expected to receive only one message generation from the realtime API".
 * livekit/agents#5684, fixed by #5763 (first in livekit-agents@1.5.12, `git tag --contains 187433ce2`);
 * agents-js #1555 (first in @livekit/agents@1.4.5, `git tag --contains 181c868d7`).
 */
export const MULTI_MESSAGE = {
  pyFixed: '1.5.12',
  jsFixed: '1.4.5',
} as const;

/** Fatal Realtime errors (invalid key, no quota) fail the session instead of reconnecting forever. */
export const FATAL_ERRORS = {
  pyFixed: '1.6.6',
  jsFixed: '1.6.0',
} as const;

/** The retired beta Realtime interface (OpenAI-Beta: realtime=v1). */
export const BETA_HEADER = {
  pyFixed: '1.2.9',
  jsFixed: '1.0.34',
} as const;

/** livekit-agents reconnects its Realtime session before expiry from this version. */
export const PROACTIVE_RECONNECT_PY = '1.5';

/** Pre-connect audio in the Python agent. */
export const PRECONNECT_PY = {
  /** The byte-stream handler. */
  handler: '1.0.21',
  /** Opus decoding. */
  opus: '1.0.22',
  /** Any `codecs=opus` mime type, i.e. what current JS clients send. */
  webm: '1.2.2',
} as const;

/** livekit-client labels its pre-connect buffer audio/webm;codecs=opus from this version. */
export const JS_CLIENT_WEBM = '2.15.4';

/**
 * livekit-client starts the pre-connect recorder (and so sets TF_PRECONNECT_BUFFER) from
 * `{...publishDefaults, ...captureOptions}.preConnectBuffer` from this version (744d0d5e, #1598,
 * LocalParticipant.setTrackEnabled); 2.15.3 read `publishOptions.preConnectBuffer` (the 3rd argument of
 * setMicrophoneEnabled) only. Still so in the newest release checked.
 */
export const JS_PUBLISH_OPTIONS_IGNORED = { from: '2.15.4', checkedUpTo: '2.23.0' } as const;

/**
 * livekit-client writes no totalLength for a byte stream of unknown size from this version (93b49d24, #1845,
 * OutgoingDataStreamManager); before, `totalLength: info.size ?? 0`, which livekit rtc 1.1.21's reader takes as a
 * 0-byte limit ("read length exceeded total length specified in stream header"): the agent cannot read the buffer.
 */
export const JS_CLIENT_TOTAL_LENGTH = '2.18.0';

/**
 * client-sdk-android has pre-connect audio from this release (216ce0ac, #666; first tag v2.16.0). Through HEAD
 * 020819ed (2026-08-07) it sends when an agent becomes ACTIVE with `trackId = audioTrack.sid ?: ""`
 * (PreconnectAudioBuffer.kt l.141-147, 248-257): no fix version.
 */
export const ANDROID_PRECONNECT = { from: '2.16.0', checkedAt: '020819ed' } as const;

/** The Swift SDK sends the buffer after publishing, with the track SID, from this version. */
export const SWIFT_TRACK_ID = '2.16.0';

/** livekit-server keeps AddTrackRequest.audio_features (TF_PRECONNECT_BUFFER) from this version. */
export const SERVER_PRECONNECT_FLAG = '1.9.0';

/** agents-js has no pre-connect audio handler in any version; checked up to this tag. */
export const JS_NO_PRECONNECT_CHECKED = '1.7.0';

/**
 * livekit-plugins-openai's RealtimeModel.with_azure returned the GA RealtimeModel for every api_version but
 * "2024-10-01-preview" from 1.2.9 (the GA migration) until 1.2.12 (f206e283f, livekit/agents#3497: "Azure does
 * not currently support the GA API", first in livekit-agents@1.2.12); reported as livekit/agents#3489.
 */
export const AZURE_GA_SHAPE = { pyFrom: '1.2.9', pyFixed: '1.2.12', issue: 'livekit/agents#3489' } as const;

/**
 * livekit-agents builds the Azure GA URL /openai/v1/realtime?model=<deployment> (no api_version) from 1.5.3
 * (c3155587b, livekit/agents#5407 "ensure gpt-realtime-1.5 compatibility", first tag livekit-agents@1.5.3):
 * before, every Azure URL was /openai/realtime?[api-version=…&]deployment=…, which Azure answers with a
 * redirect on GA deployments (livekit/agents#5296). agents-js: #1243 (version not checked here).
 */
export const AZURE_GA_URL = { pyFixed: '1.5.3', issue: 'livekit/agents#5296', fix: 'livekit/agents#5407' } as const;
