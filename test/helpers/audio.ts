import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, loadPcm16 } from '../../src/audio/wav.js';

/** A WAV of digital silence (24 kHz mono PCM16): a user who joins and says nothing. */
export function silenceWav(seconds = 2): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lkdiag-silence-')), 'silence.wav');
  writeFileSync(file, encodeWav({ sampleRate: 24000, channels: 1, samples: new Int16Array(Math.round(seconds * 24000)) }));
  return file;
}

/** `seconds` of silence, then a fixture utterance (24 kHz mono PCM16): a user who speaks up late. */
export function lateSpeechWav(seconds: number, fixture: string): string {
  const speech = loadPcm16(fixture, { sampleRate: 24000, channels: 1 }).pcm.samples;
  const lead = Math.round(seconds * 24000);
  const samples = new Int16Array(lead + speech.length);
  samples.set(speech, lead);
  const file = join(mkdtempSync(join(tmpdir(), 'lkdiag-late-')), 'late-speech.wav');
  writeFileSync(file, encodeWav({ sampleRate: 24000, channels: 1, samples }));
  return file;
}
