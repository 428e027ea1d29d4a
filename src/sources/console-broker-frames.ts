/**
 * The console transport's framing (livekit-agents voice/remote_session.py TcpSessionTransport:
 * `struct.pack(">I", len(data))` then the serialized AgentSessionMessage; messages over
 * _TCP_MAX_MESSAGE_SIZE = 1 MiB are refused). Pure: bytes in, messages out.
 */

/** The largest message either side accepts (livekit-agents _TCP_MAX_MESSAGE_SIZE). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const HEADER = 4;

/** One length-prefixed message for the wire. */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_MESSAGE_BYTES) throw new RangeError(`message of ${payload.length} bytes is over the 1 MiB bound`);
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, HEADER);
  return out;
}

export class FrameTooLarge extends Error {
  constructor(readonly length: number) {
    super(`message of ${length} bytes is over the 1 MiB bound`);
    this.name = 'FrameTooLarge';
  }
}

/**
 * Splits a byte stream into messages, whatever the chunking (a header split across chunks, several
 * messages in one chunk). A length over the bound throws FrameTooLarge: the stream cannot be resynchronised,
 * the caller closes it (as the agent's transport does).
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feeds a chunk; returns the complete messages it finished, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < HEADER) return out;
      const head = this.peek(HEADER);
      const length = head.readUInt32BE(0);
      if (length > MAX_MESSAGE_BYTES) throw new FrameTooLarge(length);
      if (this.buffered < HEADER + length) return out;
      const all = this.take(HEADER + length);
      out.push(all.subarray(HEADER));
    }
  }

  /** Bytes received and not yet part of a complete message. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const head = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }
}
