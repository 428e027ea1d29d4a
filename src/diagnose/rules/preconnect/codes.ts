import {
  JS_CLIENT_TOTAL_LENGTH,
  JS_PUBLISH_OPTIONS_IGNORED,
  PRECONNECT_PY,
  SERVER_PRECONNECT_FLAG,
  SWIFT_TRACK_ID,
  atLeast,
  below,
} from '../../../facts/versions.js';
import { ms, sec } from '../../../format/index.js';
import { defineCode } from '../kit.js';

const LOG_HINT = 'Run the agent at DEBUG log level and pass its log with --agent-log FILE to see which.';
export const PRECONNECT_LOG_HINT = LOG_HINT;

/** The agent's pre_connect_audio_timeout default: a stream must finish within this of its header. */
export const PRECONNECT_TIMEOUT_MS = 3_000;
export const FEATURE = 'TF_PRECONNECT_BUFFER';
const NO_LOG = "No agent log was given, so this is not confirmed from the agent's side: pass --agent-log FILE (DEBUG level).";

const audioOf = (durationS: number | undefined) => (durationS !== undefined ? ` (${durationS.toFixed(2)} s of audio)` : '');

/** Evidence, without a transcript, that pushed audio was misread: the attributes do not describe the PCM. */
export type MisreadHint = { kind: 'stereo' } | { kind: 'sample-rate'; agentS: number; sentS: number; sampleRate: string };
const hintText = (h: MisreadHint) =>
  h.kind === 'stereo'
    ? 'the buffer is stereo (channels=2), and livekit-agents resamples pre-connect audio as mono, which garbles it; send mono'
    : `the agent decoded ${h.agentS.toFixed(2)} s from ${h.sentS.toFixed(2)} s of recorded audio: the sampleRate attribute (${h.sampleRate}) does not match the PCM`;

/** One reason the buffer was not used. */
export type NotUsedReason =
  | { kind: 'logged'; messages: string[] }
  | { kind: 'arrived-late'; afterMs: number }
  | { kind: 'not-pushed' }
  | { kind: 'transcript-missing' }
  | { kind: 'before-active'; injected: boolean }
  | { kind: 'never-arrived' };
function reasonText(r: NotUsedReason): string {
  switch (r.kind) {
    case 'logged':
      return `the agent logged ${r.messages.map((m) => `"${m}"`).join(', ')}`;
    case 'arrived-late':
      return `it arrived ${sec(r.afterMs)} after the agent had stopped waiting for it`;
    case 'not-pushed':
      return 'it was received but never pushed into the input (is TF_PRECONNECT_BUFFER on the microphone?)';
    case 'transcript-missing':
      return 'the buffered words are missing from the user transcript';
    case 'before-active':
      return `the client opened the stream before the agent was ACTIVE${r.injected ? ' (--send-before-active)' : ''}, so it may not have been delivered to a registered handler`;
    case 'never-arrived':
      return 'the agent log (DEBUG level) never shows it arriving';
  }
}

/** Why nothing settles whether the buffer was used. */
export type Unconfirmed =
  | { kind: 'unsettled'; unsettled: 'short-buffer' | 'unrecognised'; bufferedMs?: number; log: boolean }
  | { kind: 'no-debug-lines' }
  | { kind: 'no-log' };
function unconfirmedText(u: Unconfirmed): string {
  switch (u.kind) {
    case 'no-debug-lines':
      return 'The agent log has no pre-connect lines: "pre-connect audio received"/"buffer pushed" are DEBUG, so run the agent at DEBUG level.';
    case 'no-log':
      return NO_LOG;
    case 'unsettled': {
      const add = u.log
        ? 'run the agent at DEBUG level so its log says whether it pushed the buffer'
        : "pass --agent-log FILE (DEBUG level): the agent's log says whether it pushed the buffer";
      if (u.unsettled === 'short-buffer') {
        const held = u.bufferedMs ? `${sec(u.bufferedMs)} of the user's speech` : "only the start of the user's speech";
        return `The buffer held ${held}, fewer words than a transcript can confirm, so the transcript cannot settle it: ${add}, or start speaking earlier (--join-delay).`;
      }
      return `The user's speech came back as an unrecognised transcript, which may hold the buffered words, so it cannot settle it: ${add}.`;
    }
  }
}

export type ConsumedData = { via: 'pushed'; durationS?: number } | { via: 'transcript'; log: boolean };
export type NotConsumedData =
  | { via: 'misread'; durationS?: number; transcriptSettled: boolean; hints: MisreadHint[] }
  | { via: 'reasons'; reasons: NotUsedReason[] }
  | { via: 'unconfirmed'; why: Unconfirmed };

/** How long the synthetic user waited: a reported bound, or what the trace covers. */
export type WaitBound = { boundMs: number } | { observedMs: number };
const boundText = (b: WaitBound) => ('boundMs' in b ? sec(b.boundMs) : `the ${sec(b.observedMs)} observed`);

export interface AgentNotActiveData {
  identity: string;
  joinedAfterMs: number;
  bound: WaitBound;
}
export interface NoAgentDispatchedData {
  bound: WaitBound;
  dispatch?: { id: string; agentName: string; jobs: Array<{ status: string; error: string }> };
  created?: { agentName: string };
}
export interface FlagMissingData {
  trackSid: string;
  injected: boolean;
  confirmation: 'log-confirms' | 'none' | 'no-log';
}
export type MissingTrackIdData = { via: 'logged'; injected: boolean } | { via: 'attributes'; injected: boolean; log: boolean };
export type NotCompletedData = { via: 'logged'; heldMs?: number } | { via: 'held'; heldMs: number; closedOn?: string; log: boolean };
export interface AgentUnsupportedData {
  dropped: boolean;
}
export interface HandlerLateData {
  times: number;
  dropped: boolean;
  stillUsed: boolean;
}
export interface NoHandlerData {
  ignored: number;
}
export interface BufferTooOldData {
  deltaS?: number;
  snapshot: boolean;
}
export type WaitCause =
  | { kind: 'no-track-id' }
  | { kind: 'before-handler' }
  | { kind: 'not-completed' }
  | { kind: 'unmatched'; trackId: string }
  | { kind: 'late'; afterMs: number; injected: boolean }
  | { kind: 'none-arrived'; logOnly: boolean };
function waitCauseText(c: WaitCause): string {
  switch (c.kind) {
    case 'no-track-id':
      return 'the buffer had no trackId (preconnect/missing-track-id)';
    case 'before-handler':
      return 'the buffer arrived before the handler (see the handler findings)';
    case 'not-completed':
      return 'the stream did not finish in time';
    case 'unmatched':
      return `the buffer was sent${c.trackId ? ` with trackId ${c.trackId}` : ''} but never arrived as one the agent could match (wrong trackId, or sent to another participant)`;
    case 'late':
      return `the buffer arrived ${sec(c.afterMs)} too late${c.injected ? ' (--delay-send)' : ''}`;
    case 'none-arrived':
      return c.logOnly
        ? 'no buffer arrived for the flagged track (the client did not send one, or sent it elsewhere); a re-subscription of a flagged track also waits again'
        : 'no buffer arrived for the flagged track';
  }
}
export interface TimeoutWaitingData {
  times: number;
  causes: WaitCause[];
}
export interface InterruptedData {
  anchorKind: string;
  createdAfterMs?: number;
  /** Live audio start relative to the anchor (negative: before it). */
  liveAfterMs?: number;
  speechAfterMs: number;
  speechKind: string;
  gapMs: number;
  how: 'client-cancel' | 'turn-detected' | 'interrupted-item';
  audioBefore: boolean;
}

/** Why the user's speech before the agent was ACTIVE never reached it. */
export type LostWhy =
  | { kind: 'no-flag' }
  | { kind: 'no-stream'; log: boolean }
  | { kind: 'wrong-agent'; destination: string; avatar: boolean }
  | { kind: 'unreadable'; error: string }
  | { kind: 'unconfirmed' };
export interface LostFirstWordsData {
  /** Microphone publication (or first speech) → agent ACTIVE, in ms. */
  lostMs: number;
  user: string;
  trackSid: string;
  agent: string;
  why: LostWhy;
}
const JS_FIX = `JS (livekit-client ${atLeast(JS_PUBLISH_OPTIONS_IGNORED.from)}): new Room({ publishDefaults: { preConnectBuffer: true } }) — the third argument of setMicrophoneEnabled(true, undefined, { preConnectBuffer: true }) is ignored since ${JS_PUBLISH_OPTIONS_IGNORED.from} (still in ${JS_PUBLISH_OPTIONS_IGNORED.checkedUpTo})`;
const SDK_FIXES = [
  JS_FIX,
  `Swift: room.withPreConnectAudio { … } around connect (${atLeast(SWIFT_TRACK_ID)})`,
  'Android: room.withPreconnectAudio { … } around connect',
  'Flutter: room.withPreConnectAudio(() async { … })',
  'Python (livekit rtc): no SDK support — publish with TrackPublishOptions(preconnect_buffer=True) and stream the buffer yourself (fixtures/clients/python/client.py)',
].join('; ');
function lostWhyText(w: LostWhy): string {
  switch (w.kind) {
    case 'no-flag':
      return `the microphone was published without ${FEATURE}, so the client recorded nothing for the agent and the agent did not wait for a buffer`;
    case 'no-stream':
      return `the microphone advertises ${FEATURE} but no buffer was sent${w.log ? ' (the agent log never shows one arriving)' : ''}`;
    case 'wrong-agent':
      return `the buffer went to ${w.destination}${w.avatar ? ', an avatar worker (lk.publish_on_behalf)' : ''}, not to the agent that listens`;
    case 'unreadable':
      return `a buffer arrived but the agent could not read it ("error reading pre-connect audio buffer"${w.error ? `: ${w.error}` : ''})`;
    case 'unconfirmed':
      return `the microphone advertises ${FEATURE}, but nothing here shows whether a buffer was sent (a room observer cannot see byte streams addressed to the agent). Pass --agent-log FILE (DEBUG level) to settle it`;
  }
}

/** Pre-connect audio buffer findings (lk.agent.pre-connect-audio-buffer). docs/findings.md is generated from these. */
export const PRECONNECT = {
  consumed: defineCode<ConsumedData>({
    code: 'preconnect/consumed',
    severity: 'info',
    title: 'The agent used the pre-connect audio buffer',
    cause:
      'The agent received the buffered audio and pushed it into its input before the live audio, so the words the user said while the agent was joining reached the model.',
    evidence:
      'DEBUG "pre-connect audio received" then "pre-connect audio buffer pushed" (log.preconnect.received / pushed), or the buffered words in the user transcript.',
    fix: 'Nothing to fix.',
    detail: (d) =>
      d.via === 'pushed'
        ? `The agent received the buffer and pushed it into its input${audioOf(d.durationS)} before the live audio.`
        : `The buffered words are in the user transcript, so the agent used the buffer.${d.log ? '' : ' (The agent log would confirm it: --agent-log FILE at DEBUG level.)'}`,
  }),
  notConsumed: defineCode<NotConsumedData>({
    code: 'preconnect/not-consumed',
    severity: 'error',
    title: 'The pre-connect audio buffer was not used by the agent',
    cause:
      'The client sent the buffer but the agent never pushed it into its input: no handler, a missing or wrong trackId, a buffer too old or not finished in time, the flag missing on the track, or a framework without support. The words said during the join are lost.',
    evidence:
      'client.preconnect.opened/closed (or log.preconnect.received) with no log.preconnect.pushed; or, without an agent log, a user transcript that lacks the buffered words.',
    fix: `Read the preconnect/* finding next to this one for the reason. ${LOG_HINT}`,
    detail: (d) => {
      switch (d.via) {
        case 'misread': {
          const unsure = d.transcriptSettled ? '' : ' (the transcript alone could not settle it; the format evidence does)';
          const hint = `Likely cause: ${d.hints.length ? d.hints.map(hintText).join('; ') : 'check that sampleRate, channels and the mime type describe the bytes (raw s16le PCM unless the mime type says Opus)'}.`;
          return `The agent pushed the buffer into its input${audioOf(d.durationS)}, but the buffered words are missing from the user transcript: the audio was misread${unsure}. ${hint}`;
        }
        case 'reasons':
          return `The buffer was not used: ${d.reasons.map(reasonText).join('; ')}.`;
        case 'unconfirmed':
          return `Could not confirm that the agent used the buffer. ${unconfirmedText(d.why)}`;
      }
    },
  }),
  agentNotActive: defineCode<AgentNotActiveData>({
    code: 'preconnect/agent-not-active',
    severity: 'error',
    exit: 4,
    title: 'The agent joined but never became ACTIVE',
    cause:
      'Clients send the buffer only to an agent participant whose state is ACTIVE (fully connected and able to receive data). The agent joined but did not reach ACTIVE within the client bound (10 s in the SDKs), so the buffer was never sent.',
    evidence: 'client.agent.joined with no client.agent.active before client.timeout (or the end of the run).',
    fix: 'Look at the agent: a slow or failing connect (network, TURN), an entrypoint that blocks before connecting, a crash right after joining. Compare with room.participant.* and the agent log.',
    detail: (d) =>
      `Agent ${d.identity} joined ${sec(d.joinedAfterMs)} after connecting but did not become ACTIVE within ${boundText(d.bound)}; the buffer was never sent.`,
  }),
  noAgentDispatched: defineCode<NoAgentDispatchedData>({
    code: 'preconnect/no-agent-dispatched',
    severity: 'error',
    exit: 4,
    title: 'No agent joined the room',
    cause:
      'No agent participant joined within the bound: no worker is registered with that agent name, the dispatch failed, the worker is at capacity, or (automatic dispatch) the agent has an agent_name and so is dispatched only explicitly.',
    evidence: 'no client.agent.joined before client.timeout; server.dispatch.state with the job status and error when the dispatch was made through the API.',
    fix: 'Start the worker (python agent.py dev/start) with the same LIVEKIT_URL and agent name, check `lk dispatch list`, and read the job error in the dispatch state.',
    detail: (d) => {
      const p = d.dispatch;
      const why = p
        ? p.jobs.length
          ? ` Dispatch ${p.id} (${p.agentName}): ${p.jobs.map((j) => `job ${j.status}${j.error ? ` — ${j.error}` : ''}`).join('; ')}.`
          : ` Dispatch ${p.id} for agent name "${p.agentName}" has no job: no worker registered under that name accepted it.`
        : d.created
          ? ` A dispatch was created for "${d.created.agentName}" but its state was not read.`
          : '';
      return `No agent joined within ${boundText(d.bound)}.${why}`;
    },
  }),
  flagMissing: defineCode<FlagMissingData>({
    code: 'preconnect/flag-missing',
    severity: 'error',
    title: 'The microphone track does not advertise TF_PRECONNECT_BUFFER',
    cause: `The agent waits for a buffer only when the published microphone carries the TF_PRECONNECT_BUFFER audio feature. Without it the buffer is decoded and then never used. The flag is dropped by servers older than v${SERVER_PRECONNECT_FLAG}, by publishing without preConnectBuffer, and by a later JS track-feature update (e.g. toggling noise cancellation) that replaces the feature list.`,
    evidence:
      'client.track.published with preconnectFlag false, or room.track.published (microphone) without TF_PRECONNECT_BUFFER in features, while a buffer was sent.',
    fix: `Publish the microphone with the pre-connect buffer on (JS: new Room({ publishDefaults: { preConnectBuffer: true } }) — the third argument of setMicrophoneEnabled(true, undefined, { preConnectBuffer: true }) is ignored by livekit-client ${atLeast(JS_PUBLISH_OPTIONS_IGNORED.from)}; rtc-node TrackPublishOptions preconnectBuffer: true), run livekit-server ${atLeast(`v${SERVER_PRECONNECT_FLAG}`)}, and avoid updating audio features after publishing.`,
    detail: (d) =>
      `The microphone ${d.trackSid} was published without ${FEATURE}${d.injected ? ' (injected with --no-preconnect-flag)' : ''}, yet a buffer was sent: the agent does not wait for it and never uses it.${
        d.confirmation === 'log-confirms'
          ? ' The agent log confirms it: the buffer was received but never pushed.'
          : d.confirmation === 'no-log'
            ? ` ${NO_LOG}`
            : ''
      }`,
  }),
  agentUnsupported: defineCode<AgentUnsupportedData>({
    code: 'preconnect/agent-unsupported',
    severity: 'error',
    title: 'The agent framework has no pre-connect audio support',
    cause: `agents-js (Node) has no pre-connect audio handler at all: rtc-node drops the byte stream ("ignoring incoming byte stream due to no handler for topic"). Only the Python livekit-agents (${atLeast(PRECONNECT_PY.handler)}) uses the buffer.`,
    evidence: 'log.preconnect.ignored with framework node, or a Node framework identified by the log or get_framework_info, while a buffer was sent.',
    fix: `Use the Python livekit-agents (${atLeast(PRECONNECT_PY.handler)}) for pre-connect audio, or disable the pre-connect buffer in the client so the user is not told to speak before the agent listens.`,
    detail: (d) =>
      `The agent runs agents-js (Node), which has no pre-connect audio handler${d.dropped ? ': rtc-node dropped the stream ("ignoring incoming byte stream due to no handler")' : ''}. The words said while it joined are lost.`,
  }),
  missingTrackId: defineCode<MissingTrackIdData>({
    code: 'preconnect/missing-track-id',
    severity: 'error',
    title: 'The buffer was sent without a trackId',
    cause: `The agent matches the buffer to the microphone by the trackId attribute (the server track SID, TR_…). Missing or empty, the buffer is discarded ("pre-connect audio received but no trackId") and the agent then stalls 3 s. Swift ${below(SWIFT_TRACK_ID)} sent the buffer before publishing and so sent trackId "".`,
    evidence: 'log.preconnect.no-track-id; client.fault omit-track-id when lkdiag injected it.',
    fix: `Send the buffer after the microphone is published, with trackId = the publication SID (Swift ${atLeast(SWIFT_TRACK_ID)}; JS and Android do this).`,
    detail: (d) =>
      d.via === 'logged'
        ? `The agent logged "pre-connect audio received but no trackId" and discarded the buffer${d.injected ? ' (injected with --omit-track-id)' : ''}.`
        : `The buffer was sent without a trackId attribute${d.injected ? ' (--omit-track-id)' : ''}; the agent discards such a buffer and stalls 3 s. ${d.log ? 'The agent log does not show the warning: is it the log of this session?' : NO_LOG}`,
  }),
  handlerRegisteredLate: defineCode<HandlerLateData>({
    code: 'preconnect/handler-registered-late',
    severity: 'error',
    title: 'The pre-connect handler was registered after the room connected',
    cause:
      "ctx.connect() was awaited before session.start(), so the byte-stream handler was registered after the connection: a buffer whose header arrives before it is dropped. When this run's buffer was still used, the race exists and this run happened to win it (warning).",
    evidence:
      'WARNING "pre-connect audio handler registered after room connection…" (log.preconnect.registered-late), often with "ignoring byte stream…" (log.preconnect.ignored).',
    fix: 'Call session.start(...) before ctx.connect() (or do not call ctx.connect() yourself: AgentSession.start() connects after registering the handler).',
    detail: (d) =>
      `The agent logged "pre-connect audio handler registered after room connection" ${d.times}×: ctx.connect() ran before session.start().${d.dropped ? ' A buffer arrived before the handler and was dropped ("ignoring byte stream… no callback attached").' : ''}${d.stillUsed ? " This run's buffer was still used: the race exists, this run won it." : ''}`,
  }),
  noHandler: defineCode<NoHandlerData>({
    code: 'preconnect/no-handler',
    severity: 'error',
    title: 'The agent ignored the buffer: no handler was attached',
    cause:
      'The byte stream arrived with no handler for lk.agent.pre-connect-audio-buffer: pre_connect_audio=False, audio input disabled, or the header arrived before RoomIO started.',
    evidence: 'log.preconnect.ignored ("ignoring byte stream with topic \'lk.agent.pre-connect-audio-buffer\', no callback attached").',
    fix: 'Keep AudioInputOptions(pre_connect_audio=True) with audio input enabled, and start the session before connecting.',
    detail: () =>
      `The agent dropped the buffer: "ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached". pre_connect_audio is off, audio input is disabled, or the buffer arrived before RoomIO started.`,
  }),
  bufferTooOld: defineCode<BufferTooOldData>({
    code: 'preconnect/buffer-too-old',
    severity: 'error',
    title: 'The buffer was complete more than 1 s before the agent read it',
    cause:
      'The agent drops a buffer whose header arrived more than 1.0 s before it started waiting for it (hardcoded). Snapshot senders (Android) finish early; a late track subscription, a slow session.start() or a late participant link makes the agent start waiting late.',
    evidence: 'WARNING "pre-connect audio buffer is too old" (log.preconnect.too-old, with delta_time).',
    fix: 'Stream the buffer until the agent subscribes to the microphone (like the JS SDK) instead of sending a snapshot, and start the session early so the agent subscribes promptly.',
    detail: (d) =>
      `The agent dropped the buffer as too old${d.deltaS !== undefined ? `: it had been complete for ${d.deltaS.toFixed(2)} s (limit 1.0 s)` : ''}.${d.snapshot ? ' The client sent a one-shot snapshot, which finishes before the agent subscribes.' : ''}`,
  }),
  notCompletedInTime: defineCode<NotCompletedData>({
    code: 'preconnect/not-completed-in-time',
    severity: 'error',
    title: 'The buffer stream was not finished within 3 s',
    cause:
      'The agent gives a stream 3 s from its header to finish (pre_connect_audio_timeout); a client that keeps writing until the agent subscribes, when the subscription comes late, misses it and the buffer is discarded.',
    evidence:
      'WARNING "pre-connect audio received but not completed in time" (log.preconnect.not-completed); client.preconnect.opened → closed longer than 3 s.',
    fix: 'Close the stream within 3 s of opening it; make the agent subscribe sooner; raise pre_connect_audio_timeout if the client cannot.',
    detail: (d) =>
      d.via === 'logged'
        ? `The agent logged "pre-connect audio received but not completed in time"${d.heldMs !== undefined ? `: the client kept the stream open ${sec(d.heldMs)}` : ''} (limit ${sec(PRECONNECT_TIMEOUT_MS)} from the header).`
        : `The client kept the buffer stream open ${sec(d.heldMs)}${d.closedOn ? ` (closed on ${d.closedOn})` : ''}; the agent discards a stream not finished ${sec(PRECONNECT_TIMEOUT_MS)} after its header. ${d.log ? '' : NO_LOG}`.trim(),
  }),
  timeoutWaiting: defineCode<TimeoutWaitingData>({
    code: 'preconnect/timeout-waiting',
    severity: 'error',
    title: 'The agent waited 3 s for a buffer that never came',
    cause:
      'The microphone advertises TF_PRECONNECT_BUFFER, so the agent waited for a buffer for that track SID, and none completed: not sent, sent with a wrong or empty trackId, dropped for lack of a handler, or too slow. Live audio queued behind the wait and arrives 3 s late in a burst. It also happens on every re-subscription of a flagged track.',
    evidence: 'WARNING "timeout waiting for pre-connect audio buffer" (log.preconnect.timeout).',
    fix: 'Fix the cause named by the other preconnect/* findings; if the client does not send a buffer, do not set the flag.',
    detail: (d) =>
      `The agent waited ${sec(PRECONNECT_TIMEOUT_MS)} for the buffer ${d.times}× and gave up: ${d.causes.map(waitCauseText).join('; ')}. Live audio queued meanwhile and reached the model late.`,
  }),
  interruptedByLiveAudio: defineCode<InterruptedData>({
    code: 'preconnect/interrupted-by-live-audio',
    severity: 'error',
    title: 'The reply to the buffered words was cancelled when live speech reached the model',
    cause:
      'The buffer is replayed to the model in a burst; the model starts answering it, then the live audio that follows (the user still talking, or audio duplicated at the seam between buffer and live track) starts a new speech turn, and VAD cancels the reply (server turn_detected, or LiveKit sending response.cancel on input speech).',
    evidence:
      "log.preconnect.pushed / received (or the client's buffer), then a response created, then input_audio_buffer.speech_started or the user state turning to speaking, then response.cancel or a response cancelled with turn_detected.",
    fix: 'Close the buffer exactly at the live-audio seam (no duplicated audio), or make the first reply wait for the end of the user\'s turn: turn_detection interrupt_response=False for the first turn, or a larger silence_duration_ms / semantic VAD eagerness "low".',
    detail: (d) => {
      const live = d.liveAfterMs;
      const parts = [
        `The buffer reached the agent (${d.anchorKind}) at +0 ms.`,
        d.createdAfterMs !== undefined ? `A response to it was created at +${ms(d.createdAfterMs)}.` : '',
        live !== undefined ? `Live audio started on the track ${live >= 0 ? `at +${ms(live)}` : `${ms(-live)} before that`}.` : '',
        `The user was detected speaking again at +${ms(d.speechAfterMs)} (${d.speechKind}), and the reply was cancelled ${ms(d.gapMs)} later (${d.how === 'client-cancel' ? 'the agent sent response.cancel' : d.how === 'turn-detected' ? 'server VAD, turn_detected' : 'assistant item interrupted'}).`,
        d.audioBefore ? '' : 'None of the reply had been produced: the user got no answer to the buffered words.',
      ];
      return parts.filter(Boolean).join(' ');
    },
  }),
  lostFirstWords: defineCode<LostFirstWordsData>({
    code: 'preconnect/lost-first-words',
    severity: 'error',
    title: "The user's first words were spoken before the agent listened, and no pre-connect buffer carried them",
    cause:
      'The user published a microphone (and could speak) before the agent was ACTIVE, and no pre-connect buffer reached the agent: no TF_PRECONNECT_BUFFER on the track, the flag without a stream, or a stream sent to another agent. Everything said in that window never reached the model; the agent answers a sentence that starts in the middle.',
    evidence:
      'room.track.published / client.track.published (microphone) before room.participant.active / client.agent.active (kind agent), with no log.preconnect.pushed; the flag in the features; client.preconnect.opened and its destination.',
    fix: `Send the pre-connect buffer. ${SDK_FIXES}.`,
    detail: (d) =>
      d.why.kind === 'unconfirmed'
        ? `${d.user} published its microphone ${d.trackSid} ${sec(d.lostMs)} before the agent ${d.agent} was ACTIVE; unconfirmed whether those ${sec(d.lostMs)} reached it: ${lostWhyText(d.why)}.`
        : `${d.user} published its microphone ${d.trackSid} ${sec(d.lostMs)} before the agent ${d.agent} was ACTIVE, and up to ${sec(d.lostMs)} of speech could not have been heard: ${lostWhyText(d.why)}.`,
    fixFor: (d) =>
      d.why.kind === 'no-flag'
        ? `Publish the microphone with the pre-connect buffer on. ${SDK_FIXES}.`
        : d.why.kind === 'unreadable'
          ? `The agent could not read the stream. "read length exceeded total length specified in stream header" is a header whose total_length is 0 (livekit-client < ${JS_CLIENT_TOTAL_LENGTH} wrote totalLength 0 for a stream of unknown size): upgrade the client (JS: ${atLeast(JS_CLIENT_TOTAL_LENGTH)}, then ${JS_FIX}). Otherwise check the mime type and attributes against the bytes.`
          : d.why.kind === 'wrong-agent'
            ? 'Send the buffer to the agent that listens: skip participants with the lk.publish_on_behalf attribute (avatar workers), as client-sdk-swift does; livekit-client sends to the first ACTIVE agent, avatar or not.'
            : undefined,
  }),
};
