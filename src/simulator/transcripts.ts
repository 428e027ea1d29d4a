/**
 * Transcript oracle: NOT speech recognition. The simulator is given reference clips
 * (text + the PCM that was sent), and "transcribes" a committed user segment with the
 * text of every reference whose energy envelope it contains (≥ 60 % of the reference,
 * found by normalized cross-correlation of 10 ms log-energy envelopes). Anything else is
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
export const MIN_CORRELATION = 0.7;

function envelope(pcm: Int16Array): Float64Array {
  const e = frameEnergies(pcm, 24000, FRAME_MS);
  return Float64Array.from(e, (v) => Math.max(FLOOR_DB, v));
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

export class TranscriptOracle {
  private readonly refs: Array<{ text: string; env: Float64Array }>;

  constructor(references: TranscriptReference[] = []) {
    this.refs = references.filter((r) => r.pcm24k.length > 0).map((r) => ({ text: r.text, env: envelope(r.pcm24k) }));
  }

  get size(): number {
    return this.refs.length;
  }

  /** Every reference found in `segment`, in time order. */
  match(segment: Int16Array): OracleMatch[] {
    const seg = envelope(segment);
    const found: OracleMatch[] = [];
    for (const ref of this.refs) {
      const R = ref.env.length;
      const minOverlap = Math.max(1, Math.ceil(R * MIN_COVERAGE));
      let best: OracleMatch | null = null;
      // offset = index in seg where the reference's frame 0 would sit.
      for (let off = minOverlap - R; off <= seg.length - minOverlap; off++) {
        const segStart = Math.max(0, off);
        const refStart = segStart - off;
        const n = Math.min(seg.length - segStart, R - refStart);
        if (n < minOverlap) continue;
        const c = pearson(seg, segStart, ref.env, refStart, n);
        if (c >= MIN_CORRELATION && (!best || c > best.correlation + 1e-9 || (Math.abs(c - best.correlation) < 1e-9 && n / R > best.coverage))) {
          best = { text: ref.text, offsetMs: off * FRAME_MS, coverage: n / R, correlation: c };
        }
      }
      if (best) found.push(best);
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
