import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOggOpus, decodeWebmOpus, readVint, webmFrames } from '../../src/audio/decode-opus.js';
import { agentReadsMimeAs, analyseSamples, sniffFormat } from '../../src/audio/decode.js';
import { loadPcm16 } from '../../src/audio/wav.js';
import { pcm16le } from '../../src/protocol/preconnect.js';

// Real encoder output (fixtures/audio/encoded/README.md): opusenc 0.2 (opus-tools) and Chromium 156's
// MediaRecorder (audio/webm;codecs=opus, audio/mp4), both from speech-48k-mono.wav.
const ENC = 'fixtures/audio/encoded';
const bytes = (f: string) => new Uint8Array(readFileSync(`${ENC}/${f}`));
const WAV = 'fixtures/audio/speech-48k-mono.wav';
const wav = loadPcm16(WAV, { sampleRate: 48000, channels: 1 }).pcm;
const wavMs = (wav.samples.length / 48000) * 1000;

describe('sniffFormat: what the bytes are, whatever the mime type says', () => {
  it.each([
    ['speech-48k-mono.ogg', 'ogg'],
    ['speech-mediarecorder.webm', 'webm'],
    ['speech-mediarecorder.mp4', 'mp4'],
  ])('%s is %s', (f, format) => expect(sniffFormat(bytes(f))).toBe(format));
  it('raw PCM and a WAV file', () => {
    expect(sniffFormat(pcm16le(wav.samples.subarray(0, 4800)))).toBe('raw');
    expect(sniffFormat(new Uint8Array(readFileSync(WAV)))).toBe('wav');
    expect(sniffFormat(new Uint8Array(0))).toBe('raw');
  });
});

describe("agentReadsMimeAs: livekit-agents 1.8.9's rule (_pre_connect_audio.py:119-125)", () => {
  it.each([
    ['audio/opus', 'opus'],
    ['audio/webm;codecs=opus', 'opus'],
    ['audio/ogg; codecs=opus', 'opus'],
    ['audio/webm', 'pcm'],
    ['audio/ogg', 'pcm'],
    ['video/mp4', 'pcm'],
    ['audio/mp4', 'pcm'],
    ['application/octet-stream', 'pcm'],
    ['', 'pcm'],
  ])('%j → %s', (mime, reads) => expect(agentReadsMimeAs(mime)).toBe(reads));
});

describe('decoding real Opus buffers', () => {
  it('Ogg/Opus from opusenc: the WAV duration within 60 ms, speech found', async () => {
    const d = await decodeOggOpus(bytes('speech-48k-mono.ogg'));
    expect(d.sampleRate).toBe(48000);
    expect(d.channels).toBe(1);
    const a = analyseSamples(d.samples, d.sampleRate);
    expect(Math.abs(a.durationMs - wavMs)).toBeLessThanOrEqual(60);
    expect(a.speechMs).toBeGreaterThan(1000);
  });

  it('WebM/Opus from MediaRecorder: ~2 s recorded (the recorder ran 2 s), speech found', async () => {
    const w = webmFrames(bytes('speech-mediarecorder.webm'));
    expect(w.frames.length).toBeGreaterThan(10);
    expect(w.laced).toBe(0);
    expect(new TextDecoder().decode(w.opusHead!.subarray(0, 8))).toBe('OpusHead');
    const d = await decodeWebmOpus(bytes('speech-mediarecorder.webm'));
    const a = analyseSamples(d.samples, d.sampleRate);
    expect(a.durationMs).toBeGreaterThan(1500);
    expect(a.durationMs).toBeLessThan(2600);
    expect(a.speechMs).toBeGreaterThan(1000);
  });

  it('a truncated WebM (header only) is an error, not silence', async () => {
    await expect(decodeWebmOpus(bytes('speech-mediarecorder.webm').subarray(0, 40))).rejects.toThrow(/no audio blocks/);
  });
});

describe('readVint (EBML)', () => {
  it('IDs keep their marker, sizes drop it, all-ones is unknown', () => {
    expect(readVint(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3]), 0, true)).toEqual({ value: 0x1a45dfa3, length: 4, unknown: false });
    expect(readVint(Uint8Array.from([0x81]), 0, false)).toEqual({ value: 1, length: 1, unknown: false });
    expect(readVint(Uint8Array.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0, false)?.unknown).toBe(true);
    expect(readVint(Uint8Array.from([0x00]), 0, false)).toBeUndefined();
  });
});
