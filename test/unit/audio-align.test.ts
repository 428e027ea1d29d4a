import { describe, expect, it } from 'vitest';
import { measureSeam, rateFits } from '../../src/audio/align.js';
import { loadPcm16 } from '../../src/audio/wav.js';
import { synthSpeechLike } from '../../src/audio/pcm.js';

const RATE = 24000;
const at = (ms: number) => Math.round((ms * RATE) / 1000);
const speech = synthSpeechLike(6000, RATE, 7);
const a = (samples: Int16Array, sampleRate = RATE) => ({ samples, sampleRate });

describe('measureSeam (buffer tail against live head)', () => {
  for (const overlapMs of [40, 180, 650]) {
    it(`finds an overlap of ${overlapMs} ms within ±5 ms`, () => {
      const buffer = speech.subarray(0, at(2000));
      const live = speech.subarray(at(2000 - overlapMs));
      const seam = measureSeam(a(buffer), a(live));
      expect(seam).toBeDefined();
      expect(Math.abs(seam!.offsetMs + overlapMs)).toBeLessThanOrEqual(5);
      expect(seam!.correlation).toBeGreaterThan(0.95);
    });
  }

  it('reports nothing when the live audio shares no audio with the buffer (a gap, no reference)', () => {
    const buffer = speech.subarray(0, at(2000));
    const live = synthSpeechLike(3000, RATE, 99);
    expect(measureSeam(a(buffer), a(live))).toBeUndefined();
  });
});

describe('measureSeam with the reference speech', () => {
  for (const offsetMs of [120, 0, -200]) {
    it(`measures ${offsetMs > 0 ? 'a gap' : offsetMs < 0 ? 'an overlap' : 'a clean seam'} of ${offsetMs} ms within ±5 ms`, () => {
      const buffer = speech.subarray(0, at(2500));
      const live = speech.subarray(at(2500 + offsetMs));
      const seam = measureSeam(a(buffer), a(live), {}, a(speech));
      expect(seam).toBeDefined();
      expect(Math.abs(seam!.offsetMs - offsetMs)).toBeLessThanOrEqual(5);
    });
  }

  it('aligns a 48 kHz buffer with 24 kHz live audio', () => {
    const speech48 = Int16Array.from({ length: speech.length * 2 }, (_, i) => speech[i >> 1]!);
    const seam = measureSeam(a(speech48.subarray(0, 2 * at(2000)), 48000), a(speech.subarray(at(1700))));
    expect(Math.abs(seam!.offsetMs + 300)).toBeLessThanOrEqual(5);
  });

  it('survives noise on the live path (a codec is not bit-exact)', () => {
    const buffer = speech.subarray(0, at(2500));
    const live = Int16Array.from(speech.subarray(at(2620)), (v, i) => v * 0.7 + ((i * 7919) % 200) - 100);
    const seam = measureSeam(a(buffer), a(live), {}, a(speech));
    expect(Math.abs(seam!.offsetMs - 120)).toBeLessThanOrEqual(5);
  });
});

const fitOf = (fits: { rate: number; correlation: number }[], rate: number) => fits.find((f) => f.rate === rate)!.correlation;
const best = (fits: { rate: number; correlation: number }[]) => fits.reduce((x, y) => (y.correlation > x.correlation ? y : x)).rate;

describe('rateFits: the rate a raw PCM buffer lines up with the live audio at', () => {
  it('synthetic: 16 kHz bytes declared 24000 fit at 16000 (against the reference and against the live audio alone)', () => {
    const s48 = synthSpeechLike(5000, 48000, 11);
    const s16 = Int16Array.from({ length: s48.length / 3 }, (_, i) => (s48[3 * i]! + s48[3 * i + 1]! + s48[3 * i + 2]!) / 3);
    const s24 = Int16Array.from({ length: s48.length / 2 }, (_, i) => (s48[2 * i]! + s48[2 * i + 1]!) / 2);
    const buffer = s16.subarray(0, 16 * 2500);
    const live = a(s24.subarray(24 * 2300));
    for (const ref of [a(s24), undefined]) {
      const fits = rateFits(buffer, 24000, live, {}, ref);
      expect(fits.map((f) => f.rate)).toEqual([24000, 16000, 48000]);
      expect(best(fits)).toBe(16000);
      expect(fitOf(fits, 16000)).toBeGreaterThan(0.9);
      expect(fitOf(fits, 24000)).toBeLessThan(0.5);
    }
    // declared truthfully: the declared rate is the best fit
    const honest = rateFits(buffer, 16000, live, {}, a(s24));
    expect(honest.map((f) => f.rate)).toEqual([16000, 24000, 48000]);
    expect(best(honest)).toBe(16000);
  });

  for (const [file, rate, claimed] of [
    ['speech-16k-mono', 16000, 24000],
    ['speech-24k-mono', 24000, 16000],
    ['speech-48k-mono', 48000, 16000],
  ] as const) {
    it(`real speech (${file}.wav): bytes at ${rate} declared ${claimed} (send-preconnect --sample-rate-lie) fit at ${rate}`, () => {
      const bytes = loadPcm16(`fixtures/audio/${file}.wav`, { sampleRate: rate }).pcm.samples;
      const ref = loadPcm16('fixtures/audio/speech-24k-mono.wav', { sampleRate: 24000 }).pcm;
      const live = a(ref.samples.subarray(at(1000)));
      const buffer = bytes.subarray(0, Math.round(rate * 1.2));
      const lie = rateFits(buffer, claimed, live, {}, a(ref.samples));
      expect(lie[0]!.rate).toBe(claimed);
      expect(best(lie)).toBe(rate);
      expect(fitOf(lie, rate)).toBeGreaterThan(0.8);
      expect(fitOf(lie, rate) - fitOf(lie, claimed)).toBeGreaterThan(0.3);
      const truth = rateFits(buffer, rate, live, {}, a(ref.samples));
      expect(best(truth)).toBe(rate);
    });
  }

  it('unrelated live audio fits at no rate (the evidence is weak)', () => {
    const fits = rateFits(speech.subarray(0, at(2000)), 24000, a(synthSpeechLike(3000, RATE, 99)));
    expect(Math.max(...fits.map((f) => f.correlation))).toBeLessThan(0.6);
  });
});
