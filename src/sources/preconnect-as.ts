/** `send-preconnect --as/--mime/--buffer-file`: which bytes go in the buffer, checked before anything connects. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usageError } from '../errors.js';
import { type BufferPayload, encodedPayload, mimeOfFile, pcmPayload, SDK_PROFILES, type SdkName, type SdkProfile } from './sdk-profiles.js';

/** The real Chromium MediaRecorder recording of this WAV (fixtures/audio/encoded/README.md). */
const SPEECH_WAV = fileURLToPath(new URL('../../fixtures/audio/speech-48k-mono.wav', import.meta.url));
const SPEECH_WEBM = fileURLToPath(new URL('../../fixtures/audio/encoded/speech-mediarecorder.webm', import.meta.url));

export interface SendAsOptions {
  as?: SdkName;
  mime?: string;
  bufferFile?: string;
  stereo?: boolean;
}

export interface SendAsPlan {
  profile: SdkProfile;
  /** The file whose bytes the buffer carries (encoded payloads). */
  bufferFile?: string;
  mimeType: string;
  /** The PCM rate the WAV is recorded at for this SDK. */
  sampleRate: number;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What `--as` (default js with --buffer-file) sends, or a usage error for a combination no SDK makes. */
export function sendAsPlan(o: SendAsOptions, audio: string): SendAsPlan | undefined {
  if (!o.as && !o.bufferFile) {
    if (o.mime)
      throw usageError('--mime needs --as or --buffer-file', 'Say which SDK to send like (--as js|swift|android), or pass the bytes with --buffer-file FILE.');
    return undefined;
  }
  const profile = SDK_PROFILES[o.as ?? 'js'];
  if (o.stereo)
    throw usageError(`--stereo cannot be combined with --as ${profile.sdk}`, 'The SDKs record the buffer mono; use --stereo without --as (raw PCM).');
  if (profile.payload === 'pcm') {
    if (o.bufferFile)
      throw usageError(
        `--buffer-file cannot be used with --as ${profile.sdk}`,
        `The ${profile.sdk} SDK sends raw PCM from the microphone; use --as js for an encoded buffer file.`,
      );
    return { profile, mimeType: o.mime ?? profile.mimeType, sampleRate: profile.sampleRate };
  }
  let bufferFile = o.bufferFile;
  if (bufferFile && !existsSync(bufferFile))
    throw usageError(`--buffer-file ${bufferFile}: no such file`, 'Pass a WebM/Opus (or MP4) recording of the --audio WAV.');
  if (!bufferFile) {
    if (!existsSync(audio) || sha(audio) !== sha(SPEECH_WAV))
      throw usageError(
        `--as js needs a WebM/Opus recording of ${audio} (there is no Opus encoder here)`,
        'Pass one with --buffer-file FILE (e.g. a browser MediaRecorder recording), or use --audio fixtures/audio/speech-48k-mono.wav.',
      );
    bufferFile = SPEECH_WEBM;
  }
  const mimeType = o.mime ?? mimeOfFile(bufferFile);
  if (!mimeType) throw usageError(`--buffer-file ${bufferFile}: unknown container`, 'Name it .webm, .mp4 or .ogg, or say its type with --mime.');
  return { profile, bufferFile, mimeType, sampleRate: profile.sampleRate };
}

/** The payload the synthetic user writes for a plan; `bytesPerMs` is the recorded PCM's (rate × channels × 2 / 1000). */
export function payloadFor(plan: SendAsPlan, durationMs: number, bytesPerMs: number): BufferPayload {
  const p = plan.profile;
  if (plan.bufferFile) return encodedPayload(p.name, plan.mimeType, new Uint8Array(readFileSync(plan.bufferFile)), durationMs, bytesPerMs, p.sliceMs);
  return pcmPayload(p.name, plan.mimeType, Math.round(p.sliceMs * bytesPerMs));
}
