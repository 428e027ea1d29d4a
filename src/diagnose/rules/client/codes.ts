/**
 * client/*: what `lkdiag mock-agent`, standing in for a livekit-agents agent, found wrong with a
 * client's pre-connect buffer. The contract is livekit-agents 1.8.9's (voice/room_io/_pre_connect_audio.py,
 * _input.py) and what livekit-client 2.x sends (LocalParticipant.ts:1394-1410 at client-sdk-js 9380ed7a).
 */
import { AGENT_BUFFER_MAX_AGE_MS, AGENT_BUFFER_TIMEOUT_MS, PRECONNECT_TOPIC } from '../../../protocol/preconnect.js';
import { defineCode } from '../kit.js';

const SDK_FIX =
  'livekit-client: `new Room({ audioCaptureDefaults: …, publishDefaults: { preConnectBuffer: true } })` then `setMicrophoneEnabled(true)` (since 2.15.4 the `preConnectBuffer` publish option of `setMicrophoneEnabled` is ignored); Swift: `withPreConnectAudio`; Android: `withPreconnectAudio`; Python rtc: `TrackPublishOptions(preconnect_buffer=True)` and `stream_bytes` to the ACTIVE agent.';
const injectedNote = (injected: string | undefined) => (injected ? ` (the mock agent's --fault ${injected} caused it: expected)` : '');

export interface NoClientData {
  boundMs: number;
}
export interface NoStreamData {
  trackSid: string;
  flagged: boolean;
  waitedMs: number;
  injected?: string;
}
export interface FlagData {
  trackSid: string;
}
export interface DestinationData {
  receiver: string;
  agent: string;
}
export interface DroppedData {
  fault: 'no-handler' | 'handler-late';
}
export interface TrackIdData {
  trackId: string | null;
  micSid: string;
}
export interface AttributesData {
  problems: string[];
}
export interface MimeData {
  mimeType: string;
  reads: 'opus' | 'pcm';
  format: string;
}
export interface LateData {
  openMs: number;
  completed: boolean;
}
export interface StaleData {
  sinceHeaderMs: number;
}
export interface SeamData {
  offsetMs: number;
  correlation: number;
  maxGapMs: number;
}
export interface SilentData {
  durationMs: number;
  peakDbfs: number | null;
}
export interface OkData {
  format: string;
  durationMs: number | null;
  speechMs: number | null;
  openMs: number;
  seamMs: number | null;
}

export interface NoJobData {
  agentName: string | null;
  boundMs: number;
}

export const CLIENT = {
  noJob: defineCode<NoJobData>({
    code: 'client/no-job',
    severity: 'error',
    exit: 4,
    title: 'No job was dispatched to the mock agent',
    cause:
      'The mock agent registered as an agent worker, but the server assigned it no job within the bound: nothing dispatched this agent name to a room (or only to other rooms than --room).',
    evidence: 'mockagent.worker.registered and mockagent.timeout (job).',
    fix: "Dispatch the agent name from the client's token (RoomConfiguration agents) or with the AgentDispatch API, or pass --room to join a room directly.",
    detail: (d) => `No job for ${d.agentName ? `agent ${JSON.stringify(d.agentName)}` : 'the worker'} within ${(d.boundMs / 1000).toFixed(0)} s.`,
  }),
  noClient: defineCode<NoClientData>({
    code: 'client/no-client',
    severity: 'error',
    exit: 4,
    title: 'No client published a microphone',
    cause: 'The mock agent was ACTIVE in the room, but no participant published a microphone track within the bound.',
    evidence: 'mockagent.state listening and mockagent.timeout (client-mic), no mockagent.mic.published.',
    fix: 'Start the client against the same room (and server) after the mock agent is listening, or raise --timeout.',
    detail: (d) => `No client microphone appeared within ${(d.boundMs / 1000).toFixed(0)} s of the mock agent listening.`,
  }),
  noStream: defineCode<NoStreamData>({
    code: 'client/no-stream',
    severity: 'error',
    title: 'The client sent no pre-connect buffer',
    cause:
      'The microphone was published without TF_PRECONNECT_BUFFER and no stream arrived: whatever the user said before the agent was ACTIVE never reached it. livekit-client ≥ 2.15.4 ignores `setMicrophoneEnabled(true, undefined, { preConnectBuffer: true })`.',
    evidence: 'mockagent.mic.published without the flag, and no mockagent.stream.opened.',
    fix: SDK_FIX,
    detail: (d) =>
      `Microphone ${d.trackSid} was published ${d.flagged ? 'with' : 'without'} TF_PRECONNECT_BUFFER and no stream arrived within ${(d.waitedMs / 1000).toFixed(1)} s${injectedNote(d.injected)}.`,
  }),
  flagWithoutStream: defineCode<NoStreamData>({
    code: 'client/flag-without-stream',
    severity: 'error',
    title: 'The microphone carries TF_PRECONNECT_BUFFER, but no buffer arrived',
    cause: `livekit-agents waits ${AGENT_BUFFER_TIMEOUT_MS / 1000} s for a buffer on a flagged microphone (_input.py), then logs "timeout waiting for pre-connect audio buffer": the user's first words are lost and every turn starts 3 s late.`,
    evidence: 'mockagent.mic.published with the flag, mockagent.wait.started, no mockagent.stream.opened.',
    fix: `Send the buffer on ${PRECONNECT_TOPIC} to the ACTIVE agent once it is ACTIVE (kind AGENT, participant state ACTIVE), or do not set the flag.`,
    detail: (d) => `Microphone ${d.trackSid} advertises a buffer, and none arrived within ${(d.waitedMs / 1000).toFixed(1)} s${injectedNote(d.injected)}.`,
  }),
  streamWithoutFlag: defineCode<FlagData>({
    code: 'client/stream-without-flag',
    severity: 'error',
    title: 'A buffer arrived for a microphone published without TF_PRECONNECT_BUFFER',
    cause:
      'livekit-agents only uses a buffer for a track that advertises it (_input.py, TF_PRECONNECT_BUFFER in publication.audio_features): this one is decoded, stored, and never played to the model.',
    evidence: 'mockagent.mic.published without the flag, mockagent.stream.opened for it.',
    fix: `Publish the microphone with the pre-connect option. ${SDK_FIX}`,
    detail: (d) => `The buffer for ${d.trackSid} arrived, but the microphone was published without TF_PRECONNECT_BUFFER: the agent ignores it.`,
  }),
  wrongDestination: defineCode<DestinationData>({
    code: 'client/wrong-destination',
    severity: 'error',
    title: 'The buffer went to an avatar worker, not to the agent',
    cause:
      'The client sent the buffer to the first ACTIVE participant of kind AGENT, which was an avatar worker (it carries lk.publish_on_behalf). livekit-client 2.x does this (Room.ts:2490-2493 setActiveAgent takes every ACTIVE agent); the Swift SDK skips avatars.',
    evidence: 'mockagent.stream.opened with receiverRole avatar.',
    fix: 'Send to the ACTIVE agent without the lk.publish_on_behalf attribute (the one the avatar publishes on behalf of).',
    detail: (d) => `The buffer was addressed to the avatar worker ${d.receiver}; the agent ${d.agent} never saw it.`,
  }),
  droppedByAgent: defineCode<DroppedData>({
    code: 'client/dropped-by-agent',
    severity: 'warning',
    title: 'The agent had no handler for the buffer (injected agent-side fault)',
    cause:
      'An agent that registers its byte-stream handler late (ctx.connect() before session.start()), or not at all (agents-js, pre_connect_audio=False), drops the stream: the client did its part, the words are still lost.',
    evidence: 'mockagent.fault and mockagent.stream.opened with dropped.',
    fix: 'Nothing on the client side; on the agent side, start the AgentSession before ctx.connect() and keep pre_connect_audio on.',
    detail: (d) => `The mock agent dropped the buffer on purpose (--fault ${d.fault}); a real agent with that fault loses it too.`,
  }),
  missingTrackId: defineCode<TrackIdData>({
    code: 'client/missing-track-id',
    severity: 'error',
    title: 'The buffer has no trackId attribute',
    cause:
      'livekit-agents drops a buffer without trackId ("pre-connect audio received but no trackId"). The Swift SDK before 2.16.0 and the Android SDK can send it before the microphone has its SID (an empty trackId).',
    evidence: 'mockagent.stream.opened with attributes.trackId missing or empty.',
    fix: "Send after the microphone is published and set trackId to the publication's server SID (TR_…); Swift: upgrade to ≥ 2.16.0.",
    detail: (d) => `trackId is ${d.trackId === null ? 'missing' : 'empty'}; the microphone's SID is ${d.micSid}.`,
  }),
  trackIdMismatch: defineCode<TrackIdData>({
    code: 'client/track-id-mismatch',
    severity: 'error',
    title: "The buffer's trackId is not the microphone's SID",
    cause:
      "livekit-agents looks the buffer up by the subscribed microphone's SID: a buffer filed under another id (a client-side MediaStreamTrack id, an old SID) is never found.",
    evidence: 'mockagent.stream.opened attributes.trackId against mockagent.mic.published trackSid.',
    fix: "Use the publication's server SID (publication.trackSid / sid), not a local track id.",
    detail: (d) => `trackId ${JSON.stringify(d.trackId)} is not the microphone's SID ${d.micSid}.`,
  }),
  badAttributes: defineCode<AttributesData>({
    code: 'client/bad-attributes',
    severity: 'error',
    title: 'sampleRate or channels are missing or wrong',
    cause:
      'livekit-agents applies int() to sampleRate and channels (a missing or non-integer one is "error reading pre-connect audio buffer") and reads the bytes at that rate; it resamples the buffer as mono, so two channels garble it.',
    evidence: 'mockagent.stream.opened attributes and mockagent.stream.checked.',
    fix: 'Set sampleRate to the rate of the bytes as a decimal string (e.g. "48000") and channels to "1".',
    detail: (d) => d.problems.join('; '),
  }),
  mimeMismatch: defineCode<MimeData>({
    code: 'client/mime-mismatch',
    severity: 'error',
    title: 'The mime type does not describe the bytes',
    cause:
      "livekit-agents decides from the mime type alone: `audio/opus` or `…codecs=opus` is decoded as containerised Opus, anything else is read as raw s16le PCM. Safari's MediaRecorder falls back to `video/mp4`, whose compressed bytes the agent then plays as noise; raw PCM labelled Opus fails to decode.",
    evidence: 'mockagent.stream.opened mimeType against mockagent.stream.checked format.',
    fix: 'Label WebM/Ogg Opus as `audio/webm;codecs=opus` / `audio/ogg;codecs=opus`, raw PCM as `application/octet-stream`; on Safari record PCM (an AudioWorklet) instead of MP4/AAC.',
    detail: (d) =>
      `The mime type ${JSON.stringify(d.mimeType)} makes the agent read ${d.reads === 'pcm' ? 'raw PCM' : 'Opus'}, but the bytes are ${d.format === 'raw' ? 'raw (no container)' : `a ${d.format} container`}.`,
  }),
  notCompletedInTime: defineCode<LateData>({
    code: 'client/not-completed-in-time',
    severity: 'error',
    title: `The buffer did not complete within ${AGENT_BUFFER_TIMEOUT_MS / 1000} s of its header`,
    cause: `livekit-agents cancels a stream still open ${AGENT_BUFFER_TIMEOUT_MS / 1000} s after its header ("pre-connect audio received but not completed in time").`,
    evidence: 'mockagent.stream.opened and mockagent.stream.closed (openMs).',
    fix: 'Close the stream when the agent subscribes to the microphone (LocalTrackSubscribed), and never later than ~2.5 s after opening it.',
    detail: (d) => (d.completed ? `The stream took ${(d.openMs / 1000).toFixed(2)} s.` : `The stream was still open after ${(d.openMs / 1000).toFixed(2)} s.`),
  }),
  staleBuffer: defineCode<StaleData>({
    code: 'client/stale-buffer',
    severity: 'error',
    title: `The buffer was older than ${AGENT_BUFFER_MAX_AGE_MS / 1000} s when the agent started waiting for it`,
    cause: `livekit-agents stamps a buffer with the time its header arrived and discards it ("pre-connect audio buffer is too old") when it is complete and more than ${AGENT_BUFFER_MAX_AGE_MS / 1000} s old at subscription.`,
    evidence: 'mockagent.stream.opened, mockagent.stream.closed and mockagent.wait.started (bufferComplete, sinceHeaderMs).',
    fix: 'Keep the stream open until the agent subscribes to the microphone (the JS SDK does), instead of sending one snapshot early.',
    detail: (d) => `The buffer was complete and ${(d.sinceHeaderMs / 1000).toFixed(2)} s old when the agent subscribed.`,
  }),
  seamGap: defineCode<SeamData>({
    code: 'client/seam-gap',
    severity: 'warning',
    title: 'Audio is missing between the buffer and the live track',
    cause: 'The client stopped recording into the buffer before its live audio reached the agent: the words in between are lost.',
    evidence: 'mockagent.seam (offsetMs > 0).',
    fix: 'Keep writing the buffer until the agent has subscribed to the microphone (LocalTrackSubscribed), then close it.',
    detail: (d) => `${d.offsetMs} ms of audio is in neither the buffer nor the live track (more than ${d.maxGapMs} ms; correlation ${d.correlation}).`,
  }),
  silentBuffer: defineCode<SilentData>({
    code: 'client/silent-buffer',
    severity: 'warning',
    title: 'The buffer holds no speech',
    cause:
      'The buffer decoded, but no 20 ms frame in it reached speech level: a muted or wrong input, a recorder started after the user spoke, or bytes read in the wrong format.',
    evidence: 'mockagent.stream.checked (speechMs 0).',
    fix: 'Start recording when the user can start speaking (before connecting) from the microphone the app really uses.',
    detail: (d) => `${d.durationMs} ms of audio, loudest frame ${d.peakDbfs ?? 'n/a'} dBFS.`,
  }),
  bufferOk: defineCode<OkData>({
    code: 'client/buffer-ok',
    severity: 'info',
    title: 'The pre-connect buffer passed every check',
    cause: 'Topic, destination, attributes, mime type and bytes, completion within 3 s and freshness all match what livekit-agents accepts.',
    evidence: 'mockagent.stream.opened, mockagent.stream.checked, mockagent.stream.closed, mockagent.seam.',
    fix: 'Nothing to fix.',
    detail: (d) =>
      `${d.format} buffer, ${d.durationMs ?? '?'} ms of audio (${d.speechMs ?? '?'} ms of speech), complete ${d.openMs} ms after its header; seam ${d.seamMs === null ? 'not measured' : `${d.seamMs > 0 ? '+' : ''}${d.seamMs} ms`}.`,
  }),
};
