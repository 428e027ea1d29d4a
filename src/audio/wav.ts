import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';
import { usageError } from '../errors.js';

/** Decoded, converted audio: PCM16 little-endian samples, interleaved when channels > 1. */
export interface Pcm16 {
  sampleRate: number;
  channels: number;
  samples: Int16Array;
}

export interface WavInfo {
  path: string;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  format: 'pcm' | 'float';
  frames: number;
  durationMs: number;
}

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'μ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0161: 'WMA',
  0x1610: 'AAC',
  0x704f: 'Opus',
};

const bad = (path: string, what: string) =>
  usageError(`${path}: ${what}`, 'Give a PCM (8/16/24/32-bit) or 32-bit float WAV file, e.g. `sox in.mp3 -b 16 out.wav`.');

/**
 * Walks the RIFF chunks to reject bad files with a precise message before the samples are
 * decoded by wavefile (which is lenient about truncation and silent about codecs).
 */
export function inspectWav(path: string, buf: Buffer): WavInfo {
  if (buf.length === 0) throw bad(path, 'the file is empty');
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw bad(path, 'not a WAV file (no RIFF/WAVE header)');
  }
  let off = 12;
  let fmt: { code: number; channels: number; rate: number; bits: number } | undefined;
  let dataBytes: number | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (body + 16 > buf.length) throw bad(path, 'truncated: the fmt chunk is cut short');
      let code = buf.readUInt16LE(body);
      if (code === 0xfffe && size >= 40 && body + 26 <= buf.length) code = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE subformat
      fmt = { code, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (body + size > buf.length) {
        throw bad(path, `truncated: the data chunk declares ${size} bytes but only ${buf.length - body} are present`);
      }
      dataBytes = size;
      break;
    }
    off = body + size + (size % 2);
  }
  if (!fmt) throw bad(path, 'no fmt chunk (not a valid WAV file)');
  if (fmt.code !== 1 && fmt.code !== 3) {
    const name = FORMAT_NAMES[fmt.code] ?? `format code 0x${fmt.code.toString(16).padStart(4, '0')}`;
    throw bad(path, `compressed codec ${name} is not supported`);
  }
  if (dataBytes === undefined) throw bad(path, 'truncated: no data chunk');
  if (fmt.channels < 1 || fmt.rate < 1000) throw bad(path, `implausible header (${fmt.channels} channels at ${fmt.rate} Hz)`);
  if (fmt.code === 1 && ![8, 16, 24, 32].includes(fmt.bits)) throw bad(path, `unsupported PCM bit depth ${fmt.bits}`);
  if (fmt.code === 3 && fmt.bits !== 32 && fmt.bits !== 64) throw bad(path, `unsupported float bit depth ${fmt.bits}`);
  const frames = Math.floor(dataBytes / ((fmt.bits / 8) * fmt.channels));
  if (frames === 0) throw bad(path, 'the file has no audio frames');
  return {
    path,
    sampleRate: fmt.rate,
    channels: fmt.channels,
    bitsPerSample: fmt.bits,
    format: fmt.code === 3 ? 'float' : 'pcm',
    frames,
    durationMs: (frames / fmt.rate) * 1000,
  };
}

export function readWavFile(path: string): { info: WavInfo; buf: Buffer } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`;
    throw usageError(`${path}: ${why}`, 'Check the path of the WAV file given to --audio.');
  }
  return { info: inspectWav(path, buf), buf };
}

/**
 * Loads a WAV and converts it to PCM16 at `sampleRate` with `channels` (1 = downmix by averaging;
 * 2 = keep or duplicate). Any PCM depth, float and stereo are converted, not rejected.
 */
export function loadPcm16(path: string, target: { sampleRate: number; channels?: 1 | 2 }): { info: WavInfo; pcm: Pcm16 } {
  const { info, buf } = readWavFile(path);
  const wav = new wavefile.WaveFile(buf);
  wav.toBitDepth('32f');
  const raw = wav.getSamples(false, Float32Array) as unknown as Float32Array | Float32Array[];
  const chans: Float32Array[] = info.channels === 1 ? [raw as Float32Array] : (raw as Float32Array[]);
  const outChannels = target.channels ?? 1;
  const planes: Float32Array[] = [];
  if (outChannels === 1) {
    const mono = new Float32Array(info.frames);
    for (const c of chans) for (let i = 0; i < info.frames; i++) mono[i]! += (c[i] ?? 0) / chans.length;
    planes.push(mono);
  } else {
    planes.push(chans[0]!, chans[1] ?? chans[0]!);
  }
  const resampled = planes.map((p) => resample(p, info.sampleRate, target.sampleRate));
  const frames = resampled[0]!.length;
  const samples = new Int16Array(frames * outChannels);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < outChannels; c++) {
      const v = Math.max(-1, Math.min(1, resampled[c]![i] ?? 0));
      samples[i * outChannels + c] = Math.round(v < 0 ? v * 0x8000 : v * 0x7fff);
    }
  }
  return { info, pcm: { sampleRate: target.sampleRate, channels: outChannels, samples } };
}

/** Resampling via wavefile's sinc resampler (with its anti-aliasing filter). */
function resample(plane: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return plane;
  const w = new wavefile.WaveFile();
  w.fromScratch(1, from, '32f', plane);
  w.toSampleRate(to, { method: 'sinc', LPF: true });
  return Float32Array.from(w.getSamples(false, Float32Array) as unknown as Float32Array);
}

/** Encodes PCM16 as a WAV file (for recordings and fixtures). */
export function encodeWav(pcm: Pcm16): Buffer {
  const w = new wavefile.WaveFile();
  w.fromScratch(pcm.channels, pcm.sampleRate, '16', pcm.samples);
  return Buffer.from(w.toBuffer());
}
