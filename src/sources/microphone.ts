/**
 * The synthetic user's microphone: a WAV played at real-time pace in fixed frames, with the user's
 * pauses. Pure state (no timers, no I/O): the caller asks for the frames due at a time, and gets
 * views into the WAV's samples (no copies; rtc-node's AudioFrame needs its own buffer, see synthetic-user.ts), one shared silence frame while the user is waiting,
 * and one padded frame for the WAV's tail. Between two utterances the user can *wait* — for the
 * agent's answer, or a stated pause — and then go on: the script is driven by what happens, not by
 * fixed offsets, so it does not depend on how fast the agent joins.
 */

/** Frame length. 20 ms is what WebRTC clients capture; each frame is one FFI call in rtc-node. */
export const MIC_FRAME_MS = 20;

/** When the user says the next utterance. */
export type LiveMode =
  | { kind: 'continuous' } // the WAV plays straight through from t=0 (the timing-sensitive scripts)
  | { kind: 'after-answer' } // after each utterance, wait until the agent has answered it
  | { kind: 'pause'; ms: number }; // after each utterance, wait this long (and until the buffer was sent)

export function parseLiveMode(v: string): LiveMode | undefined {
  if (v === 'continuous') return { kind: 'continuous' };
  if (v === 'after-answer') return { kind: 'after-answer' };
  const m = /^pause:(\d{1,6})$/.exec(v);
  return m ? { kind: 'pause', ms: Number(m[1]) } : undefined;
}

export const liveModeName = (m: LiveMode): string => (m.kind === 'pause' ? `pause:${m.ms}` : m.kind);

export interface MicFrame {
  /** Interleaved PCM16 for one frame (a view: do not modify). */
  samples: Int16Array;
  /** True while the user is silent between utterances or after the WAV. */
  silent: boolean;
}

export class Microphone {
  readonly frameSamples: number;
  private readonly frameLen: number;
  private readonly silence: Int16Array;
  private readonly stops: number[];
  private cursor = 0; // samples per channel into the WAV
  private produced = 0; // frames handed out since start
  private waiting = false;
  private t0 = 0;

  /**
   * @param boundaries sample offsets (per channel) where one utterance ends and the next begins: the
   *   user stops there and waits until {@link resume} (none: the WAV plays straight through).
   */
  constructor(
    private readonly pcm: Int16Array,
    readonly sampleRate: number,
    readonly channels: number,
    boundaries: readonly number[] = [],
  ) {
    this.frameSamples = Math.round((sampleRate * MIC_FRAME_MS) / 1000);
    this.frameLen = this.frameSamples * channels;
    this.silence = new Int16Array(this.frameLen);
    const total = pcm.length / channels;
    this.stops = [...new Set(boundaries.map((b) => Math.round(b)))].filter((b) => b > 0 && b < total).sort((a, b) => a - b);
  }

  start(t0: number): void {
    this.t0 = t0;
  }

  /** Samples per channel in the WAV. */
  get totalSamples(): number {
    return this.pcm.length / this.channels;
  }

  /** Where the user is in the WAV (ms): what has been said so far. */
  get spokenMs(): number {
    return Math.round((this.cursor / this.sampleRate) * 1000);
  }

  /** Time since the user started (ms) of the frames handed out so far: the microphone clock. */
  get clockMs(): number {
    return this.produced * MIC_FRAME_MS;
  }

  get isWaiting(): boolean {
    return this.waiting;
  }

  get finished(): boolean {
    return this.cursor >= this.totalSamples;
  }

  /** The user goes on with the next utterance. */
  resume(): void {
    this.waiting = false;
  }

  /**
   * The frames due at `at` (epoch ms), in order. `onEvent` is told when an utterance ends (the user
   * starts waiting, `last` false) and when the WAV ends (`last` true).
   */
  due(at: number, onEvent?: (e: { kind: 'utterance-ended' | 'audio-ended'; clockMs: number; spokenMs: number }) => void): MicFrame[] {
    const target = Math.floor((at - this.t0) / MIC_FRAME_MS);
    const out: MicFrame[] = [];
    while (this.produced < target) {
      out.push(this.next(onEvent));
      this.produced += 1;
    }
    return out;
  }

  private next(onEvent?: (e: { kind: 'utterance-ended' | 'audio-ended'; clockMs: number; spokenMs: number }) => void): MicFrame {
    if (this.waiting || this.finished) return { samples: this.silence, silent: true };
    const stop = this.stops.find((s) => s > this.cursor) ?? this.totalSamples;
    const n = Math.min(this.frameSamples, stop - this.cursor);
    const from = this.cursor * this.channels;
    let samples = this.pcm.subarray(from, from + n * this.channels);
    if (n < this.frameSamples) {
      const padded = new Int16Array(this.frameLen); // only at a stop or the tail: a few per session
      padded.set(samples);
      samples = padded;
    }
    this.cursor += n;
    const clockMs = (this.produced + 1) * MIC_FRAME_MS;
    if (this.cursor >= this.totalSamples) onEvent?.({ kind: 'audio-ended', clockMs, spokenMs: this.spokenMs });
    else if (this.cursor === stop) {
      this.waiting = true;
      onEvent?.({ kind: 'utterance-ended', clockMs, spokenMs: this.spokenMs });
    }
    return { samples, silent: false };
  }
}

/** Little-endian PCM16 bytes of a frame, without a copy (every platform Node runs on is little-endian). */
export function frameBytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}
