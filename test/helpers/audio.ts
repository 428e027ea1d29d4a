import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.js';

/** A WAV of digital silence (24 kHz mono PCM16): a user who joins and says nothing. */
export function silenceWav(seconds = 2): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lkdiag-silence-')), 'silence.wav');
  writeFileSync(file, encodeWav({ sampleRate: 24000, channels: 1, samples: new Int16Array(Math.round(seconds * 24000)) }));
  return file;
}
