import { describe, expect, it } from 'vitest';
import { SILENCE_DBFS, base64ToPcm16, concatPcm16, frameEnergies, pcm16ToBase64, rmsDbfs, silence, synthSpeechLike } from '../../src/audio/pcm.js';

describe('pcm', () => {
  it('rmsDbfs: full-scale square is ~0 dBFS, half scale ~-6, silence floors', () => {
    const sq = Int16Array.from({ length: 480 }, (_, i) => (i % 2 ? 32767 : -32768));
    expect(rmsDbfs(sq)).toBeCloseTo(0, 1);
    const half = Int16Array.from({ length: 480 }, (_, i) => (i % 2 ? 16384 : -16384));
    expect(rmsDbfs(half)).toBeCloseTo(-6.02, 1);
    expect(rmsDbfs(new Int16Array(100))).toBe(SILENCE_DBFS);
    expect(rmsDbfs(new Int16Array(0))).toBe(SILENCE_DBFS);
    expect(rmsDbfs(concatPcm16(new Int16Array(240), half), 240)).toBeCloseTo(-6.02, 1);
  });

  it('frameEnergies: one value per complete frame', () => {
    const pcm = concatPcm16(silence(20, 24000), synthSpeechLike(200, 24000), new Int16Array(100));
    const e = frameEnergies(pcm, 24000, 10);
    expect(e).toHaveLength(22);
    expect(e[0]).toBe(SILENCE_DBFS);
    expect(Math.max(...e.slice(2))).toBeGreaterThan(-30);
  });

  it('base64 round trip is byte exact (little endian), odd trailing byte dropped', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 12345]);
    const b64 = pcm16ToBase64(pcm);
    expect(Buffer.from(b64, 'base64')).toEqual(Buffer.from([0, 0, 1, 0, 255, 255, 255, 127, 0, 128, 57, 48]));
    expect(Array.from(base64ToPcm16(b64))).toEqual(Array.from(pcm));
    expect(Array.from(base64ToPcm16(Buffer.from([1, 0, 7]).toString('base64')))).toEqual([1]);
  });

  it('synthSpeechLike: deterministic, speech-like level and syllable gaps shorter than 150 ms', () => {
    const a = synthSpeechLike(2000, 24000, 7);
    expect(a).toHaveLength(48000);
    expect(Array.from(synthSpeechLike(2000, 24000, 7))).toEqual(Array.from(a));
    expect(Array.from(synthSpeechLike(2000, 24000, 8))).not.toEqual(Array.from(a));
    const e = frameEnergies(a, 24000, 10);
    const voiced = e.filter((v) => v > -40).length / e.length;
    expect(voiced).toBeGreaterThan(0.6);
    expect(rmsDbfs(a)).toBeGreaterThan(-26);
    expect(rmsDbfs(a)).toBeLessThan(-8);
    let run = 0;
    let longest = 0;
    for (const v of e) {
      run = v > -40 ? 0 : run + 1;
      longest = Math.max(longest, run);
    }
    expect(longest * 10).toBeLessThan(150);
    expect(e[0]).toBeGreaterThan(SILENCE_DBFS); // starts voiced
  });

  it('concatPcm16 keeps order', () => {
    expect(Array.from(concatPcm16(Int16Array.from([1, 2]), new Int16Array(0), Int16Array.from([3])))).toEqual([1, 2, 3]);
  });
});
