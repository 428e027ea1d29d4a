import { AgentSession } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLarge, MAX_MESSAGE_BYTES } from '../../src/sources/console-broker-frames.js';

const msg = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);

describe('console framing (4-byte big-endian length + message)', () => {
  it('encodes the length big-endian before the payload', () => {
    const f = encodeFrame(Uint8Array.of(1, 2, 3));
    expect([...f]).toEqual([0, 0, 0, 3, 1, 2, 3]);
  });

  it('decodes messages glued in one chunk, in order', () => {
    const d = new FrameDecoder();
    const out = d.push(Buffer.concat([encodeFrame(msg(5)), encodeFrame(msg(0)), encodeFrame(msg(300))]));
    expect(out.map((b) => b.length)).toEqual([5, 0, 300]);
    expect([...out[2]!]).toEqual([...msg(300)]);
    expect(d.pending).toBe(0);
  });

  it('decodes a message split at every byte (header included)', () => {
    const d = new FrameDecoder();
    const wire = Buffer.concat([encodeFrame(msg(9)), encodeFrame(msg(2))]);
    const out: Buffer[] = [];
    for (const b of wire) out.push(...d.push(Uint8Array.of(b)));
    expect(out.map((b) => [...b])).toEqual([[...msg(9)], [...msg(2)]]);
  });

  it('keeps a partial message until the rest arrives', () => {
    const d = new FrameDecoder();
    const wire = encodeFrame(msg(100));
    expect(d.push(wire.subarray(0, 50))).toEqual([]);
    expect(d.pending).toBe(50);
    expect(d.push(wire.subarray(50)).map((b) => b.length)).toEqual([100]);
  });

  it('accepts exactly 1 MiB and refuses one byte more (livekit-agents _TCP_MAX_MESSAGE_SIZE)', () => {
    const d = new FrameDecoder();
    expect(d.push(encodeFrame(new Uint8Array(MAX_MESSAGE_BYTES))).map((b) => b.length)).toEqual([MAX_MESSAGE_BYTES]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_MESSAGE_BYTES + 1, 0);
    expect(() => new FrameDecoder().push(head)).toThrow(FrameTooLarge);
    expect(() => encodeFrame(new Uint8Array(MAX_MESSAGE_BYTES + 1))).toThrow(RangeError);
  });

  it('round-trips an AgentSessionMessage audio frame', () => {
    const frame = new AgentSession.AgentSessionMessage_ConsoleIO_AudioFrame({ data: msg(1920), sampleRate: 48000, numChannels: 1, samplesPerChannel: 960 });
    const wire = encodeFrame(new AgentSession.AgentSessionMessage({ message: { case: 'audioInput', value: frame } }).toBinary());
    const [back] = new FrameDecoder().push(wire);
    const m = AgentSession.AgentSessionMessage.fromBinary(back!).message;
    expect(m.case).toBe('audioInput');
    expect(m.case === 'audioInput' && [m.value.sampleRate, m.value.samplesPerChannel, m.value.data.length]).toEqual([48000, 960, 1920]);
  });
});
