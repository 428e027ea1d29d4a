/**
 * The broker's two audio halves, in real time on lkdiag's clock:
 * - InputPump: the user's microphone. One 20 ms frame of 960 samples (48 kHz mono PCM16) is due every
 *   20 ms from the start, speech from the script's queue or silence when it is empty — as a live mic
 *   (lk agent debugger does the same), so the agent's VAD and endpointing see what they would in a room.
 *   Frame k covers wire time [t0 + (k-1)·20, t0 + k·20] ms: the time an utterance ends is exact.
 * - Playout: the agent's speaker. Audio frames are played back to back from when they arrive; on
 *   audio_playback_flush the segment is acked (audio_playback_finished) when its last buffered sample would
 *   have played; audio_playback_clear drops the rest, without an ack (livekit-agents cli/tcp_console.py
 *   TcpAudioOutput waits on that ack, or on its own clear, to compute what was heard).
 */
import { rmsDbfs } from '../audio/pcm.js';
import { now } from './clock.js';

export const WIRE_RATE = 48_000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (WIRE_RATE * FRAME_MS) / 1000;
/** A 10 ms window above this level is speech, not silence or dither (dBFS). */
export const ENERGY_DBFS = -50;

export interface Utterance {
  samples: Int16Array;
  /** Called with the wire time of its first and of its last sample. */
  onStart?: (t: number) => void;
  onEnd?: (t: number) => void;
}

/** A recorded stretch of audio on the broker's clock (ms epoch). */
export interface Take {
  at: number;
  samples: Int16Array;
}

export class InputPump {
  private queue: Array<{ u: Utterance; pos: number }> = [];
  private frames = 0;
  private t0 = 0;
  private timer: NodeJS.Timeout | undefined;
  readonly takes: Take[] = [];

  constructor(
    private readonly send: (frame: Int16Array) => void,
    private readonly record = false,
  ) {}

  start(): void {
    if (this.timer) return;
    this.t0 = now();
    this.frames = 0;
    this.tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Queues an utterance after what is queued; resolves with the wire time its first and last samples are due. */
  say(samples: Int16Array, onStart?: (t: number) => void): Promise<{ start: number; end: number }> {
    return new Promise((resolve) => {
      let start = 0;
      this.queue.push({
        u: {
          samples,
          onStart: (t) => {
            start = t;
            onStart?.(t);
          },
          onEnd: (t) => resolve({ start, end: t }),
        },
        pos: 0,
      });
    });
  }

  /** Nothing is queued: the mic sends silence. */
  get idle(): boolean {
    return this.queue.length === 0;
  }

  private tick = (): void => {
    const due = Math.floor((now() - this.t0) / FRAME_MS) + 1;
    while (this.frames < due) this.sendFrame();
    const next = this.t0 + this.frames * FRAME_MS;
    this.timer = setTimeout(this.tick, Math.max(1, next - now()));
  };

  private sendFrame(): void {
    const frame = new Int16Array(FRAME_SAMPLES);
    const frameStart = this.t0 + this.frames * FRAME_MS - FRAME_MS; // wire time of sample 0 of this frame
    let filled = 0;
    while (filled < FRAME_SAMPLES && this.queue.length) {
      const head = this.queue[0]!;
      if (head.pos === 0) head.u.onStart?.(frameStart + (filled * 1000) / WIRE_RATE);
      const n = Math.min(FRAME_SAMPLES - filled, head.u.samples.length - head.pos);
      frame.set(head.u.samples.subarray(head.pos, head.pos + n), filled);
      head.pos += n;
      filled += n;
      if (head.pos >= head.u.samples.length) {
        this.queue.shift();
        head.u.onEnd?.(frameStart + (filled * 1000) / WIRE_RATE);
      }
    }
    this.frames++;
    if (this.record && filled > 0) this.takes.push({ at: frameStart, samples: frame });
    this.send(frame);
  }
}

export interface SegmentEvents {
  audioStarted(segment: number, playAt: number, dbfs: number): void;
  flushed(segment: number, receivedMs: number, bufferedMs: number): void;
  finished(segment: number, playedMs: number): void;
  cleared(segment: number, playedMs: number, droppedMs: number): void;
}

interface Segment {
  index: number;
  firstPlayAt: number;
  receivedMs: number;
  heard: boolean;
  finishTimer?: NodeJS.Timeout;
}

export class Playout {
  private segments = 0;
  private open: Segment | undefined;
  private pendingFinish = new Set<Segment>();
  private playEndsAt = 0;
  readonly takes: Take[] = [];

  constructor(
    private readonly on: SegmentEvents,
    private readonly ackFinished: () => void,
    private readonly record = false,
  ) {}

  /** Nothing is playing or waiting to play. */
  get idle(): boolean {
    return !this.open && this.pendingFinish.size === 0;
  }

  /** An audio_output frame (48 kHz mono PCM16): plays after what is buffered. */
  frame(samples: Int16Array): void {
    const t = now();
    const playAt = Math.max(t, this.playEndsAt);
    if (!this.open) this.open = { index: this.segments++, firstPlayAt: playAt, receivedMs: 0, heard: false };
    const seg = this.open;
    const ms = (samples.length * 1000) / WIRE_RATE;
    this.playEndsAt = playAt + ms;
    seg.receivedMs += ms;
    if (this.record) this.takes.push({ at: playAt, samples });
    if (!seg.heard) {
      const win = WIRE_RATE / 100;
      for (let i = 0; i + win <= samples.length || i === 0; i += win) {
        const dbfs = rmsDbfs(samples, i, Math.min(samples.length, i + win));
        if (dbfs > ENERGY_DBFS) {
          seg.heard = true;
          this.on.audioStarted(seg.index, playAt + (i * 1000) / WIRE_RATE, Math.round(dbfs * 10) / 10);
          break;
        }
      }
    }
  }

  /** audio_playback_flush: ack when the buffered audio would have finished playing. */
  flush(): void {
    const seg = this.open;
    if (!seg) return; // nothing pushed since the last flush: the agent waits for no ack (TcpAudioOutput.flush)
    this.open = undefined;
    const wait = Math.max(0, this.playEndsAt - now());
    this.on.flushed(seg.index, Math.round(seg.receivedMs), Math.round(wait));
    this.pendingFinish.add(seg);
    seg.finishTimer = setTimeout(() => {
      this.pendingFinish.delete(seg);
      this.on.finished(seg.index, Math.round(seg.receivedMs));
      this.ackFinished();
    }, wait);
  }

  /** audio_playback_clear: drop what is buffered; no ack. */
  clear(): void {
    const t = now();
    const segs = [...this.pendingFinish, ...(this.open ? [this.open] : [])];
    this.open = undefined;
    this.pendingFinish.clear();
    const dropped = Math.max(0, this.playEndsAt - t);
    for (const seg of segs) {
      clearTimeout(seg.finishTimer);
      const played = Math.min(seg.receivedMs, Math.max(0, t - seg.firstPlayAt));
      this.on.cleared(seg.index, Math.round(played), Math.round(seg === segs.at(-1) ? dropped : 0));
    }
    if (this.record) this.truncateTakes(t);
    this.playEndsAt = t;
  }

  stop(): void {
    for (const seg of this.pendingFinish) clearTimeout(seg.finishTimer);
    this.pendingFinish.clear();
  }

  private truncateTakes(t: number): void {
    for (let i = this.takes.length - 1; i >= 0; i--) {
      const take = this.takes[i]!;
      if (take.at >= t) this.takes.splice(i, 1);
      else {
        const keep = Math.round(((t - take.at) * WIRE_RATE) / 1000);
        if (keep < take.samples.length) take.samples = take.samples.subarray(0, keep);
        break;
      }
    }
  }
}

/** The user (left) and agent (right) takes as one stereo 48 kHz track from `from` on. */
export function mixStereo(user: readonly Take[], agent: readonly Take[], from: number, to: number): Int16Array {
  const frames = Math.max(0, Math.ceil(((to - from) * WIRE_RATE) / 1000));
  const out = new Int16Array(frames * 2);
  const put = (takes: readonly Take[], ch: number) => {
    for (const take of takes) {
      const start = Math.round(((take.at - from) * WIRE_RATE) / 1000);
      for (let i = 0; i < take.samples.length; i++) {
        const k = start + i;
        if (k >= 0 && k < frames) out[k * 2 + ch] = take.samples[i]!;
      }
    }
  };
  put(user, 0);
  put(agent, 1);
  return out;
}
