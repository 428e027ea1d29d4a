/**
 * Where one piece of audio appears in another, by normalised cross-correlation: the seam between a
 * pre-connect buffer and the live track it continues. Both are brought to ALIGN_RATE (box-filtered
 * decimation) so a 3 s search stays within ~100 ms of CPU; the lag is then exact to 1/ALIGN_RATE s.
 */

/** The rate alignment works at: speech correlates well below 4 kHz, and 0.125 ms steps are plenty. */
export const ALIGN_RATE = 8000;

/** Mono samples at `fromRate` as floats at ALIGN_RATE (averaging, so no aliasing of the loud part). */
export function toAlignRate(samples: Int16Array, fromRate: number): Float32Array {
  const step = fromRate / ALIGN_RATE;
  const n = Math.floor(samples.length / step);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(i * step);
    const b = Math.max(a + 1, Math.floor((i + 1) * step));
    let s = 0;
    for (let j = a; j < b; j++) s += samples[j]!;
    out[i] = s / (b - a) / 32768;
  }
  return out;
}

export interface Located {
  /** Index in the haystack where the needle starts (at ALIGN_RATE). */
  index: number;
  /** Normalised correlation there, 0–1. */
  correlation: number;
}

/** Where `needle` best matches in `haystack` (both at ALIGN_RATE): the lag with the highest normalised correlation. */
export function locate(needle: Float32Array, haystack: Float32Array): Located | undefined {
  const m = needle.length;
  if (m === 0 || haystack.length < m) return undefined;
  let nn = 0;
  for (let i = 0; i < m; i++) nn += needle[i]! * needle[i]!;
  if (nn === 0) return undefined;
  let hh = 0;
  for (let i = 0; i < m; i++) hh += haystack[i]! * haystack[i]!;
  let best: Located | undefined;
  for (let lag = 0; lag + m <= haystack.length; lag++) {
    if (lag > 0) {
      const out = haystack[lag - 1]!;
      const inn = haystack[lag + m - 1]!;
      hh += inn * inn - out * out;
    }
    if (hh <= 1e-12) continue;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += needle[i]! * haystack[lag + i]!;
    const c = dot / Math.sqrt(nn * hh);
    if (!best || c > best.correlation) best = { index: lag, correlation: c };
  }
  return best;
}

export interface SeamOptions {
  /** Length of the buffer's tail that is looked for in the live audio, ms (default 300). */
  tailMs?: number;
  /** How much of the live audio's head is searched, ms (default 3000). */
  searchMs?: number;
  /** Below this correlation the match is not trusted (default 0.6). */
  minCorrelation?: number;
}

export interface Seam {
  /** Positive: a gap (audio neither in the buffer nor live); negative: an overlap (audio in both). */
  offsetMs: number;
  correlation: number;
  tailMs: number;
  searchMs: number;
}

/**
 * The seam between a buffer and the live audio that followed it (mono, each at its own rate). The
 * buffer's tail is looked for in the live head: found at live time L, the last buffered sample is
 * live time L + tail, which the live audio also holds — an overlap of that much. With a `reference`
 * (the speech the client played, e.g. the WAV given to send-preconnect) a gap is measurable too: the
 * buffer's end and the live start are both located in the reference.
 */
export interface Audio {
  samples: Int16Array;
  sampleRate: number;
}

export function measureSeam(buffer: Audio, live: Audio, o: SeamOptions = {}, reference?: Audio): Seam | undefined {
  const tailMs = o.tailMs ?? 300;
  const searchMs = o.searchMs ?? 3000;
  const min = o.minCorrelation ?? 0.6;
  const b = toAlignRate(buffer.samples, buffer.sampleRate);
  const l = toAlignRate(live.samples, live.sampleRate);
  const tail = b.subarray(Math.max(0, b.length - Math.round((tailMs * ALIGN_RATE) / 1000)));
  const head = l.subarray(0, Math.round((searchMs * ALIGN_RATE) / 1000));
  const ms = (n: number) => Math.round((n * 1000) / ALIGN_RATE);
  if (reference) {
    const ref = toAlignRate(reference.samples, reference.sampleRate);
    const end = locate(tail, ref);
    // The live audio's first frames can be a jitter buffer's silence or a codec's onset: locate a window
    // a little into it, then count back.
    const skip = Math.min(Math.round((LIVE_SKIP_MS * ALIGN_RATE) / 1000), Math.max(0, head.length - tail.length));
    const start = locate(head.subarray(skip, skip + tail.length), ref);
    if (!end || !start || end.correlation < min || start.correlation < min) return undefined;
    const offset = start.index - skip - (end.index + tail.length);
    return { offsetMs: ms(offset), correlation: round2(Math.min(end.correlation, start.correlation)), tailMs: ms(tail.length), searchMs: ms(ref.length) };
  }
  const at = overlapOf(b, l, Math.round((tailMs * ALIGN_RATE) / 1000), head.length);
  if (!at || at.correlation < min) return undefined;
  return { offsetMs: -ms(at.index), correlation: round2(at.correlation), tailMs: ms(Math.min(at.index, tail.length)), searchMs: ms(head.length) };
}

/** Shortest overlap compared, samples at ALIGN_RATE (20 ms: shorter windows correlate by chance). */
const MIN_OVERLAP = (20 * ALIGN_RATE) / 1000;

/**
 * The overlap k (samples) for which live[0, w) best matches buffer[N-k, N-k+w), w = min(k, window):
 * an overlap shorter than the window is still found (the window shrinks to it).
 */
function overlapOf(buffer: Float32Array, live: Float32Array, window: number, maxOverlap: number): Located | undefined {
  const n = buffer.length;
  let best: Located | undefined;
  for (let k = MIN_OVERLAP; k <= Math.min(n, maxOverlap); k++) {
    const w = Math.min(k, window, live.length);
    let dot = 0;
    let bb = 0;
    let ll = 0;
    for (let i = 0; i < w; i++) {
      const x = buffer[n - k + i]!;
      const y = live[i]!;
      dot += x * y;
      bb += x * x;
      ll += y * y;
    }
    if (bb <= 1e-12 || ll <= 1e-12) continue;
    const c = dot / Math.sqrt(bb * ll);
    if (!best || c > best.correlation + 1e-9) best = { index: k, correlation: c };
  }
  return best;
}

/** How far into the live audio the reference alignment looks (ms). */
const LIVE_SKIP_MS = 400;

const round2 = (x: number) => Math.round(x * 100) / 100;
