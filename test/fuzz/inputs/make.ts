/**
 * Builders for the fuzz suite's bad inputs (generated at test time into a temp dir, never committed):
 * WAV files with any header field set to anything, and agent-log lines in every supported format.
 */

export interface WavSpec {
  code?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  blockAlign?: number;
  byteRate?: number;
  /** Bytes of samples actually written. */
  dataBytes?: number;
  /** What the data chunk header claims (default: dataBytes). */
  declaredData?: number;
  /** What the RIFF header claims (default: the true size). */
  riffSize?: number;
  /** Size of the fmt chunk body (16 plain, 18 with cbSize, 40 extensible). */
  fmtSize?: number;
  /** WAVE_FORMAT_EXTENSIBLE fields, written when fmtSize ≥ 40. */
  ext?: { sub?: number; valid?: number; mask?: number; cbSize?: number };
  /** Chunks between fmt and data. */
  extra?: Array<{ id: string; body: Buffer; size?: number }>;
  noData?: boolean;
  noFmt?: boolean;
}

function chunk(id: string, body: Buffer, size = body.length): Buffer {
  const h = Buffer.alloc(8);
  h.write(id.padEnd(4, ' ').slice(0, 4), 0, 'latin1');
  h.writeUInt32LE(size >>> 0, 4);
  return Buffer.concat([h, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function makeWav(spec: WavSpec = {}): Buffer {
  const { code = 1, channels = 1, rate = 16000, bits = 16, dataBytes = 3200, fmtSize = 16 } = spec;
  const fmt = Buffer.alloc(fmtSize);
  const blockAlign = spec.blockAlign ?? Math.max(1, Math.floor((channels * bits) / 8));
  if (fmtSize >= 2) fmt.writeUInt16LE(code & 0xffff, 0);
  if (fmtSize >= 4) fmt.writeUInt16LE(channels & 0xffff, 2);
  if (fmtSize >= 8) fmt.writeUInt32LE(rate >>> 0, 4);
  if (fmtSize >= 12) fmt.writeUInt32LE((spec.byteRate ?? rate * blockAlign) >>> 0, 8);
  if (fmtSize >= 14) fmt.writeUInt16LE(blockAlign & 0xffff, 12);
  if (fmtSize >= 16) fmt.writeUInt16LE(bits & 0xffff, 14);
  if (fmtSize >= 40) {
    fmt.writeUInt16LE(spec.ext?.cbSize ?? 22, 16);
    fmt.writeUInt16LE(spec.ext?.valid ?? bits, 18);
    fmt.writeUInt32LE((spec.ext?.mask ?? 0) >>> 0, 20);
    fmt.writeUInt16LE(spec.ext?.sub ?? 1, 24);
  }
  const data = Buffer.alloc(dataBytes);
  for (let i = 0; i + 1 < dataBytes; i += 2) data.writeInt16LE(Math.round(Math.sin(i / 20) * 8000), i);
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    spec.noFmt ? Buffer.alloc(0) : chunk('fmt ', fmt),
    ...(spec.extra ?? []).map((e) => chunk(e.id, e.body, e.size)),
    spec.noData ? Buffer.alloc(0) : chunk('data', data, spec.declaredData ?? dataBytes),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE((spec.riffSize ?? body.length) >>> 0, 4);
  return Buffer.concat([riff, body]);
}

const ISO = (ms: number) => new Date(Date.UTC(2025, 8, 13, 23, 25, 8) + ms).toISOString();

/** One line of each supported log format (each is recognised by `trace log`). */
export const LOG_LINES = {
  pythonJson: (ms = 0, message = 'received user transcript') =>
    JSON.stringify({ message, level: 'INFO', name: 'livekit.agents', timestamp: ISO(ms).replace('Z', '+00:00') }),
  pythonText: (ms = 0, message = 'received user transcript') =>
    `${ISO(ms).replace('T', ' ').replace('Z', '').replace('.', ',')} - INFO livekit.agents - ${message}`,
  pino: (ms = 0, msg = 'received user transcript') => JSON.stringify({ level: 30, time: Date.parse(ISO(ms)), pid: 1, hostname: 'h', msg }),
  ndjson: (ms = 0) => JSON.stringify({ t: Date.parse(ISO(ms)), source: 'room', kind: 'room.participant.joined', data: { identity: 'agent-1' } }),
  openaiDebug: (ms = 0) =>
    `${ISO(ms).replace('T', ' ').replace('Z', '').replace('.', ',')} - DEBUG livekit.plugins.openai.realtime - >>> {'type': 'response.create', 'event_id': 'e1'}`,
};

/** A small healthy log mixing every format, one line of each. */
export function validLog(eol = '\n'): string {
  return [LOG_LINES.pythonJson(0), LOG_LINES.pythonText(10), LOG_LINES.pino(20), LOG_LINES.ndjson(30), LOG_LINES.openaiDebug(40)].join(eol) + eol;
}
