import { readFileSync, type Stats, statSync } from 'node:fs';
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
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'μ-law',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MP3',
  353: 'WMA',
  5648: 'AAC',
  28751: 'Opus',
};

const bad = (path: string, what: string) =>
  usageError(`${path}: ${what}`, 'Give a PCM (8/16/24/32-bit) or 32-bit float WAV file, e.g. `sox in.mp3 -b 16 out.wav`.');

/** Bounds on what lkdiag reads: a user's utterance, not an album (memory and resampling time stay bounded). */
export const MAX_WAV_BYTES = 128 * 1024 * 1024;
export const MAX_WAV_MS = 5 * 60_000;
export const MAX_WAV_CHANNELS = 64;
export const MIN_WAV_RATE = 1000;
export const MAX_WAV_RATE = 768_000;

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The header facts plus where the samples are (what the decoder needs beyond WavInfo). */
interface WavLayout {
  info: WavInfo;
  dataStart: number;
}

function layoutOf(path: string, buf: Buffer): WavLayout {
  if (buf.length === 0) throw bad(path, 'the file is empty');
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw bad(path, 'not a WAV file (no RIFF/WAVE header)');
  }
  let off = 12;
  let fmt: { code: number; channels: number; rate: number; bits: number } | undefined;
  let data: { start: number; bytes: number } | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (body + 16 > buf.length) throw bad(path, 'truncated: the fmt chunk is cut short');
      if (size < 16) throw bad(path, `the fmt chunk is ${size} bytes (at least 16 expected)`);
      let code = buf.readUInt16LE(body);
      if (code === WAVE_FORMAT_EXTENSIBLE) {
        // the real format is the first two bytes of the SubFormat GUID, at offset 24 of a 40-byte chunk
        if (size < 40 || body + 26 > buf.length) throw bad(path, `WAVE_FORMAT_EXTENSIBLE with a ${size}-byte fmt chunk (40 expected)`);
        code = buf.readUInt16LE(body + 24);
      }
      fmt = { code, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (body + size > buf.length) {
        throw bad(path, `truncated: the data chunk declares ${size} bytes but only ${buf.length - body} are present`);
      }
      data = { start: body, bytes: size };
      break;
    }
    off = body + size + (size % 2);
  }
  if (!fmt) throw bad(path, 'no fmt chunk (not a valid WAV file)');
  if (fmt.code !== 1 && fmt.code !== 3) {
    const name = FORMAT_NAMES[fmt.code] ?? `format code 0x${fmt.code.toString(16).padStart(4, '0')}`;
    throw bad(path, `compressed codec ${name} is not supported`);
  }
  if (data === undefined) throw bad(path, 'truncated: no data chunk');
  if (fmt.channels < 1 || fmt.channels > MAX_WAV_CHANNELS || fmt.rate < MIN_WAV_RATE || fmt.rate > MAX_WAV_RATE) {
    throw bad(path, `implausible header (${fmt.channels} channels at ${fmt.rate} Hz)`);
  }
  if (fmt.code === 1 && ![8, 16, 24, 32].includes(fmt.bits)) throw bad(path, `unsupported PCM bit depth ${fmt.bits}`);
  if (fmt.code === 3 && fmt.bits !== 32 && fmt.bits !== 64) throw bad(path, `unsupported float bit depth ${fmt.bits}`);
  const frames = Math.floor(data.bytes / ((fmt.bits / 8) * fmt.channels));
  if (frames === 0) throw bad(path, 'the file has no audio frames');
  const durationMs = (frames / fmt.rate) * 1000;
  if (durationMs > MAX_WAV_MS) {
    throw usageError(
      `${path}: ${(durationMs / 60_000).toFixed(1)} minutes of audio (at most ${MAX_WAV_MS / 60_000} are read)`,
      'Give a short utterance, e.g. the first 30 s: `sox in.wav out.wav trim 0 30`.',
    );
  }
  return {
    info: { path, sampleRate: fmt.rate, channels: fmt.channels, bitsPerSample: fmt.bits, format: fmt.code === 3 ? 'float' : 'pcm', frames, durationMs },
    dataStart: data.start,
  };
}

/**
 * Walks the RIFF chunks to reject bad files with a precise message; the samples are then decoded
 * from exactly the chunks found here (see decodePlanes).
 */
export function inspectWav(path: string, buf: Buffer): WavInfo {
  return layoutOf(path, buf).info;
}

function readWav(path: string): { layout: WavLayout; buf: Buffer } {
  const hint = 'Check the path of the WAV file given to --audio.';
  const why = (err: unknown): string => {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'no such file'
      : code === 'ENOTDIR'
        ? 'no such file (a part of the path is not a directory)'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read (${code ?? 'error'})`;
  };
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw usageError(`${path}: ${why(err)}`, hint);
  }
  // a FIFO or a device would block or never end: only regular files are read
  if (st.isDirectory()) throw usageError(`${path}: is a directory`, hint);
  if (!st.isFile()) throw usageError(`${path}: not a regular file`, 'Give a WAV file on disk (not a pipe or a device).');
  if (st.size > MAX_WAV_BYTES) {
    throw usageError(
      `${path}: ${(st.size / 1024 / 1024).toFixed(0)} MiB is too large (at most ${MAX_WAV_BYTES / 1024 / 1024} MiB are read)`,
      'Give a short utterance, e.g. the first 30 s: `sox in.wav out.wav trim 0 30`.',
    );
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw usageError(`${path}: ${why(err)}`, hint);
  }
  return { layout: layoutOf(path, buf), buf };
}

export function readWavFile(path: string): { info: WavInfo; buf: Buffer } {
  const { layout, buf } = readWav(path);
  return { info: layout.info, buf };
}

/**
 * The samples of each channel as floats in [-1, 1], the way wavefile's toBitDepth('32f') scales
 * them (positive values by 2^(b-1) - 1, negative by 2^(b-1); 8-bit is unsigned), read straight from
 * the data chunk layoutOf() found — so no other RIFF parser can disagree about where it is.
 */
function decodePlanes(buf: Buffer, { info, dataStart }: WavLayout): Float32Array[] {
  const { channels, frames, bitsPerSample: bits, format } = info;
  const bytes = bits / 8;
  const planes = Array.from({ length: channels }, () => new Float32Array(frames));
  const max = 2 ** (bits - 1) - 1;
  const min = 2 ** (bits - 1);
  const read: (at: number) => number =
    format === 'float'
      ? bits === 32
        ? (at) => buf.readFloatLE(at)
        : (at) => buf.readDoubleLE(at)
      : bits === 8
        ? (at) => buf[at]! - 128
        : bits === 16
          ? (at) => buf.readInt16LE(at)
          : bits === 24
            ? (at) => buf.readIntLE(at, 3)
            : (at) => buf.readInt32LE(at);
  const scale = format === 'float' ? (v: number) => v : (v: number) => (v > 0 ? v / max : v / min);
  let at = dataStart;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      planes[c]![i] = scale(read(at));
      at += bytes;
    }
  }
  return planes;
}

/**
 * Loads a WAV and converts it to PCM16 at `sampleRate` with `channels` (1 = downmix by averaging;
 * 2 = keep or duplicate). Any PCM depth, float and stereo are converted, not rejected.
 */
export function loadPcm16(path: string, target: { sampleRate: number; channels?: 1 | 2 }): { info: WavInfo; pcm: Pcm16 } {
  const { layout, buf } = readWav(path);
  const info = layout.info;
  const chans = decodePlanes(buf, layout);
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
  return Float32Array.from(w.getSamples(false, Float32Array));
}

/** Encodes PCM16 as a WAV file (for recordings and fixtures). */
export function encodeWav(pcm: Pcm16): Buffer {
  const w = new wavefile.WaveFile();
  w.fromScratch(pcm.channels, pcm.sampleRate, '16', pcm.samples);
  return Buffer.from(w.toBuffer());
}
