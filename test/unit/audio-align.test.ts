import { describe, expect, it } from 'vitest';
import { measureSeam } from '../../src/audio/align.js';
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
