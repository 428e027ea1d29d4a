/**
 * The doctor's known-issues catalogue: plain JSON-shaped data (one file), validated against
 * CATALOGUE_SCHEMA (src/doctor/catalogue.schema.ts) by test/unit/doctor-catalogue.test.ts.
 *
 * It is a .ts module rather than a .json file because tsconfig has no `resolveJsonModule` and tsc
 * does not copy .json into dist/: importing it keeps it "imported data, not I/O".
 * `lkdiag doctor --list --json` prints exactly this array.
 *
 * Ranges use the syntax of src/doctor/ranges.ts. Python plugins are released in lockstep with
 * livekit-agents (one tag `livekit-agents@X` in livekit/agents covers both), so plugin entries use
 * the same version numbers. Every reference was checked against the upstream repository: the
 * commit named is the fix, and "first in" is the first release tag that contains it
 * (`git tag --contains`).
 */
import {
  ANDROID_PRECONNECT,
  BETA_HEADER,
  ERROR_CORRELATION,
  FATAL_ERRORS,
  GENERATE_REPLY,
  JS_CLIENT_WEBM,
  JS_NO_PRECONNECT_CHECKED,
  JS_PLUGIN_PIN,
  JS_PLUGIN_PIN_EXACT,
  JS_PLUGIN_STALE_LATEST,
  PRECONNECT_PY,
  SERVER_PRECONNECT_FLAG,
  SWIFT_TRACK_ID,
  TRUNCATE_ZERO,
  atLeast,
} from '../facts/versions.js';
import type { Ecosystem } from './ranges.js';

export interface CatalogueReference {
  repo: string;
  kind: 'pr' | 'issue' | 'commit' | 'release' | 'registry' | 'source';
  ref: string;
  note?: string;
}

export interface CatalogueEntry {
  id: string;
  code: string;
  ecosystem: Ecosystem;
  package: string;
  affected: string;
  fixedIn: string | null;
  severity: 'error' | 'warning' | 'info';
  /** Raise to error when a client in this project sends pre-connect audio. */
  escalateWithPreconnectClients?: boolean;
  /** Only applies when this other package is present in a matching version. */
  requires?: { ecosystem: Ecosystem; package: string; range: string };
  /** Declared specs that resolve to the affected version without any lock (npm dist-tag traps). */
  trapSpecs?: string[];
  title: string;
  symptom: string;
  fix: string;
  references: CatalogueReference[];
}

export const DOCTOR_CATALOGUE: CatalogueEntry[] = [
  {
    id: 'beta-header-python',
    code: 'deps/beta-header-python',
    ecosystem: 'python',
    package: 'livekit-plugins-openai',
    affected: `<${BETA_HEADER.pyFixed}`,
    fixedIn: BETA_HEADER.pyFixed,
    severity: 'error',
    title: 'livekit-plugins-openai sends the retired beta Realtime header',
    symptom: `Versions before ${BETA_HEADER.pyFixed} send \`OpenAI-Beta: realtime=v1\` with the beta session shape. OpenAI retired the beta interface: the API answers \`beta_api_shape_disabled\` and closes 4000, and the agent reconnects or dies without ever speaking.`,
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(BETA_HEADER.pyFixed)} (current 1.x preferred) and use a GA model such as gpt-realtime.`,
    references: [
      {
        repo: 'livekit/agents',
        kind: 'pr',
        ref: '#3420',
        note: 'GA Realtime API (5065f883), first in livekit-agents@1.2.9; realtime_model.py of 1.2.8 still sets OpenAI-Beta',
      },
    ],
  },
  {
    id: 'beta-header-node',
    code: 'deps/beta-header-node',
    ecosystem: 'node',
    package: '@livekit/agents-plugin-openai',
    affected: `<${BETA_HEADER.jsFixed}`,
    fixedIn: BETA_HEADER.jsFixed,
    severity: 'error',
    title: '@livekit/agents-plugin-openai sends the retired beta Realtime header',
    symptom: `Versions before ${BETA_HEADER.jsFixed} send \`OpenAI-Beta: realtime=v1\`; the API answers \`beta_api_shape_disabled\` and closes 4000.`,
    fix: `Upgrade @livekit/agents-plugin-openai (and @livekit/agents) to ${JS_PLUGIN_PIN} — pinned, not the npm \`latest\` tag.`,
    references: [
      {
        repo: 'livekit/agents-js',
        kind: 'pr',
        ref: '#949',
        note: 'Update OpenAI realtime GA API (fad70807), first in @livekit/agents-plugin-openai@1.0.34; 1.0.30 still sets OpenAI-Beta',
      },
    ],
  },
  {
    id: 'npm-latest-trap',
    code: 'deps/npm-latest-trap',
    ecosystem: 'node',
    package: '@livekit/agents-plugin-openai',
    affected: `=${JS_PLUGIN_STALE_LATEST}`,
    fixedIn: null,
    severity: 'error',
    trapSpecs: ['latest', '*', 'x', '', '2.0.0', '^2.0.0', '~2.0.0', '^2', '2', '2.x', '>=2', '>=2.0.0'],
    title: '@livekit/agents-plugin-openai 2.0.0 (the npm `latest` tag) is stale beta-era code',
    symptom:
      'The npm dist-tag `latest` points at 2.0.0, which is older code than 1.x: it sends `OpenAI-Beta: realtime=v1`, sets temperature 0.8, depends on openai ^4 and has no generateReply timeout. `npm install @livekit/agents-plugin-openai` without a version picks it.',
    fix: `Pin \`"@livekit/agents-plugin-openai": "${JS_PLUGIN_PIN_EXACT}"\` (matching @livekit/agents ${JS_PLUGIN_PIN}) and reinstall.`,
    references: [
      {
        repo: 'npmjs.com/package/@livekit/agents-plugin-openai',
        kind: 'registry',
        ref: 'dist-tags.latest = 2.0.0',
        note: 'checked with `npm view @livekit/agents-plugin-openai dist-tags`; livekit/agents-js has no 2.x tag (newest plugin tag 1.7.0 in the repository; 1.9.0 on npm)',
      },
    ],
  },
  {
    id: 'truncate-zero-python',
    code: 'deps/truncate-zero-python',
    ecosystem: 'python',
    package: 'livekit-plugins-openai',
    affected: TRUNCATE_ZERO.pyRange,
    fixedIn: TRUNCATE_ZERO.pyFixed,
    severity: 'warning',
    title: 'Barge-in before playback sends a truncate with audio_end_ms=0',
    symptom:
      'When the user interrupts after the response declared audio but before its first frame played, the plugin sends `conversation.item.truncate` with `audio_end_ms=0`; the API rejects it ("Only model output audio messages can be truncated", unsupported_content_type) and the server-side history keeps the unplayed reply.',
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(TRUNCATE_ZERO.pyFixed)} (the item is deleted instead).`,
    references: [
      { repo: 'livekit/agents', kind: 'issue', ref: '#6157' },
      { repo: 'livekit/agents', kind: 'pr', ref: '#6158', note: '8eb921d4, first in livekit-agents@1.6.5' },
    ],
  },
  {
    id: 'truncate-zero-node',
    code: 'deps/truncate-zero-node',
    ecosystem: 'node',
    package: '@livekit/agents-plugin-openai',
    affected: `<${TRUNCATE_ZERO.jsFixed}`,
    fixedIn: TRUNCATE_ZERO.jsFixed,
    severity: 'warning',
    title: 'Barge-in before playback sends a truncate with audio_end_ms=0 (agents-js)',
    symptom: `Before ${TRUNCATE_ZERO.jsFixed} the Node plugin truncates at \`audio_end_ms=0\` when interrupted before the first played frame; the API rejects it with unsupported_content_type.`,
    fix: `Upgrade @livekit/agents-plugin-openai to ${atLeast(TRUNCATE_ZERO.jsFixed)} (${JS_PLUGIN_PIN} recommended).`,
    references: [{ repo: 'livekit/agents-js', kind: 'pr', ref: '#1903', note: '6da9b0a5, first in @livekit/agents-plugin-openai@1.6.3' }],
  },
  {
    id: 'error-correlation-gap',
    code: 'deps/error-correlation-gap',
    ecosystem: 'python',
    package: 'livekit-plugins-openai',
    affected: ERROR_CORRELATION.pyGapRange,
    fixedIn: ERROR_CORRELATION.pyFixed,
    severity: 'warning',
    title: 'A rejected response.create surfaces as a generic "generate_reply timed out"',
    symptom: `These versions do not match \`error.event_id\` to the pending generate_reply, so a rejection (typically conversation_already_has_active_response when generate_reply races a server-VAD auto-response) waits out the whole timeout and is logged as "generate_reply timed out." instead of the real error. ${ERROR_CORRELATION.pyCorrelatedFrom}–1.5.x correlated errors; ${ERROR_CORRELATION.pyRegressedIn} regressed; ${ERROR_CORRELATION.pyFixed} fixed it with the error code.`,
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(ERROR_CORRELATION.pyFixed)}; meanwhile run \`lkdiag probe-openai --check double-response\` to see the real rejection.`,
    references: [
      { repo: 'livekit/agents', kind: 'pr', ref: '#5576', note: 'e1bd6691 rejects the pending future on error, first in livekit-agents@1.5.8' },
      { repo: 'livekit/agents', kind: 'pr', ref: '#5688', note: 'e41b8808 dropped it again, first in livekit-agents@1.6.0' },
      { repo: 'livekit/agents', kind: 'issue', ref: '#6817' },
      { repo: 'livekit/agents', kind: 'pr', ref: '#6818', note: '14cf3895, first in livekit-agents@1.7.0' },
    ],
  },
  {
    id: 'error-correlation-gap-node',
    code: 'deps/error-correlation-gap-node',
    ecosystem: 'node',
    package: '@livekit/agents-plugin-openai',
    affected: `<${ERROR_CORRELATION.jsFixed}`,
    fixedIn: ERROR_CORRELATION.jsFixed,
    severity: 'warning',
    title: 'A rejected response.create is not reported to generateReply (agents-js)',
    symptom: `Before ${ERROR_CORRELATION.jsFixed} the Node plugin does not fail the pending generateReply on an \`error\` whose event_id names it: the rejection is only logged and the reply hangs (no timeout existed before ${GENERATE_REPLY.jsSince}).`,
    fix: `Upgrade @livekit/agents-plugin-openai to ${JS_PLUGIN_PIN}.`,
    references: [{ repo: 'livekit/agents-js', kind: 'pr', ref: '#1384', note: 'ba3ffd5e, first in @livekit/agents-plugin-openai@1.3.3' }],
  },
  {
    id: 'generate-reply-5s-timeout',
    code: 'deps/generate-reply-5s-timeout',
    ecosystem: 'python',
    package: 'livekit-plugins-openai',
    affected: `>=1.0.0 <${GENERATE_REPLY.pySinceFull}`,
    fixedIn: GENERATE_REPLY.pySinceFull,
    severity: 'warning',
    title: 'generate_reply times out after 5 s',
    symptom: `livekit-agents ≤ ${GENERATE_REPLY.pyOldUpTo} gives up on a reply whose response.created takes more than ${GENERATE_REPLY.oldTimeoutMs / 1000} s ("generate_reply timed out."), then plays the late response anyway as a non-user-initiated reply.`,
    fix: `Upgrade livekit-agents and livekit-plugins-openai (${atLeast(GENERATE_REPLY.pySinceFull)} waits ${GENERATE_REPLY.timeoutMs / 1000} s; ${atLeast(ERROR_CORRELATION.pyFixed)} recommended).`,
    references: [
      {
        repo: 'livekit/agents',
        kind: 'pr',
        ref: '#5149',
        note: 'increase generate_reply timeout & remove RealtimeModelBeta (4a8f5208), first in livekit-agents@1.5.0',
      },
    ],
  },
  {
    id: 'fatal-errors-retried-python',
    code: 'deps/fatal-errors-retried-python',
    ecosystem: 'python',
    package: 'livekit-plugins-openai',
    affected: `<${FATAL_ERRORS.pyFixed}`,
    fixedIn: FATAL_ERRORS.pyFixed,
    severity: 'warning',
    title: 'Fatal Realtime errors (bad key, no quota) are retried forever',
    symptom: `invalid_api_key, insufficient_quota, account_deactivated and billing_hard_limit_reached close the socket; versions before ${FATAL_ERRORS.pyFixed} treat that as an unexpected close and reconnect in a loop instead of failing the session.`,
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(FATAL_ERRORS.pyFixed)}.`,
    references: [{ repo: 'livekit/agents', kind: 'pr', ref: '#6352', note: 'f8ad46d7 adds _FATAL_ERROR_CODES, first in livekit-agents@1.6.6' }],
  },
  {
    id: 'fatal-errors-retried-node',
    code: 'deps/fatal-errors-retried-node',
    ecosystem: 'node',
    package: '@livekit/agents-plugin-openai',
    affected: `<${FATAL_ERRORS.jsFixed}`,
    fixedIn: FATAL_ERRORS.jsFixed,
    severity: 'warning',
    title: 'Fatal Realtime errors are retried forever (agents-js)',
    symptom: `Before ${FATAL_ERRORS.jsFixed} the Node plugin reconnects immediately on every server close, including after invalid_api_key or insufficient_quota.`,
    fix: `Upgrade @livekit/agents-plugin-openai to ${JS_PLUGIN_PIN}.`,
    references: [{ repo: 'livekit/agents-js', kind: 'pr', ref: '#2031', note: '6a998f6b, first in @livekit/agents-plugin-openai@1.6.0' }],
  },
  {
    id: 'no-preconnect-node',
    code: 'deps/no-preconnect-node',
    ecosystem: 'node',
    package: '@livekit/agents',
    affected: '*',
    fixedIn: null,
    severity: 'warning',
    escalateWithPreconnectClients: true,
    title: 'agents-js has no pre-connect audio support',
    symptom:
      'No version of @livekit/agents registers a handler for `lk.agent.pre-connect-audio-buffer`: rtc-node drops the stream (debug "ignoring incoming byte stream due to no handler for topic"), so whatever the user said while the agent was joining is lost. Harmless when no client sends pre-connect audio.',
    fix: `If your clients use pre-connect audio (preConnectBuffer, Swift/Android pre-connect), run the agent on Python livekit-agents ${atLeast(PRECONNECT_PY.webm)}, or turn pre-connect off in the clients so users are not told to speak early.`,
    references: [
      {
        repo: 'livekit/agents-js',
        kind: 'source',
        ref: `@livekit/agents@${JS_NO_PRECONNECT_CHECKED}`,
        note: `no \`pre-connect-audio-buffer\` or TF_PRECONNECT anywhere in the repository at the ${JS_NO_PRECONNECT_CHECKED} tag`,
      },
    ],
  },
  {
    id: 'no-preconnect-python',
    code: 'deps/no-preconnect-python',
    ecosystem: 'python',
    package: 'livekit-agents',
    affected: `<${PRECONNECT_PY.handler}`,
    fixedIn: PRECONNECT_PY.handler,
    severity: 'warning',
    escalateWithPreconnectClients: true,
    title: `livekit-agents before ${PRECONNECT_PY.handler} has no pre-connect audio support`,
    symptom: `The pre-connect byte-stream handler arrived in ${PRECONNECT_PY.handler}; older agents drop the buffer ("ignoring byte stream … no callback attached").`,
    fix: `Upgrade livekit-agents to ${atLeast(PRECONNECT_PY.webm)} (${PRECONNECT_PY.handler} added the handler, ${PRECONNECT_PY.opus} Opus decoding, ${PRECONNECT_PY.webm} the WebM mime type current JS clients send).`,
    references: [{ repo: 'livekit/agents', kind: 'pr', ref: '#2171', note: '45987b62, first in livekit-agents@1.0.21' }],
  },
  {
    id: 'webm-opus-preconnect',
    code: 'deps/webm-opus-preconnect',
    ecosystem: 'python',
    package: 'livekit-agents',
    affected: `<${PRECONNECT_PY.webm}`,
    fixedIn: PRECONNECT_PY.webm,
    severity: 'error',
    requires: { ecosystem: 'node', package: 'livekit-client', range: `>=${JS_CLIENT_WEBM}` },
    title: `livekit-client ${atLeast(JS_CLIENT_WEBM)} sends pre-connect audio as audio/webm;codecs=opus, which this agent decodes as PCM`,
    symptom: `From ${JS_CLIENT_WEBM} the JS client labels its pre-connect buffer \`audio/webm;codecs=opus\` (before: \`audio/opus\`). livekit-agents before ${PRECONNECT_PY.webm} only decodes mime type \`audio/opus\` and treats anything else as raw PCM, so the user's first words reach the model as noise.`,
    fix: `Upgrade livekit-agents to ${atLeast(PRECONNECT_PY.webm)}.`,
    references: [
      { repo: 'livekit/agents', kind: 'pr', ref: '#2952', note: 'e8a36633 accepts any `codecs=opus` mime type, first in livekit-agents@1.2.2' },
      { repo: 'livekit/client-sdk-js', kind: 'pr', ref: '#1598', note: '744d0d5e, first in v2.15.4' },
      { repo: 'livekit/client-sdk-js', kind: 'pr', ref: '#1609', note: 'ce1f845d, first in v2.15.4 (v2.15.3 still sends mimeType audio/opus)' },
    ],
  },
  {
    id: 'safari-mp4-preconnect',
    code: 'deps/safari-mp4-preconnect',
    ecosystem: 'python',
    package: 'livekit-agents',
    // Below PRECONNECT_PY.webm, deps/webm-opus-preconnect (an error) already says every JS buffer is misread.
    affected: `>=${PRECONNECT_PY.webm}`,
    fixedIn: null,
    severity: 'warning',
    requires: { ecosystem: 'node', package: 'livekit-client', range: `>=${JS_CLIENT_WEBM}` },
    title: 'Safari/iOS web clients send pre-connect audio as video/mp4, which livekit-agents reads as raw PCM',
    symptom: `Where MediaRecorder cannot record WebM (Safari, every iOS browser), livekit-client ${atLeast(JS_CLIENT_WEBM)} records the buffer as \`video/mp4\` and labels it so. livekit-agents decodes a buffer only when its mime type is \`audio/opus\` or contains \`codecs=opus\` (voice/room_io/_pre_connect_audio.py l.119-127, 1.8.9) and reads anything else as s16le PCM: the MP4 bytes reach the model as noise, and neither the agent log ("pre-connect audio received" at DEBUG) nor a room trace shows it. No livekit-agents version up to 1.8.9 reads MP4.`,
    fix: 'Test the web client on Safari/iOS against the agent (lkdiag mock-agent decodes the buffer and says what it holds); until the agent reads MP4, turn the pre-connect buffer off where MediaRecorder.isTypeSupported("audio/webm;codecs=opus") is false.',
    references: [
      {
        repo: 'livekit/client-sdk-js',
        kind: 'pr',
        ref: '#1609',
        note: 'ce1f845d, the video/mp4 fallback (LocalTrack.ts startPreConnectBuffer), first in v2.15.4',
      },
      {
        repo: 'livekit/agents',
        kind: 'source',
        ref: 'livekit-agents/livekit/agents/voice/room_io/_pre_connect_audio.py',
        note: 'is_opus test at l.119-127 in 1.8.9',
      },
    ],
  },
  {
    id: 'swift-empty-trackid',
    code: 'deps/swift-empty-trackid',
    ecosystem: 'swift',
    package: 'client-sdk-swift',
    affected: `<${SWIFT_TRACK_ID}`,
    fixedIn: SWIFT_TRACK_ID,
    severity: 'warning',
    title: 'Swift client can send the pre-connect buffer with an empty trackId',
    symptom: `Before ${SWIFT_TRACK_ID} the Swift SDK sends the buffer when the agent becomes active, possibly before the mic track has its sid, with \`trackId: ""\`: the agent logs "pre-connect audio received but no trackId", waits 3 s ("timeout waiting for pre-connect audio buffer") and the prelude is lost.`,
    fix: `Upgrade client-sdk-swift to ${atLeast(SWIFT_TRACK_ID)}.`,
    references: [
      { repo: 'livekit/client-sdk-swift', kind: 'issue', ref: '#1060' },
      { repo: 'livekit/client-sdk-swift', kind: 'issue', ref: '#1063' },
      { repo: 'livekit/client-sdk-swift', kind: 'pr', ref: '#1061', note: '1f5bbb70, first in 2.16.0' },
    ],
  },
  {
    id: 'android-preconnect-empty-trackid',
    code: 'deps/android-preconnect-empty-trackid',
    ecosystem: 'android',
    package: 'livekit-android',
    affected: `>=${ANDROID_PRECONNECT.from}`,
    fixedIn: null,
    severity: 'warning',
    title: 'Android client can send the pre-connect buffer with an empty trackId (the race Swift fixed in 2.16.0)',
    symptom: `client-sdk-android sends its buffer the moment an agent is ACTIVE (ParticipantConnected / ParticipantStateChanged), with \`trackId: audioTrack.sid ?: ""\` (PreconnectAudioBuffer.kt, HEAD ${ANDROID_PRECONNECT.checkedAt}): an agent ACTIVE before the microphone's publication returned gets trackId "" — "pre-connect audio received but no trackId", a 3 s stall and the prelude lost. It sends one snapshot (so an agent that subscribes more than 1 s later drops it as too old), skips buffers of 1024 bytes or less, and sends a copy to every ACTIVE agent, avatar workers included.`,
    fix: 'Publish the microphone before the agent can become ACTIVE (enable it right after connect inside withPreconnectAudio, and dispatch the agent after that), and check the agent log for "no trackId" / "too old".',
    references: [
      { repo: 'livekit/client-sdk-android', kind: 'pr', ref: '#666', note: '216ce0ac, pre-connect audio, first in v2.16.0' },
      {
        repo: 'livekit/client-sdk-android',
        kind: 'source',
        ref: 'livekit-android-sdk/src/main/java/io/livekit/android/audio/PreconnectAudioBuffer.kt',
        note: `trackId = audioTrack.sid ?: "" at send time, l.141-147 and 248-257 at ${ANDROID_PRECONNECT.checkedAt}`,
      },
    ],
  },
  {
    id: 'server-drops-preconnect-flag',
    code: 'deps/server-drops-preconnect-flag',
    ecosystem: 'server',
    package: 'livekit-server',
    affected: `<${SERVER_PRECONNECT_FLAG}`,
    fixedIn: SERVER_PRECONNECT_FLAG,
    severity: 'warning',
    escalateWithPreconnectClients: true,
    title: `LiveKit server before v${SERVER_PRECONNECT_FLAG} drops the TF_PRECONNECT_BUFFER track flag`,
    symptom: `The server copies AddTrackRequest.audio_features into the track info only from v${SERVER_PRECONNECT_FLAG}. Older servers drop the flag, so the agent never waits for the buffer: it is received and silently unused.`,
    fix: `Upgrade livekit-server to ${atLeast(`v${SERVER_PRECONNECT_FLAG}`)} (LiveKit Cloud is current).`,
    references: [{ repo: 'livekit/livekit', kind: 'pr', ref: '#3635', note: 'Take AudioFeatures from AddTrack (6d6393a6), first in v1.9.0' }],
  },
];
