import { describe, expect, it } from 'vitest';
import { loadPcm16, readWavFile } from '../../src/audio/wav.js';
import { UserError } from '../../src/errors.js';

const A = 'fixtures/audio';

describe('WAV loading', () => {
  it.each([
    'speech-16k-mono',
    'speech-24k-mono',
    'speech-48k-mono',
    'speech-16k-stereo',
    'speech-48k-stereo',
    'speech-16k-u8',
    'speech-16k-s24',
    'speech-16k-s32',
    'speech-16k-f32',
  ])('%s converts to 24 kHz mono PCM16 of the same duration', (name) => {
    const { info, pcm } = loadPcm16(`${A}/${name}.wav`, { sampleRate: 24000, channels: 1 });
    expect(pcm.sampleRate).toBe(24000);
    expect(pcm.channels).toBe(1);
    const ms = (pcm.samples.length / 24000) * 1000;
    expect(Math.abs(ms - info.durationMs)).toBeLessThan(5);
    // Real speech: a good part of the samples are loud.
    const loud = pcm.samples.filter((s) => Math.abs(s) > 1000).length;
    expect(loud / pcm.samples.length).toBeGreaterThan(0.05);
  });

  it('reads the header facts', () => {
    const { info } = readWavFile(`${A}/speech-48k-stereo.wav`);
    expect(info).toMatchObject({ sampleRate: 48000, channels: 2, bitsPerSample: 16, format: 'pcm' });
    expect(readWavFile(`${A}/speech-16k-f32.wav`).info).toMatchObject({ format: 'float', bitsPerSample: 32 });
  });

  it('keeps stereo when asked', () => {
    const { pcm } = loadPcm16(`${A}/speech-48k-stereo.wav`, { sampleRate: 48000, channels: 2 });
    expect(pcm.channels).toBe(2);
    expect(pcm.samples.length % 2).toBe(0);
  });

  it.each([
    ['bad/not-riff.wav', /not a WAV file/],
    ['bad/empty.wav', /empty/],
    ['bad/truncated.wav', /truncated/],
    ['bad/zero-frames.wav', /no audio frames/],
    ['bad/mulaw.wav', /compressed codec μ-law/],
    ['bad/adpcm.wav', /compressed codec (IMA|Microsoft) ADPCM/],
    ['does-not-exist.wav', /no such file/],
  ])('%s is a usage error: %s', (file, message) => {
    let err: unknown;
    try {
      loadPcm16(`${A}/${file}`, { sampleRate: 24000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toMatch(message);
    expect((err as UserError).hint).toMatch(/WAV/);
  });
});
