/**
 * What a pre-connect buffer's bytes are, and what they hold. The mime type is the client's claim;
 * the first bytes say what was really sent (a recorder's container, or raw PCM), and livekit-agents
 * decides only from the mime type (voice/room_io/_pre_connect_audio.py in 1.8.9, lines 119-125: Opus
 * when it is `audio/opus` or contains `codecs=opus`, raw s16le PCM otherwise).
 */
import type { SniffedFormat } from '../events/mock-agent.js';
import { bytesToPcm16, frameEnergies } from './pcm.js';

/** How livekit-agents reads a mime type: containerised Opus, or raw PCM s16le. */
export function agentReadsMimeAs(mimeType: string): 'opus' | 'pcm' {
  return mimeType === 'audio/opus' || mimeType.includes('codecs=opus') ? 'opus' : 'pcm';
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The container the bytes start with: EBML (WebM/Matroska, `1a45dfa3`), Ogg (`OggS`), ISO BMFF
 * (MP4, `ftyp` at offset 4, as Safari's MediaRecorder writes), RIFF/WAVE; anything else is `raw`.
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'webm';
  if (startsWith(bytes, ascii('OggS'))) return 'ogg';
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'mp4';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WAVE'), 8)) return 'wav';
  return 'raw';
}

/** Speech threshold for one 20 ms frame, dBFS (quiet speech sits around −40; room noise below −55). */
export const SPEECH_DBFS = -45;
const FRAME_MS = 20;

export interface PcmAnalysis {
  durationMs: number;
  speechMs: number;
  peakDbfs: number;
  /** A trailing partial sample frame that livekit-agents' AudioByteStream drops at flush. */
  trailingBytes: number;
}

/** Duration and speech of raw s16le PCM as the agent would read it (first channel of interleaved audio). */
export function analysePcm(bytes: Uint8Array, sampleRate: number, channels: number): PcmAnalysis {
  const frameBytes = 2 * Math.max(1, channels);
  const whole = bytes.length - (bytes.length % frameBytes);
  const all = bytesToPcm16(bytes.subarray(0, whole));
  const mono = channels > 1 ? firstChannel(all, channels) : all;
  return { ...analyseSamples(mono, sampleRate), trailingBytes: bytes.length - whole };
}

/** Duration and speech of mono samples. */
export function analyseSamples(mono: Int16Array, sampleRate: number): Omit<PcmAnalysis, 'trailingBytes'> {
  const energies = frameEnergies(mono, sampleRate, FRAME_MS);
  const peak = energies.reduce((m, e) => Math.max(m, e), -100);
  return {
    durationMs: Math.round((mono.length / sampleRate) * 1000),
    speechMs: energies.filter((e) => e > SPEECH_DBFS).length * FRAME_MS,
    peakDbfs: Math.round(peak * 10) / 10,
  };
}

function firstChannel(interleaved: Int16Array, channels: number): Int16Array {
  const out = new Int16Array(Math.floor(interleaved.length / channels));
  for (let i = 0; i < out.length; i++) out[i] = interleaved[i * channels]!;
  return out;
}

/** Concatenates byte chunks. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
