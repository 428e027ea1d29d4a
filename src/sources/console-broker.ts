/**
 * `lkdiag drive`'s source: the console broker. A TCP server on loopback that one agent in console mode
 * connects to (livekit-agents cli/cli.py `_run_tcp_console`, agents-js `console --connect-addr`); it
 * streams the user's audio (InputPump), plays the agent's (Playout, with the flush/finished/clear
 * handshake) and records every AgentSessionEvent as a timeline event (source `console`), decoded with
 * @livekit/protocol by the same mapping as lk.agent.session (src/protocol/agent-session.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { AgentSession } from '@livekit/protocol';
import { bytesToPcm16 } from '../audio/pcm.js';
import { decodeAgentSession, type SessionEventOut } from '../protocol/agent-session.js';
import { traceEvent, type TraceEvent } from '../events/index.js';
import { now } from './clock.js';
import { encodeFrame, FrameDecoder } from './console-broker-frames.js';
import { FRAME_SAMPLES, InputPump, Playout, WIRE_RATE } from './console-broker-audio.js';
import type { Recorder } from './recorder.js';

const { AgentSessionMessage, AgentSessionMessage_ConsoleIO_AudioFrame: AudioFrame } = AgentSession;

export interface BrokerOptions {
  host?: string;
  /** 0: any free port. */
  port?: number;
  recorder: Recorder;
  /** Keep the audio both ways for --record-audio. */
  recordAudio?: boolean;
}

/** A session event as a timeline event seen by the broker (source `console`). */
export function consoleTraceEvent(out: SessionEventOut, t: number): TraceEvent {
  const at = out.t ?? t;
  if (out.kind === 'session.other' && out.data.case === 'agentFalseInterruption') {
    const p = (out.data.payload?.['agentFalseInterruption'] ?? {}) as Record<string, unknown>;
    return traceEvent(at, 'console', 'agent.false-interruption', { resumed: p['resumed'] === true });
  }
  // The same kinds and data as lk.agent.session; only who saw it differs.
  return traceEventOf(out, at);
}

function traceEventOf(out: SessionEventOut, t: number): TraceEvent {
  switch (out.kind) {
    // toJson leaves out an enum's zero value (AS_INITIALIZING, US_SPEAKING): for this new source it is named
    case 'agent.state':
      return traceEvent(t, 'console', out.kind, { ...out.data, to: out.data.to ?? 'initializing' });
    case 'user.state':
      return traceEvent(t, 'console', out.kind, { ...out.data, to: out.data.to ?? 'speaking' });
    case 'conversation.item':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'user.transcript':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'agent.overlapping-speech':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'agent.error':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'agent.eot-prediction':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'session.response':
      return traceEvent(t, 'console', out.kind, out.data);
    case 'session.other':
      return traceEvent(t, 'console', out.kind, out.data);
  }
}

export class ConsoleBroker {
  private server: Server | undefined;
  private socket: Socket | undefined;
  readonly input: InputPump;
  readonly playout: Playout;
  private readonly rec: Recorder;
  port = 0;
  readonly host: string;

  constructor(private readonly o: BrokerOptions) {
    this.rec = o.recorder;
    this.host = o.host ?? '127.0.0.1';
    this.input = new InputPump((f) => this.sendAudio(f), o.recordAudio === true);
    this.playout = new Playout(
      {
        audioStarted: (segment, t, dbfs) => this.rec.emit(traceEvent(t, 'console', 'drive.agent.audio-started', { segment, dbfs })),
        flushed: (segment, receivedMs, bufferedMs) => this.rec.record('drive.playout.flushed', { segment, receivedMs, bufferedMs }, 'console'),
        finished: (segment, playedMs) => this.rec.record('drive.playout.finished', { segment, playedMs }, 'console'),
        cleared: (segment, playedMs, droppedMs) => this.rec.record('drive.playout.cleared', { segment, playedMs, droppedMs }, 'console'),
      },
      () => this.send(new AgentSessionMessage({ message: { case: 'audioPlaybackFinished', value: {} } })),
      o.recordAudio === true,
    );
  }

  /** Listens; resolves with the port. One agent connection is taken; later ones are refused. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => this.accept(s));
      this.server = server;
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.host, () => {
        const addr = server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : 0;
        this.rec.record('drive.broker.listening', { host: this.host, port: this.port }, 'console');
        resolve(this.port);
      });
    });
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  private accept(s: Socket): void {
    if (this.socket) {
      s.destroy(); // one agent per broker
      return;
    }
    this.socket = s;
    s.setNoDelay(true);
    this.rec.record('drive.agent.connected', { remote: `${s.remoteAddress}:${s.remotePort}` }, 'console');
    const decoder = new FrameDecoder();
    let reason = 'end of stream';
    s.on('data', (chunk) => {
      try {
        for (const m of decoder.push(chunk)) this.onMessage(m);
      } catch (err) {
        reason = (err as Error).message;
        this.rec.record('drive.protocol-error', { message: reason }, 'console');
        s.destroy();
      }
    });
    s.on('error', (err) => {
      reason = err.message;
    });
    s.on('close', () => {
      this.input.stop();
      this.rec.record('drive.agent.disconnected', { reason }, 'console');
    });
    this.input.start();
  }

  private onMessage(bytes: Buffer): void {
    let msg: InstanceType<typeof AgentSessionMessage>;
    try {
      msg = AgentSessionMessage.fromBinary(bytes);
    } catch (err) {
      this.rec.record('drive.protocol-error', { message: `undecodable message: ${(err as Error).message}` }, 'console');
      return;
    }
    const m = msg.message;
    switch (m.case) {
      case 'audioOutput':
        this.playout.frame(bytesToPcm16(m.value.data));
        return;
      case 'audioPlaybackFlush':
        this.playout.flush();
        return;
      case 'audioPlaybackClear':
        this.playout.clear();
        return;
      case 'event':
      case 'response':
      case 'request':
        for (const out of decodeAgentSession(bytes)) this.rec.emit(consoleTraceEvent(out, now()));
        return;
      default:
        this.rec.record('session.other', { case: m.case ?? 'unknown' }, 'console');
    }
  }

  private sendAudio(samples: Int16Array): void {
    const data = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    const frame = new AudioFrame({ data, sampleRate: WIRE_RATE, numChannels: 1, samplesPerChannel: FRAME_SAMPLES });
    this.send(new AgentSessionMessage({ message: { case: 'audioInput', value: frame } }));
  }

  private send(msg: InstanceType<typeof AgentSessionMessage>): void {
    const s = this.socket;
    if (!s || s.destroyed || !s.writable) return;
    s.write(encodeFrame(msg.toBinary()));
  }

  /** Stops the audio, closes the connection and the server. */
  async close(): Promise<void> {
    this.input.stop();
    this.playout.stop();
    this.socket?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
