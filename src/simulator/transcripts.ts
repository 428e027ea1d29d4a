/**
 * Transcript oracle: NOT speech recognition. The simulator is given reference clips
 * (text + the PCM that was sent), and "transcribes" a committed user segment with the
 * text of every reference whose energy envelope it contains (≥ 60 % of the reference,
 * found by normalized cross-correlation of 10 ms log-energy envelopes, window by window). Anything else is
 * reported as a placeholder such as `[unrecognized speech 2.3 s]`.
 *
 * This is enough to prove *which* reference utterances reached the model (e.g. whether
 * pre-connect audio was delivered), which is all lkdiag needs.
 */
import { frameEnergies } from '../audio/pcm.js';

export interface TranscriptReference {
  text: string;
  /** PCM16 mono 24 kHz. */
  pcm24k: Int16Array;
}

export interface OracleMatch {
  text: string;
  /** Offset of the reference start within the segment (ms; negative = it began before the segment). */
  offsetMs: number;
  /** Fraction of the reference covered by the segment. */
  coverage: number;
  correlation: number;
}

const FRAME_MS = 10;
const FLOOR_DB = -70;
export const MIN_COVERAGE = 0.6;
export const MIN_CORRELATION = 0.9;
const WINDOW_FRAMES = 50;
export const MIN_AGREEMENT = 0.8;
const AGREE_DB = 3;
const HOP_FRAMES = 10;

function envelope(pcm: Int16Array): Float64Array {
  const e = frameEnergies(pcm, 24000, FRAME_MS);
  return Float64Array.from(e, (v) => Math.max(FLOOR_DB, v));
}

/**
 * Fraction of the reference's audible frames whose level differs from the reference's by the common gain
 * (median difference) ± {@link AGREE_DB}. Correlation alone accepts look-alike syllable
 * rhythms; the same audio also keeps each frame's level.
 */
function agreement(a: Float64Array, aOff: number, b: Float64Array, bOff: number, n: number): number {
  const d: number[] = [];
  for (let i = 0; i < n; i++) if (b[bOff + i]! > FLOOR_DB + 15) d.push(a[aOff + i]! - b[bOff + i]!); // reference audible
  if (d.length === 0) return 0;
  d.sort((x, y) => x - y);
  const median = d[d.length >> 1]!;
  let ok = 0;
  for (const x of d) if (Math.abs(x - median) <= AGREE_DB) ok++;
  return ok / d.length;
}

/** The envelope without leading/trailing silence (coverage is about the words, not the pauses). */
function audible(env: Float64Array): Float64Array {
  let first = env.findIndex((v) => v > FLOOR_DB + 15);
  if (first < 0) return new Float64Array(0);
  let last = env.length - 1;
  while (env[last]! <= FLOOR_DB + 15) last--;
  first = Math.max(0, first - 2);
  return env.slice(first, Math.min(env.length, last + 3));
}

function hasVariance(a: Float64Array, off: number, n: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = off; i < off + n; i++) {
    min = Math.min(min, a[i]!);
    max = Math.max(max, a[i]!);
  }
  return max - min > 3;
}

function pearson(a: Float64Array, aOff: number, b: Float64Array, bOff: number, n: number): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[aOff + i]!;
    sb += b[bOff + i]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    const x = a[aOff + i]! - ma;
    const y = b[bOff + i]! - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  if (da < 1e-9 || db < 1e-9) return 0;
  return num / Math.sqrt(da * db);
}

function matchOne(seg: Float64Array, ref: Float64Array): Omit<OracleMatch, 'text'> | null {
  const R = ref.length;
  const W = Math.min(WINDOW_FRAMES, R);
  if (R === 0 || seg.length < W) return null;
  const starts: number[] = [];
  for (let r = 0; r + W <= R; r += HOP_FRAMES) starts.push(r);
  if (starts.at(-1)! + W < R) starts.push(R - W);
  const hits: Array<{ r: number; delta: number }> = [];
  for (const r of starts) {
    if (!hasVariance(ref, r, W)) continue;
    let best = { s: -1, c: -1 };
    for (let s = 0; s + W <= seg.length; s++) {
      const c = pearson(seg, s, ref, r, W);
      if (c > best.c) best = { s, c };
    }
    if (best.c >= MIN_CORRELATION) hits.push({ r, delta: best.s - r });
  }
  let result: Omit<OracleMatch, 'text'> | null = null;
  const tried = new Set<number>();
  for (const h of hits) {
    if (tried.has(h.delta)) continue;
    tried.add(h.delta);
    const group = hits.filter((x) => Math.abs(x.delta - h.delta) <= 2);
    const d = h.delta;
    const gLo = Math.min(...group.map((g) => g.r));
    const gHi = Math.max(...group.map((g) => g.r)) + W;
    const lo0 = Math.max(0, -d);
    const hi0 = Math.min(R, seg.length - d);
    const corr = (lo: number, hi: number): number => pearson(seg, lo + d, ref, lo, hi - lo);
    let lo = Math.max(lo0, gLo);
    for (let x = lo0; x < lo; x++) {
      if (corr(x, gHi) >= MIN_CORRELATION) {
        lo = x;
        break;
      }
    }
    let hi = Math.min(hi0, gHi);
    for (let x = hi0; x > hi; x--) {
      if (corr(lo, x) >= MIN_CORRELATION) {
        hi = x;
        break;
      }
    }
    if (hi - lo < W) continue;
    const c = corr(lo, hi);
    const coverage = (hi - lo) / R;
    if (agreement(seg, lo + d, ref, lo, hi - lo) < MIN_AGREEMENT) continue;
    if (c >= MIN_CORRELATION && coverage >= MIN_COVERAGE && (!result || coverage > result.coverage)) {
      result = { offsetMs: d * FRAME_MS, coverage, correlation: c };
    }
  }
  return result;
}

/** A seam (buffer → live track) may shift the rest of an utterance by up to this much (frames). */
const MAX_SEAM_FRAMES = 30;
const FIT_SLOPE = [0.25, 4] as const;
/** Residual allowed around the fitted line (dB): a little wider than AGREE_DB, for gain control still moving within a window. */
const FIT_AGREE_DB = 4;

/**
 * Like {@link agreement}, but against the best line seg ≈ a + b·ref over the window: automatic gain
 * control compresses levels (quiet syllables raised more than loud ones) while it adapts, which a
 * single gain offset does not describe.
 */
function fitAgreement(a: Float64Array, aOff: number, b: Float64Array, bOff: number, n: number): number {
  let sx = 0;
  let sy = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (b[bOff + i]! <= FLOOR_DB + 15) continue;
    sx += b[bOff + i]!;
    sy += a[aOff + i]!;
    k++;
  }
  if (k < 5) return 0;
  const mx = sx / k;
  const my = sy / k;
  let cov = 0;
  let vx = 0;
  for (let i = 0; i < n; i++) {
    if (b[bOff + i]! <= FLOOR_DB + 15) continue;
    cov += (b[bOff + i]! - mx) * (a[aOff + i]! - my);
    vx += (b[bOff + i]! - mx) ** 2;
  }
  const slope = vx > 1e-9 ? cov / vx : 0;
  if (slope < FIT_SLOPE[0] || slope > FIT_SLOPE[1]) return 0;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    if (b[bOff + i]! <= FLOOR_DB + 15) continue;
    if (Math.abs(a[aOff + i]! - (my + slope * (b[bOff + i]! - mx))) <= FIT_AGREE_DB) ok++;
  }
  return ok / k;
}

/**
 * The reference as pieces, for an utterance that reached the model in two parts: the start from the
 * pre-connect buffer (byte-exact) and the rest from the live track (through WebRTC, whose gain control
 * is still adapting), with a small gap or overlap at the seam. Each 500 ms window is located and
 * checked on its own; windows that follow each other in both the reference and the segment, with
 * alignments within {@link MAX_SEAM_FRAMES}, form a chain, and the chain must cover ≥ MIN_COVERAGE.
 */
function matchPieces(seg: Float64Array, ref: Float64Array): Omit<OracleMatch, 'text'> | null {
  const R = ref.length;
  const W = Math.min(WINDOW_FRAMES, R);
  if (R === 0 || seg.length < W) return null;
  const hits: Array<{ r: number; s: number; c: number }> = [];
  for (let r = 0; r + W <= R; r += HOP_FRAMES) {
    if (!hasVariance(ref, r, W)) continue;
    let best = { s: -1, c: -1 };
    for (let x = 0; x + W <= seg.length; x++) {
      const c = pearson(seg, x, ref, r, W);
      if (c > best.c) best = { s: x, c };
    }
    if (best.c >= MIN_CORRELATION && fitAgreement(seg, best.s, ref, r, W) >= MIN_AGREEMENT) hits.push({ r, s: best.s, c: best.c });
  }
  // Longest chain (by covered reference frames) of hits in order in both, alignments close.
  const cover = hits.map(() => W);
  const prev = hits.map(() => -1);
  for (let i = 0; i < hits.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = hits[j]!;
      const b = hits[i]!;
      if (b.s <= a.s || Math.abs(b.s - b.r - (a.s - a.r)) > MAX_SEAM_FRAMES) continue;
      const gain = Math.min(W, b.r - a.r);
      if (cover[j]! + gain > cover[i]!) {
        cover[i] = cover[j]! + gain;
        prev[i] = j;
      }
    }
  }
  let end = -1;
  for (let i = 0; i < hits.length; i++) if (end < 0 || cover[i]! > cover[end]!) end = i;
  if (end < 0) return null;
  const coverage = Math.min(1, cover[end]! / R);
  if (coverage < MIN_COVERAGE) return null;
  const chain: Array<{ r: number; s: number; c: number }> = [];
  for (let i = end; i >= 0; i = prev[i]!) chain.unshift(hits[i]!);
  const first = chain[0]!;
  return { offsetMs: (first.s - first.r) * FRAME_MS, coverage, correlation: chain.reduce((m, h) => m + h.c, 0) / chain.length };
}

export class TranscriptOracle {
  private readonly refs: Array<{ text: string; env: Float64Array }>;

  constructor(references: TranscriptReference[] = []) {
    this.refs = references.map((r) => ({ text: r.text, env: audible(envelope(r.pcm24k)) })).filter((r) => r.env.length > 0);
  }

  get size(): number {
    return this.refs.length;
  }

  /**
   * Every reference found in `segment`, in time order.
   *
   * 1. The reference's 10 ms log-energy envelope is cut into 500 ms windows (100 ms hop);
   *    each is located in the segment by normalized cross-correlation (≥ {@link MIN_CORRELATION}).
   * 2. Windows that agree on one alignment (±20 ms) propose that alignment.
   * 3. At that alignment, the longest stretch of the reference around the agreeing windows
   *    that still correlates ≥ {@link MIN_CORRELATION} as a whole is what the segment holds;
   *    it counts when it is ≥ {@link MIN_COVERAGE} of the reference.
   * So a reference whose start or end was cut off, or which sits among other audio, is
   * still found — by the part that is there — and gain differences do not matter.
   * 4. Failing that, the reference is looked for as a chain of pieces ({@link matchPieces}): an
   *    utterance split between the pre-connect buffer and the live track, where a real model would
   *    still have heard the words.
   */
  match(segment: Int16Array): OracleMatch[] {
    const seg = envelope(segment);
    const found: OracleMatch[] = [];
    for (const ref of this.refs) {
      const m = matchOne(seg, ref.env) ?? matchPieces(seg, ref.env);
      if (m) found.push({ text: ref.text, ...m });
    }
    return found.sort((a, b) => a.offsetMs - b.offsetMs);
  }

  /** The oracle's transcript of `segment`. */
  transcribe(segment: Int16Array): string {
    const m = this.match(segment);
    if (m.length > 0) return m.map((x) => x.text).join(' ');
    return `[unrecognized speech ${(segment.length / 24000).toFixed(1)} s]`;
  }
}
