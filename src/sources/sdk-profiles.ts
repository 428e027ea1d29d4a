/**
 * What each LiveKit client SDK puts in the pre-connect buffer (`send-preconnect --as`), read from their sources:
 * - JS (livekit-client 2.21.0, src/room/track/LocalTrack.ts 651-683, src/room/participant/LocalParticipant.ts
 *   1369-1417): MediaRecorder `audio/webm;codecs=opus` (fallback `video/mp4`), `start(100)` → one write per 100 ms
 *   blob, attributes sampleRate = the track's settings (48000) and channels 1; the stream closes when the recorder
 *   stops (the agent subscribed, or 10 s).
 * - Swift (client-sdk-swift 2.16.0, Sources/LiveKit/Core/PreConnectAudioBuffer.swift 29-31, 84-90, 182-203;
 *   LocalAudioTrackRecorder.swift 36): PCM Int16 resampled to 24 kHz, mono, no mimeType (StreamByteOptions' default
 *   application/octet-stream), one write per recorder buffer, closed when the agent subscribed (stopRecording).
 * - Android (client-sdk-android 2.27.0, audio/PreconnectAudioBuffer.kt 67-68, 130-160, 240-260): PCM16 at the
 *   audio device's rate (48000), mono, default mime application/octet-stream, name "preconnect-audio-buffer";
 *   recording stops when an ACTIVE agent is seen and the whole buffer goes in ONE write (totalSize set).
 */
import { PCM_MIME_TYPE } from '../protocol/preconnect.js';
import type { AgentPick } from './synthetic-user.js';

export type SdkName = 'js' | 'swift' | 'android';
export const SDK_NAMES: readonly SdkName[] = ['js', 'swift', 'android'];

export interface SdkProfile {
  sdk: SdkName;
  /** The stream's name as that SDK sets it ('' = none: Swift passes no name, OutgoingStreamManager.swift 105-115). */
  name: string;
  mimeType: string;
  /** The rate the SDK records the buffer at, and the sampleRate attribute it sends. */
  sampleRate: number;
  channels: 1;
  /** stream: written as recorded until the agent subscribes; snapshot: recording stops, one write. */
  mode: 'stream' | 'snapshot';
  /** encoded: the SDK sends a container (WebM), which lkdiag cannot encode: it needs a pre-encoded file. */
  payload: 'encoded' | 'pcm';
  /** ms of recording per write (JS: the MediaRecorder timeslice; Swift: a 10 ms capture buffer); 0 = one write. */
  sliceMs: number;
  /** Which ACTIVE agent it sends to (JS: the last to become ACTIVE, avatars included; Swift skips avatars; Android does not). */
  target: AgentPick;
}

export const SDK_PROFILES: Record<SdkName, SdkProfile> = {
  js: {
    sdk: 'js',
    name: 'preconnect-buffer',
    mimeType: 'audio/webm;codecs=opus',
    sampleRate: 48000,
    channels: 1,
    mode: 'stream',
    payload: 'encoded',
    sliceMs: 100,
    target: 'last-active',
  },
  swift: {
    sdk: 'swift',
    name: '',
    mimeType: PCM_MIME_TYPE,
    sampleRate: 24000,
    channels: 1,
    mode: 'stream',
    payload: 'pcm',
    sliceMs: 10,
    target: 'first-non-avatar',
  },
  android: {
    sdk: 'android',
    name: 'preconnect-audio-buffer',
    mimeType: PCM_MIME_TYPE,
    sampleRate: 48000,
    channels: 1,
    mode: 'snapshot',
    payload: 'pcm',
    sliceMs: 0,
    target: 'first-active',
  },
};

/** The mime type a pre-encoded buffer file stands for, by its extension (what the recorder that made it labels it). */
export function mimeOfFile(file: string): string | undefined {
  const ext = file.toLowerCase().split('.').pop();
  return ext === 'webm' ? 'audio/webm;codecs=opus' : ext === 'mp4' || ext === 'm4a' ? 'video/mp4' : ext === 'ogg' ? 'audio/ogg;codecs=opus' : undefined;
}

/**
 * What the synthetic user writes instead of its raw PCM: it is told of the PCM as it is recorded (push) and
 * returns the writes the SDK would make for it; end() is the last write when the recording stops.
 */
export interface BufferPayload {
  name: string;
  mimeType: string;
  push(pcm: Uint8Array): Uint8Array[];
  end(): Uint8Array[];
}

/** PCM as an SDK writes it: in slices of `sliceBytes` (0 = everything in one write at the end). */
export function pcmPayload(name: string, mimeType: string, sliceBytes: number): BufferPayload {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const take = (n: number): Uint8Array => {
    const all = concat(pending, pendingBytes);
    pending = n < all.length ? [all.subarray(n)] : [];
    pendingBytes = all.length - Math.min(n, all.length);
    return all.subarray(0, n);
  };
  return {
    name,
    mimeType,
    push(pcm) {
      pending.push(pcm);
      pendingBytes += pcm.length;
      const out: Uint8Array[] = [];
      while (sliceBytes > 0 && pendingBytes >= sliceBytes) out.push(take(sliceBytes));
      return out;
    },
    end() {
      return pendingBytes > 0 ? [take(pendingBytes)] : [];
    },
  };
}

/**
 * A pre-encoded recording (the real MediaRecorder output for the WAV) released as the recorder would: one
 * blob per `sliceMs` of recorded audio, the file's bytes in proportion to the time recorded (a recorder's
 * blobs are not equal in size: the first carries the container header; the proportion is an approximation),
 * and on stop whatever the time recorded so far covers.
 */
export function encodedPayload(name: string, mimeType: string, file: Uint8Array, durationMs: number, bytesPerMs: number, sliceMs: number): BufferPayload {
  const slices = Math.max(1, Math.ceil(durationMs / sliceMs));
  const edge = (i: number) => Math.floor((Math.min(i, slices) * file.length) / slices);
  let recordedMs = 0;
  let released = 0; // slices released
  let sentBytes = 0;
  const upTo = (end: number): Uint8Array[] => {
    if (end <= sentBytes) return [];
    const chunk = file.subarray(sentBytes, end);
    sentBytes = end;
    return [chunk];
  };
  return {
    name,
    mimeType,
    push(pcm) {
      recordedMs += pcm.length / bytesPerMs;
      const out: Uint8Array[] = [];
      while (released < slices && (released + 1) * sliceMs <= recordedMs) out.push(...upTo(edge(++released)));
      return out;
    },
    end() {
      return upTo(recordedMs >= durationMs ? file.length : Math.floor((Math.min(recordedMs, durationMs) / durationMs) * file.length));
    },
  };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
