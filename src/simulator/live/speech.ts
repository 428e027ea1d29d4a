/**
 * The voice model speaking: output audio deltas (no timing of their own, gpt_live_types.py:205-209) and
 * output transcript deltas over half-open spans of the session timeline (start_ms/end_ms, :212-218),
 * paced like the Realtime simulator (src/simulator/responses.ts).
 */
import { pcm16ToBase64, synthSpeechLike } from '../../audio/pcm.js';

const SR = 24000;
const CHUNK_MS = 100;
const WORD_MS = 260;

export interface SpeechHost {
  readonly pace: number;
  send(event: Record<string, unknown>): void;
  later(ms: number, fn: () => void): void;
  /** The session timeline now (ms), where the words are stamped. */
  timelineMs(): number;
}

export interface Spoken {
  text: string;
  audioMs: number;
  startMs: number;
  endMs: number;
}

/** How long a reply's audio lasts: a word every ~260 ms, at least a second. */
export function speechMs(text: string): number {
  return Math.max(1000, text.split(/\s+/).filter(Boolean).length * WORD_MS);
}

/**
 * Speaks `text`: audio in 100 ms deltas, each word's transcript just ahead of its audio. Resolves when
 * the last delta is sent; `cancelled()` stops it between chunks.
 */
export function speak(host: SpeechHost, text: string, seed: number, cancelled: () => boolean): Promise<Spoken> {
  const words = text.split(/\s+/).filter(Boolean);
  const totalMs = speechMs(text);
  const audio = synthSpeechLike(totalMs, SR, seed);
  const startMs = host.timelineMs();
  const perWord = totalMs / Math.max(1, words.length);
  return new Promise((resolve) => {
    let sentMs = 0;
    let wordIdx = 0;
    const step = (): void => {
      if (cancelled()) {
        resolve({ text: words.slice(0, wordIdx).join(' '), audioMs: sentMs, startMs, endMs: startMs + sentMs });
        return;
      }
      const endMs = Math.min(totalMs, sentMs + CHUNK_MS);
      while (wordIdx < words.length && wordIdx * perWord < endMs) {
        const ws = Math.round(startMs + wordIdx * perWord);
        const delta = `${wordIdx === 0 ? '' : ' '}${words[wordIdx]}`;
        host.send({ type: 'session.output_transcript.delta', delta, start_ms: ws, end_ms: Math.round(ws + perWord) });
        wordIdx++;
      }
      const pcm = audio.subarray(Math.round((sentMs * SR) / 1000), Math.round((endMs * SR) / 1000));
      host.send({ type: 'session.output_audio.delta', delta: pcm16ToBase64(pcm) });
      sentMs = endMs;
      if (sentMs >= totalMs) {
        resolve({ text, audioMs: sentMs, startMs, endMs: startMs + sentMs });
        return;
      }
      host.later(CHUNK_MS / host.pace, step);
    };
    step();
  });
}
