/**
 * Small PCM16 helpers shared by the simulator, the probe and the synthetic user.
 *
 * All sample buffers are signed 16-bit little-endian mono (`Int16Array`), the
 * format the OpenAI Realtime API speaks (`audio/pcm`, 24 kHz).
 */

/** Level used for digital silence, so that dBFS values stay finite (and JSON-safe). */
export const SILENCE_DBFS = -100;

/** RMS level of `samples[start, end)` in dBFS (full scale = 32768), floored at {@link SILENCE_DBFS}. */
export function rmsDbfs(samples: Int16Array, start = 0, end = samples.length): number {
  const s = Math.max(0, start);
  const e = Math.min(samples.length, end);
  if (e <= s) return SILENCE_DBFS;
  let sum = 0;
  for (let i = s; i < e; i++) {
    const v = samples[i]! / 32768;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / (e - s));
  if (rms <= 0) return SILENCE_DBFS;
  return Math.max(SILENCE_DBFS, 20 * Math.log10(rms));
}

/** RMS level (dBFS) of each complete `frameMs` frame; a trailing partial frame is ignored. */
export function frameEnergies(samples: Int16Array, sampleRate: number, frameMs: number): number[] {
  const frame = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const out: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) out.push(rmsDbfs(samples, i, i + frame));
  return out;
}

/** Duration in milliseconds of `samples` at `sampleRate`. */
export function durationMs(samples: Int16Array | number, sampleRate: number): number {
  const n = typeof samples === 'number' ? samples : samples.length;
  return (n * 1000) / sampleRate;
}

/** Base64 of the little-endian bytes of `samples`. */
export function pcm16ToBase64(samples: Int16Array): string {
  return toLeBuffer(samples).toString('base64');
}

/** Decodes base64 PCM16 LE. A trailing odd byte is dropped. The result never aliases a pooled Buffer. */
export function base64ToPcm16(b64: string): Int16Array {
  return bytesToPcm16(Buffer.from(b64, 'base64'));
}

/** PCM16 LE bytes → samples (copying; a trailing odd byte is dropped). */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const n = bytes.length >> 1;
  const out = new Int16Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Samples → PCM16 LE bytes. */
export function toLeBuffer(samples: Int16Array): Buffer {
  const buf = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, i * 2);
  return buf;
}

/** Concatenates PCM16 buffers in order. */
export function concatPcm16(...parts: Int16Array[]): Int16Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int16Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `ms` of digital silence. */
export function silence(ms: number, sampleRate: number): Int16Array {
  return new Int16Array(Math.round((sampleRate * ms) / 1000));
}

/** Deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deterministic speech-like audio: a voiced source (harmonics of a gliding
 * 110–220 Hz pitch, shaped by two formant-like emphases) under syllable
 * envelopes of 120–260 ms separated by 30–110 ms dips, with short word gaps.
 * Syllables peak around −14 dBFS, so an energy VAD hears speech, and gaps stay
 * below 150 ms, so a 200 ms+ end-of-speech silence timer does not fire inside it.
 * Starts and ends with a syllable (no leading or trailing silence).
 */
export function synthSpeechLike(durationMs: number, sampleRate = 24000, seed = 1): Int16Array {
  const n = Math.max(0, Math.round((sampleRate * durationMs) / 1000));
  const out = new Int16Array(n);
  const rnd = prng(seed);
  const f0Base = 110 + rnd() * 110;
  const f1 = 500 + rnd() * 300;
  const f2 = 1200 + rnd() * 900;
  // Build a syllable plan: [start, end) sample ranges with a peak gain.
  const syllables: Array<{ s: number; e: number; g: number }> = [];
  let pos = 0;
  while (pos < n) {
    const len = Math.round(((120 + rnd() * 140) * sampleRate) / 1000);
    syllables.push({ s: pos, e: Math.min(n, pos + len), g: 0.55 + rnd() * 0.45 });
    const gap = rnd() < 0.25 ? 80 + rnd() * 30 : 30 + rnd() * 40;
    pos += len + Math.round((gap * sampleRate) / 1000);
  }
  let phase = 0;
  const harmonics = 12;
  for (const syl of syllables) {
    const len = syl.e - syl.s;
    const glide = (rnd() - 0.5) * 0.3;
    for (let i = 0; i < len; i++) {
      const x = i / Math.max(1, len - 1);
      const env = Math.sin(Math.PI * x) ** 0.6; // smooth rise/fall
      const f0 = f0Base * (1 + glide * (x - 0.5));
      phase += (2 * Math.PI * f0) / sampleRate;
      let v = 0;
      for (let h = 1; h <= harmonics; h++) {
        const fh = f0 * h;
        if (fh > sampleRate / 2 - 200) break;
        const formant = 1 / (1 + ((fh - f1) / 250) ** 2) + 0.6 / (1 + ((fh - f2) / 400) ** 2);
        v += ((formant + 0.05) * Math.sin(h * phase)) / Math.sqrt(h);
      }
      v += (rnd() - 0.5) * 0.03; // breath noise
      const sample = v * env * syl.g * 0.32 * 32767;
      out[syl.s + i] = Math.max(-32768, Math.min(32767, Math.round(sample)));
    }
  }
  return out;
}
