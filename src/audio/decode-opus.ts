/**
 * Decodes a containerised Opus pre-connect buffer the way livekit-agents does with PyAV (any
 * container PyAV detects: Ogg or WebM/Matroska), to measure what it holds. Opus itself is decoded
 * by wasm-audio-decoders (ogg-opus-decoder for Ogg; opus-decoder for the frames of a WebM file).
 * The WebM side only needs the Opus frames in their order: a flat scan of the EBML elements that
 * steps into the few master elements on the way (Segment, Cluster, BlockGroup, Tracks, TrackEntry;
 * MediaRecorder writes Segment and Cluster with unknown size, which a flat scan does not care about)
 * and takes each SimpleBlock/Block payload. A Matroska library would parse all of it to get this.
 */

export interface DecodedAudio {
  /** The first channel, s16. */
  samples: Int16Array;
  sampleRate: number;
  channels: number;
}

const toInt16 = (f: Float32Array) => Int16Array.from(f, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32767))));

/** Ogg/Opus → the first channel at 48 kHz. */
export async function decodeOggOpus(bytes: Uint8Array): Promise<DecodedAudio> {
  const { OggOpusDecoder } = await import('ogg-opus-decoder');
  const d = new OggOpusDecoder();
  await d.ready;
  try {
    const out = await d.decodeFile(bytes);
    if (out.samplesDecoded === 0) throw new Error(out.errors[0]?.message ?? 'no Opus audio in the Ogg stream');
    return { samples: toInt16(out.channelData[0]!), sampleRate: out.sampleRate, channels: out.channelData.length };
  } finally {
    d.free();
  }
}

const MASTERS = new Set([0x18538067 /* Segment */, 0x1f43b675 /* Cluster */, 0xa0 /* BlockGroup */, 0x1654ae6b /* Tracks */, 0xae /* TrackEntry */]);
const SIMPLE_BLOCK = 0xa3;
const BLOCK = 0xa1;
const CODEC_PRIVATE = 0x63a2;

/** An EBML variable-length integer at `at`: `marker` keeps the length bits (element IDs do). */
export function readVint(b: Uint8Array, at: number, marker: boolean): { value: number; length: number; unknown: boolean } | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > b.length) return undefined;
  let value = marker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !marker && allOnes };
}

export interface WebmAudio {
  frames: Uint8Array[];
  /** The OpusHead in CodecPrivate, when there is one. */
  opusHead?: Uint8Array;
  /** Blocks with lacing (several frames per block), which this scan does not split. */
  laced: number;
}

/** The Opus frames of a WebM file, in order (the first track's). */
export function webmFrames(b: Uint8Array): WebmAudio {
  const out: WebmAudio = { frames: [], laced: 0 };
  let at = 0;
  let track: number | undefined;
  while (at < b.length) {
    const id = readVint(b, at, true);
    if (!id) break;
    const size = readVint(b, at + id.length, false);
    if (!size) break;
    const body = at + id.length + size.length;
    if (MASTERS.has(id.value)) {
      at = body;
      continue;
    }
    const end = size.unknown ? b.length : Math.min(b.length, body + size.value);
    if (id.value === CODEC_PRIVATE && !out.opusHead) out.opusHead = b.subarray(body, end);
    if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
      const t = readVint(b, body, false);
      if (t) {
        track ??= t.value;
        const flags = b[body + t.length + 2] ?? 0;
        if (t.value === track && (flags & 0x06) === 0) out.frames.push(b.subarray(body + t.length + 3, end));
        else if (t.value === track) out.laced++;
      }
    }
    at = end;
  }
  return out;
}

/** WebM/Opus → the first channel at 48 kHz. */
export async function decodeWebmOpus(bytes: Uint8Array): Promise<DecodedAudio> {
  const { frames, opusHead } = webmFrames(bytes);
  if (frames.length === 0) throw new Error('no audio blocks in the WebM file');
  const channels = opusHead && opusHead.length >= 10 ? opusHead[9]! : 1;
  const preSkip = opusHead && opusHead.length >= 12 ? opusHead[10]! | (opusHead[11]! << 8) : 0;
  const { OpusDecoder } = await import('opus-decoder');
  const d = new OpusDecoder({ channels: channels === 2 ? 2 : 1, preSkip });
  await d.ready;
  try {
    const out = d.decodeFrames(frames);
    if (out.samplesDecoded === 0) throw new Error(out.errors[0]?.message ?? 'no Opus audio decoded');
    return { samples: toInt16(out.channelData[0]!), sampleRate: out.sampleRate, channels };
  } finally {
    d.free();
  }
}
