/**
 * Energy VAD standing in for the API's server_vad / semantic_vad.
 *
 * Works on 10 ms frames of the input stream. A frame is "voiced" when its RMS level is
 * above a threshold derived from `threshold` (0.5 → −40 dBFS; 0 → −60; 1 → −20).
 * Speech starts after {@link START_VOICED_MS} of voiced frames within a short window;
 * `audio_start_ms` is the onset minus `prefix_padding_ms` (the API's value includes the
 * padding). Speech stops after `silence_duration_ms` of unvoiced frames; `audio_end_ms`
 * includes that silence, as the API's does. semantic_vad uses a fixed silence per
 * eagerness (low 800, medium/auto 500, high 250 ms).
 */
import { rmsDbfs } from '../audio/pcm.js';
import type { TurnDetection } from './session.js';

export const FRAME_MS = 10;
const FRAME = 240; // 10 ms at 24 kHz
/** Voiced audio needed (within {@link START_WINDOW_MS}) before speech_started. */
export const START_VOICED_MS = 80;
const START_WINDOW_MS = 160;

export interface VadParams {
  thresholdDb: number;
  prefixPaddingMs: number;
  silenceMs: number;
}

export function vadParams(td: TurnDetection): VadParams {
  if (td.type === 'semantic_vad') {
    const silence = td.eagerness === 'low' ? 800 : td.eagerness === 'high' ? 250 : 500;
    return { thresholdDb: thresholdToDb(0.5), prefixPaddingMs: 300, silenceMs: silence };
  }
  return {
    thresholdDb: thresholdToDb(td.threshold ?? 0.5),
    prefixPaddingMs: td.prefix_padding_ms ?? 300,
    silenceMs: td.silence_duration_ms ?? 500,
  };
}

export function thresholdToDb(threshold: number): number {
  const t = Math.min(1, Math.max(0, threshold));
  return -60 + 40 * t;
}

export type VadEvent = { kind: 'start'; audioStartMs: number; onsetMs: number } | { kind: 'stop'; audioEndMs: number };

/**
 * Feed samples with {@link push}; it reports starts and stops in stream time
 * (ms since the first sample ever pushed).
 */
export class EnergyVad {
  private pending = new Int16Array(0);
  private framesSeen = 0;
  private speaking = false;
  private recent: boolean[] = [];
  private silentFrames = 0;
  /** Lower bound for audio_start_ms (e.g. the start of the current input buffer). */
  floorMs = 0;

  constructor(private params: VadParams) {}

  get inSpeech(): boolean {
    return this.speaking;
  }

  setParams(p: VadParams): void {
    this.params = p;
  }

  /** Forget any speech in progress (buffer cleared or committed by the client). */
  reset(floorMs: number): void {
    this.speaking = false;
    this.recent = [];
    this.silentFrames = 0;
    this.floorMs = floorMs;
  }

  push(samples: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    const all = new Int16Array(this.pending.length + samples.length);
    all.set(this.pending);
    all.set(samples, this.pending.length);
    let i = 0;
    for (; i + FRAME <= all.length; i += FRAME) {
      const ev = this.frame(rmsDbfs(all, i, i + FRAME) > this.params.thresholdDb);
      if (ev) events.push(ev);
    }
    this.pending = all.slice(i);
    return events;
  }

  private frame(voiced: boolean): VadEvent | null {
    const startMs = this.framesSeen * FRAME_MS;
    this.framesSeen++;
    const endMs = startMs + FRAME_MS;
    const windowFrames = START_WINDOW_MS / FRAME_MS;
    this.recent.push(voiced);
    if (this.recent.length > windowFrames) this.recent.shift();
    if (!this.speaking) {
      const voicedCount = this.recent.filter(Boolean).length;
      if (voiced && voicedCount * FRAME_MS >= START_VOICED_MS) {
        this.speaking = true;
        this.silentFrames = 0;
        const firstVoiced = this.recent.indexOf(true);
        const onsetMs = endMs - (this.recent.length - firstVoiced) * FRAME_MS;
        const audioStartMs = Math.max(this.floorMs, onsetMs - this.params.prefixPaddingMs);
        return { kind: 'start', audioStartMs, onsetMs };
      }
      return null;
    }
    if (voiced) {
      this.silentFrames = 0;
      return null;
    }
    this.silentFrames++;
    if (this.silentFrames * FRAME_MS >= this.params.silenceMs) {
      this.speaking = false;
      this.recent = [];
      this.silentFrames = 0;
      return { kind: 'stop', audioEndMs: endMs };
    }
    return null;
  }
}
