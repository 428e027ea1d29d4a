/**
 * The pre-connect audio buffer contract, as LiveKit's Python agent reads it
 * (livekit-agents voice/room_io/_pre_connect_audio.py) and the JS/Swift/Android SDKs send it.
 * See docs/preconnect.md.
 */
export const PRECONNECT_TOPIC = 'lk.agent.pre-connect-audio-buffer';
export const TRANSCRIPTION_TOPIC = 'lk.transcription';
export const AGENT_SESSION_TOPIC = 'lk.agent.session';
export const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';
/** Avatar workers carry this attribute; clients must not send the buffer to them. */
export const PUBLISH_ON_BEHALF_ATTRIBUTE = 'lk.publish_on_behalf';

/** livekit.AudioTrackFeature.TF_PRECONNECT_BUFFER (livekit_models.proto). */
export const TF_PRECONNECT_BUFFER = 6;
/** livekit.ParticipantInfo.State.ACTIVE — the same number in the FFI's ParticipantState. */
export const PARTICIPANT_STATE_ACTIVE = 2;

/** Client-side bound on waiting for an active agent (JS PRE_CONNECT_BUFFER_TIMEOUT, Swift, Android). */
export const CLIENT_AGENT_TIMEOUT_MS = 10_000;
/** Agent-side defaults: the buffer must complete within 3 s, and is dropped when older than 1 s. */
export const AGENT_BUFFER_TIMEOUT_MS = 3_000;
export const AGENT_BUFFER_MAX_AGE_MS = 1_000;

/** Raw PCM: anything that is not Opus is read as s16le interleaved. */
export const PCM_MIME_TYPE = 'application/octet-stream';

export interface PreconnectStreamParams {
  trackSid: string | undefined;
  sampleRate: number;
  channels: number;
  agentIdentity: string;
  /** Fault injection: leave trackId out. */
  omitTrackId?: boolean;
  /** Fault injection: claim a different sample rate than the PCM has. */
  claimedSampleRate?: number;
}

/** The exact options for LocalParticipant.streamBytes, as the SDKs send them. */
export function preconnectStreamOptions(p: PreconnectStreamParams): {
  name: string;
  topic: string;
  mimeType: string;
  destinationIdentities: string[];
  attributes: Record<string, string>;
} {
  const attributes: Record<string, string> = {
    sampleRate: String(p.claimedSampleRate ?? p.sampleRate),
    channels: String(p.channels),
  };
  if (!p.omitTrackId) attributes['trackId'] = p.trackSid ?? '';
  return {
    name: 'preconnect-buffer',
    topic: PRECONNECT_TOPIC,
    mimeType: PCM_MIME_TYPE,
    destinationIdentities: [p.agentIdentity],
    attributes,
  };
}

/** PCM16 samples as little-endian bytes (s16le interleaved), independent of host byte order. */
export function pcm16le(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/** Milliseconds of audio in a PCM16 byte count. */
export function pcmDurationMs(bytes: number, sampleRate: number, channels: number): number {
  return (bytes / 2 / channels / sampleRate) * 1000;
}
